-- Identity: roles are granted in role_grants (read per request, so a change takes effect at the next request), API
-- tokens are looked up by the hash of their secret, and every change leaves exactly one audit event written in its
-- own transaction by audit_record(), which takes who and from where from the transaction-local setting app.audit.

-- The roles each user held move from users.roles to grants (the column is dropped by the next migration).
INSERT INTO role_grants (tenant_id, user_id, role)
SELECT u.tenant_id, u.id, r FROM users u CROSS JOIN LATERAL unnest(u.roles) AS r
ON CONFLICT DO NOTHING;--> statement-breakpoint

-- Audit events are evidence: the runtime role may add and read them, and nobody, the owner included, may change or
-- remove one (an operator who must purge a tenant's history disables the trigger deliberately, as its owner).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM app_user;--> statement-breakpoint
CREATE FUNCTION audit_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events cannot be changed or deleted (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_immutable();--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable();--> statement-breakpoint

-- One event of the current transaction's tenant, by the actor the services set in app.audit
-- ({"actorId","actorType","actorLabel","requestId","ip","userAgent"}). A change made without saying who made it is
-- refused, so no code path can change audited data silently.
CREATE FUNCTION audit_record(p_action text, p_target_type text, p_target_id text, p_before jsonb, p_after jsonb)
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_ctx jsonb := nullif(current_setting('app.audit', true), '')::jsonb;
BEGIN
  IF v_ctx IS NULL OR v_ctx->>'actorType' IS NULL THEN
    RAISE EXCEPTION 'audited change % without an actor (app.audit is not set)', p_action USING ERRCODE = 'DH500';
  END IF;
  INSERT INTO public.audit_events (tenant_id, actor_id, actor_type, actor_label, action, target_type, target_id, before, after, request_id, ip, user_agent)
  VALUES (nullif(current_setting('app.tenant_id', true), '')::uuid, (v_ctx->>'actorId')::uuid, v_ctx->>'actorType', coalesce(v_ctx->>'actorLabel', ''),
    p_action, p_target_type, p_target_id, p_before, p_after, v_ctx->>'requestId', v_ctx->>'ip', v_ctx->>'userAgent');
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION audit_record(text, text, text, jsonb, jsonb) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION audit_record(text, text, text, jsonb, jsonb) TO app_user;--> statement-breakpoint

-- A grant is in force until its expiry: the one place that says so. security_invoker keeps the caller's row-level
-- security on role_grants, so the runtime role sees only its tenant's grants through it.
CREATE VIEW role_grants_in_force WITH (security_invoker = true) AS
  SELECT * FROM role_grants WHERE expires_at IS NULL OR expires_at > now();--> statement-breakpoint
GRANT SELECT ON role_grants_in_force TO app_user;--> statement-breakpoint

-- Who may sign in, across tenants: active people of active tenants with the roles in force (service accounts never
-- sign in: they use API tokens). Read only through the two definer functions below, never by the runtime role.
CREATE VIEW auth_directory_entries AS
  SELECT u.id AS user_id, t.id AS tenant_id, t.slug AS tenant_slug, t.name AS tenant_name, u.email, u.name,
    coalesce((SELECT array_agg(g.role ORDER BY g.role) FROM role_grants_in_force g WHERE g.tenant_id = u.tenant_id AND g.user_id = u.id), '{}') AS roles
  FROM users u JOIN tenants t ON t.id = u.tenant_id
  WHERE u.status = 'active' AND u.kind = 'human' AND t.status = 'active';--> statement-breakpoint
REVOKE ALL ON auth_directory_entries FROM app_user;--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_user(p_user_id uuid)
RETURNS TABLE (user_id uuid, tenant_id uuid, tenant_slug text, tenant_name text, email text, name text, roles text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT * FROM auth_directory_entries e WHERE e.user_id = p_user_id
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_directory(p_email text DEFAULT NULL)
RETURNS TABLE (user_id uuid, tenant_id uuid, tenant_slug text, tenant_name text, email text, name text, roles text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT * FROM auth_directory_entries e WHERE p_email IS NULL OR lower(e.email) = lower(p_email)
  ORDER BY e.tenant_slug, e.email
$$;--> statement-breakpoint

-- An API token by the SHA-256 of its secret, across tenants (the bearer names no tenant): only which tenant, user and
-- token it is. Whether it is revoked, expired or its user disabled is read per request in the tenant (cached).
CREATE FUNCTION auth_api_token(p_secret_hash text)
RETURNS TABLE (token_id uuid, tenant_id uuid, user_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT k.id, k.tenant_id, k.user_id FROM api_tokens k WHERE k.secret_hash = p_secret_hash
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_api_token(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_api_token(text) TO app_user;--> statement-breakpoint

-- The blueprint writes of migrations 0005 and 0007, each now recording its event when it changes something (a replay
-- by idempotency key and a save that changes nothing record none: they change nothing).
CREATE OR REPLACE FUNCTION blueprint_create(
  p_tenant_id uuid, p_project_id uuid, p_name text, p_description text, p_cloud text, p_author_id uuid,
  p_graph jsonb, p_graph_hash text, p_component_count integer, p_relation_count integer, p_message text,
  p_idempotency_key text
)
RETURNS TABLE (id uuid, version integer, replayed boolean)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_id uuid;
  v_prior record;
BEGIN
  IF p_idempotency_key IS NOT NULL THEN
    -- A retry of a create that committed: the first result, provided it is the same request.
    SELECT b.id, b.project_id, b.name, v.graph_hash::text AS graph_hash INTO v_prior
    FROM public.blueprints b
    JOIN public.blueprint_versions v ON v.tenant_id = b.tenant_id AND v.blueprint_id = b.id AND v.number = 1
    WHERE b.tenant_id = p_tenant_id AND b.idempotency_key = p_idempotency_key;
    IF FOUND THEN
      IF v_prior.project_id <> p_project_id OR v_prior.name <> p_name OR v_prior.graph_hash <> p_graph_hash THEN
        RAISE EXCEPTION 'this key was already used for a different create (another project, name or graph)'
          USING ERRCODE = 'DH422', COLUMN = 'Idempotency-Key';
      END IF;
      PERFORM set_config('app.created_blueprint', v_prior.id::text, true);
      RETURN QUERY SELECT v_prior.id, 1, true;
      RETURN;
    END IF;
  END IF;
  PERFORM 1 FROM public.projects p WHERE p.tenant_id = p_tenant_id AND p.id = p_project_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'project not found' USING ERRCODE = 'DH404', COLUMN = 'projectId';
  END IF;
  INSERT INTO public.blueprints (tenant_id, project_id, name, description, cloud, created_by, idempotency_key)
  VALUES (p_tenant_id, p_project_id, p_name, p_description, p_cloud, p_author_id, p_idempotency_key)
  RETURNING blueprints.id INTO v_id;
  INSERT INTO public.blueprint_versions (tenant_id, blueprint_id, number, parent_id, message, author_id, graph, graph_hash, component_count, relation_count)
  VALUES (p_tenant_id, v_id, 1, NULL, p_message, p_author_id, p_graph, p_graph_hash, p_component_count, p_relation_count);
  PERFORM set_config('app.created_blueprint', v_id::text, true);
  PERFORM audit_record('blueprint.create', 'blueprint', v_id::text, NULL,
    jsonb_build_object('projectId', p_project_id, 'name', p_name, 'description', p_description, 'cloud', p_cloud, 'version', 1, 'graphHash', p_graph_hash));
  RETURN QUERY SELECT v_id, 1, false;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION blueprint_save_version(
  p_tenant_id uuid, p_id uuid, p_base_version integer, p_author_id uuid, p_owner_required uuid,
  p_graph jsonb, p_graph_hash text, p_component_count integer, p_relation_count integer, p_message text,
  p_name text, p_description text, p_idempotency_key text
)
RETURNS TABLE (version integer, graph_hash text, unchanged boolean, replayed boolean, project_id uuid, cloud text, status text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_bp record;
  v_current record;
  v_prior record;
BEGIN
  IF p_idempotency_key IS NOT NULL THEN
    SELECT v.number, v.graph_hash::text AS graph_hash, v.blueprint_id INTO v_prior
    FROM public.blueprint_versions v
    WHERE v.tenant_id = p_tenant_id AND v.idempotency_key = p_idempotency_key;
    IF FOUND THEN
      IF v_prior.blueprint_id <> p_id OR v_prior.graph_hash <> p_graph_hash OR v_prior.number <> p_base_version + 1 THEN
        RAISE EXCEPTION 'this key was already used for a different save (another blueprint, base version or graph)'
          USING ERRCODE = 'DH422', COLUMN = 'Idempotency-Key';
      END IF;
      RETURN QUERY SELECT v_prior.number, v_prior.graph_hash, false, true, b.project_id, b.cloud, b.status
        FROM public.blueprints b WHERE b.tenant_id = p_tenant_id AND b.id = p_id;
      RETURN;
    END IF;
  END IF;
  -- Lock the blueprint row alone: FOR UPDATE on a join re-checks the join after a competing commit and would drop
  -- the row (the old current version no longer matches), turning a conflict into a false "not found".
  SELECT b.current_version, b.archived_at, b.created_by, b.project_id, b.cloud, b.status, b.name, b.description INTO v_bp
  FROM public.blueprints b WHERE b.tenant_id = p_tenant_id AND b.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'blueprint not found' USING ERRCODE = 'DH404', COLUMN = 'id';
  END IF;
  IF p_owner_required IS NOT NULL AND v_bp.created_by IS DISTINCT FROM p_owner_required THEN
    RAISE EXCEPTION 'you may only edit blueprints you created' USING ERRCODE = 'DH403', COLUMN = 'id';
  END IF;
  IF v_bp.archived_at IS NOT NULL THEN
    RAISE EXCEPTION 'blueprint is archived; restore it before saving a version' USING ERRCODE = 'DH412', COLUMN = 'id';
  END IF;
  IF v_bp.current_version <> p_base_version THEN
    RAISE EXCEPTION 'blueprint is at version %, not %: reload and re-apply your changes', v_bp.current_version, p_base_version
      USING ERRCODE = 'DH409', COLUMN = 'baseVersion', DETAIL = json_build_object('currentVersion', v_bp.current_version)::text;
  END IF;
  SELECT v.id, v.graph_hash::text AS graph_hash INTO v_current
  FROM public.blueprint_versions v
  WHERE v.tenant_id = p_tenant_id AND v.blueprint_id = p_id AND v.number = v_bp.current_version;
  IF v_current.graph_hash = p_graph_hash THEN
    IF coalesce(p_name, v_bp.name) = v_bp.name AND coalesce(p_description, v_bp.description) = v_bp.description THEN
      RETURN QUERY SELECT v_bp.current_version, v_current.graph_hash, true, false, v_bp.project_id, v_bp.cloud, v_bp.status;
      RETURN;
    END IF;
    UPDATE public.blueprints b
    SET name = coalesce(p_name, b.name), description = coalesce(p_description, b.description), updated_at = now()
    WHERE b.tenant_id = p_tenant_id AND b.id = p_id;
    PERFORM audit_record('blueprint.update', 'blueprint', p_id::text,
      jsonb_build_object('name', v_bp.name, 'description', v_bp.description),
      jsonb_build_object('name', coalesce(p_name, v_bp.name), 'description', coalesce(p_description, v_bp.description)));
    RETURN QUERY SELECT v_bp.current_version, v_current.graph_hash, false, false, v_bp.project_id, v_bp.cloud, v_bp.status;
    RETURN;
  END IF;
  INSERT INTO public.blueprint_versions (tenant_id, blueprint_id, number, parent_id, message, author_id, graph, graph_hash, component_count, relation_count, idempotency_key)
  VALUES (p_tenant_id, p_id, v_bp.current_version + 1, v_current.id, p_message, p_author_id, p_graph, p_graph_hash, p_component_count, p_relation_count, p_idempotency_key);
  UPDATE public.blueprints b
  SET current_version = v_bp.current_version + 1, updated_at = now(),
      name = coalesce(p_name, b.name), description = coalesce(p_description, b.description)
  WHERE b.tenant_id = p_tenant_id AND b.id = p_id;
  PERFORM audit_record('blueprint.save_version', 'blueprint', p_id::text,
    jsonb_build_object('version', v_bp.current_version, 'graphHash', v_current.graph_hash, 'name', v_bp.name, 'description', v_bp.description),
    jsonb_build_object('version', v_bp.current_version + 1, 'graphHash', p_graph_hash, 'name', coalesce(p_name, v_bp.name), 'description', coalesce(p_description, v_bp.description), 'message', p_message));
  RETURN QUERY SELECT v_bp.current_version + 1, p_graph_hash, false, false, v_bp.project_id, v_bp.cloud, v_bp.status;
END;
$$;--> statement-breakpoint
