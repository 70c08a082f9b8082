-- Platform administration: the operators (admins of the platform tenant, PLATFORM_TENANT) list, provision, suspend
-- and offboard tenants and set their quotas, through the definer functions below; the services decide who may call
-- them. Each change is an audit event of the platform tenant, recorded by the services in the same transaction.

-- Offboarding deletes a tenant with its history: the immutability of saved versions and audit events gives way for
-- exactly the tenant being offboarded, and only inside platform_offboard_tenant (a definer function: current_user is
-- then its owner, not the session's runtime role, so the runtime role cannot set the flag and delete history itself).
CREATE OR REPLACE FUNCTION blueprint_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_user IS DISTINCT FROM session_user
     AND current_setting('app.offboarding', true) = OLD.tenant_id::text THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'blueprint versions are immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_user IS DISTINCT FROM session_user
     AND current_setting('app.offboarding', true) = OLD.tenant_id::text THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit events cannot be changed or deleted (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint

-- Quotas (tenants.quotas, {"blueprints": n, "users": n}): a tenant with a quota set holds at most that many; the
-- insert past it is refused with the quota's name. The tenant row is locked first, so concurrent inserts count in turn.
CREATE FUNCTION enforce_tenant_quota() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_quota text := TG_ARGV[0];
  v_limit bigint;
  v_count bigint;
BEGIN
  SELECT (t.quotas ->> v_quota)::bigint INTO v_limit FROM tenants t WHERE t.id = NEW.tenant_id;
  IF v_limit IS NULL THEN
    RETURN NEW;
  END IF;
  -- NO KEY UPDATE: quota checks of one tenant take turns, without waiting on the key-share locks of foreign keys.
  PERFORM 1 FROM tenants t WHERE t.id = NEW.tenant_id FOR NO KEY UPDATE;
  EXECUTE format('SELECT count(*) FROM %I WHERE tenant_id = $1', TG_TABLE_NAME) INTO v_count USING NEW.tenant_id;
  IF v_count >= v_limit THEN
    RAISE EXCEPTION 'quota % exceeded: this tenant may hold at most % %; ask your platform administrator to raise it', v_quota, v_limit, v_quota
      USING ERRCODE = 'DH403', COLUMN = 'quota';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER blueprints_quota BEFORE INSERT ON blueprints FOR EACH ROW EXECUTE FUNCTION enforce_tenant_quota('blueprints');--> statement-breakpoint
CREATE TRIGGER users_quota BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION enforce_tenant_quota('users');--> statement-breakpoint

CREATE FUNCTION platform_tenants()
RETURNS TABLE (id uuid, slug text, name text, status text, tier text, quotas jsonb, sso_required boolean, created_at timestamptz, users bigint, blueprints bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT t.id, t.slug, t.name, t.status, t.tier, t.quotas, t.sso_required, t.created_at,
    (SELECT count(*) FROM users u WHERE u.tenant_id = t.id AND u.kind = 'human'),
    (SELECT count(*) FROM blueprints b WHERE b.tenant_id = t.id AND b.archived_at IS NULL)
  FROM tenants t ORDER BY t.slug
$$;--> statement-breakpoint

CREATE FUNCTION platform_set_tenant(p_id uuid, p_status text, p_quotas jsonb)
RETURNS TABLE (slug text, status text, quotas jsonb)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  UPDATE tenants t SET status = coalesce(p_status, t.status), quotas = coalesce(p_quotas, t.quotas)
  WHERE t.id = p_id RETURNING t.slug, t.status, t.quotas
$$;--> statement-breakpoint

CREATE FUNCTION platform_provision_tenant(p_slug text, p_name text, p_tier text, p_admin_email text, p_admin_name text)
RETURNS TABLE (tenant_id uuid, user_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_tenant uuid;
  v_user uuid;
BEGIN
  INSERT INTO tenants (slug, name, tier) VALUES (p_slug, p_name, p_tier) ON CONFLICT DO NOTHING RETURNING tenants.id INTO v_tenant;
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'a tenant with the slug % already exists', p_slug USING ERRCODE = 'DH409', COLUMN = 'slug';
  END IF;
  INSERT INTO users (tenant_id, email, name) VALUES (v_tenant, p_admin_email, p_admin_name) RETURNING users.id INTO v_user;
  INSERT INTO role_grants (tenant_id, user_id, role) VALUES (v_tenant, v_user, 'admin');
  INSERT INTO projects (tenant_id, slug, name, primary_cloud, owner_id) VALUES (v_tenant, 'default', 'Default', 'aws', v_user);
  RETURN QUERY SELECT v_tenant, v_user;
END;
$$;--> statement-breakpoint

-- Deletes a tenant and everything it holds (its export is the services' job, before). The platform's own tenant
-- cannot be offboarded.
CREATE FUNCTION platform_offboard_tenant(p_id uuid, p_platform_slug text)
RETURNS TABLE (slug text, users bigint, blueprints bigint, versions bigint, events bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_slug text;
  v_users bigint; v_blueprints bigint; v_versions bigint; v_events bigint;
BEGIN
  SELECT t.slug INTO v_slug FROM tenants t WHERE t.id = p_id FOR UPDATE;
  IF v_slug IS NULL THEN
    RAISE EXCEPTION 'tenant not found' USING ERRCODE = 'DH404', COLUMN = 'tenantId';
  END IF;
  IF v_slug = p_platform_slug THEN
    RAISE EXCEPTION 'the platform tenant % cannot be offboarded', v_slug USING ERRCODE = 'DH400', COLUMN = 'tenantId';
  END IF;
  SELECT count(*) INTO v_users FROM users u WHERE u.tenant_id = p_id;
  SELECT count(*) INTO v_blueprints FROM blueprints b WHERE b.tenant_id = p_id;
  SELECT count(*) INTO v_versions FROM blueprint_versions v WHERE v.tenant_id = p_id;
  SELECT count(*) INTO v_events FROM audit_events e WHERE e.tenant_id = p_id;
  PERFORM set_config('app.offboarding', p_id::text, true);
  DELETE FROM audit_events e WHERE e.tenant_id = p_id;
  DELETE FROM tenants t WHERE t.id = p_id;
  PERFORM set_config('app.offboarding', '', true);
  RETURN QUERY SELECT v_slug, v_users, v_blueprints, v_versions, v_events;
END;
$$;--> statement-breakpoint

REVOKE ALL ON FUNCTION platform_tenants() FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION platform_set_tenant(uuid, text, jsonb) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION platform_provision_tenant(text, text, text, text, text) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION platform_offboard_tenant(uuid, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_tenants() TO app_user;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_set_tenant(uuid, text, jsonb) TO app_user;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_provision_tenant(text, text, text, text, text) TO app_user;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_offboard_tenant(uuid, text) TO app_user;
