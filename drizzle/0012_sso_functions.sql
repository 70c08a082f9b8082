-- Single sign-on reads an identity provider before it knows the tenant (the ACS and callback URLs name only the
-- provider), and finds the providers for an email domain or a tenant's sign-in link. Both through definer functions
-- that return only enabled providers of active tenants; the runtime role never reads the table across tenants.
CREATE FUNCTION auth_identity_provider(p_id uuid)
RETURNS TABLE (id uuid, tenant_id uuid, tenant_slug text, tenant_name text, kind text, name text, config jsonb,
  group_roles jsonb, default_roles jsonb, domains jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT p.id, t.id, t.slug, t.name, p.kind, p.name, p.config, p.group_roles, p.default_roles, p.domains
  FROM identity_providers p JOIN tenants t ON t.id = p.tenant_id
  WHERE p.id = p_id AND p.enabled AND t.status = 'active'
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_identity_provider(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_identity_provider(uuid) TO app_user;--> statement-breakpoint

-- Where to send a person: the providers whose domains hold the email's domain, or a tenant's providers by its slug.
-- Names and kinds only, no configuration.
CREATE FUNCTION auth_sso_providers(p_email text, p_tenant_slug text)
RETURNS TABLE (id uuid, tenant_id uuid, tenant_slug text, tenant_name text, kind text, name text, sso_required boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT p.id, t.id, t.slug, t.name, p.kind, p.name, t.sso_required
  FROM identity_providers p JOIN tenants t ON t.id = p.tenant_id
  WHERE p.enabled AND t.status = 'active'
    AND ((p_tenant_slug IS NOT NULL AND t.slug = lower(p_tenant_slug))
      OR (p_email IS NOT NULL AND p.domains ? lower(split_part(p_email, '@', 2))))
  ORDER BY t.slug, p.name
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_sso_providers(text, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_sso_providers(text, text) TO app_user;
