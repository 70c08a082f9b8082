-- Sign-in by user id (the development sign-in today, SSO's token exchange next) must not read the whole directory:
-- one active user of an active tenant by primary key, through the same definer rights as auth_directory, returning
-- only what sign-in needs.
CREATE FUNCTION auth_user(p_user_id uuid)
RETURNS TABLE (user_id uuid, tenant_id uuid, tenant_slug text, tenant_name text, email text, name text, roles text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT u.id, t.id, t.slug, t.name, u.email, u.name, u.roles
  FROM users u JOIN tenants t ON t.id = u.tenant_id
  WHERE u.id = p_user_id AND u.status = 'active' AND t.status = 'active'
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_user(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_user(uuid) TO app_user;
