-- The runtime role reads and writes tenant tables through RLS; it owns nothing.
GRANT USAGE ON SCHEMA public TO app_user;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_user;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app_user;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO app_user;--> statement-breakpoint

-- Tenants are created by operators (the owner), never by a request.
REVOKE INSERT, DELETE ON tenants FROM app_user;--> statement-breakpoint

-- Saved versions are history: nobody changes or deletes them, not even the owner by mistake.
REVOKE UPDATE, DELETE, TRUNCATE ON blueprint_versions FROM app_user;--> statement-breakpoint
CREATE FUNCTION blueprint_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'blueprint versions are immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER blueprint_versions_no_update BEFORE UPDATE OR DELETE ON blueprint_versions
  FOR EACH ROW EXECUTE FUNCTION blueprint_versions_immutable();--> statement-breakpoint
CREATE TRIGGER blueprint_versions_no_truncate BEFORE TRUNCATE ON blueprint_versions
  FOR EACH STATEMENT EXECUTE FUNCTION blueprint_versions_immutable();--> statement-breakpoint

-- Sign-in has to find a user before it knows the tenant: this definer function is the one cross-tenant read the
-- runtime role gets, and it returns only what sign-in needs, for active users of active tenants.
CREATE FUNCTION auth_directory(p_email text DEFAULT NULL)
RETURNS TABLE (user_id uuid, tenant_id uuid, tenant_slug text, tenant_name text, email text, name text, roles text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT u.id, t.id, t.slug, t.name, u.email, u.name, u.roles
  FROM users u JOIN tenants t ON t.id = u.tenant_id
  WHERE u.status = 'active' AND t.status = 'active' AND (p_email IS NULL OR lower(u.email) = lower(p_email))
  ORDER BY t.slug, u.email
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_directory(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_directory(text) TO app_user;
