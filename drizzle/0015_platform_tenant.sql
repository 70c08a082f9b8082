-- One tenant's slug, status and quotas: what a platform change reads before it writes, without counting every
-- tenant's people and blueprints as platform_tenants() does for the list.
CREATE FUNCTION platform_tenant(p_id uuid)
RETURNS TABLE (slug text, status text, quotas jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT t.slug, t.status, t.quotas FROM tenants t WHERE t.id = p_id
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION platform_tenant(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_tenant(uuid) TO app_user;
