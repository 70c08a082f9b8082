-- Blueprint writes as PL/pgSQL functions. The services call one in a single simple-protocol message together with
-- the tenant setting (`select set_config('app.tenant_id', ..., true); select * from blueprint_create(...)`, see
-- createTenantStatements in packages/db/src/tenant.ts), which PostgreSQL runs as one implicit transaction: a create
-- or a version save is one round trip through PgBouncer instead of ten (BEGIN, set_config, a check, two inserts and
-- COMMIT, each statement with parameters costing two with postgres.js and prepare: false), and a server connection
-- is held only while the function runs. PL/pgSQL keeps the plans of its statements per server connection.
-- SECURITY INVOKER (the default): row-level security applies as to the statements themselves.
-- Mistakes a user can make are raised with SQLSTATEs of our own class DH (DH404 not found, DH403 forbidden, DH409
-- conflict, DH412 precondition failed, DH422 unprocessable), naming the input field in COLUMN; the data layer maps
-- them to domain errors (packages/db/src/errors.ts). Unique violations keep their constraint names, mapped there too.

CREATE FUNCTION blueprint_create(
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
  RETURN QUERY SELECT v_id, 1, false;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION blueprint_create(uuid, uuid, text, text, text, uuid, jsonb, text, integer, integer, text, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION blueprint_create(uuid, uuid, text, text, text, uuid, jsonb, text, integer, integer, text, text) TO app_user;--> statement-breakpoint

-- A new version on top of `p_base_version`. `p_owner_required`: the caller may only change blueprints this user
-- created (own scope; decided by the services' RBAC, enforced here under the row lock), or NULL for any.
-- A graph identical to the current version's (same canonical hash) makes no version: `unchanged` when the name and
-- description are unchanged too, else only they are updated. `p_name` / `p_description` NULL leave them as they are.
CREATE FUNCTION blueprint_save_version(
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
    RETURN QUERY SELECT v_bp.current_version, v_current.graph_hash, false, false, v_bp.project_id, v_bp.cloud, v_bp.status;
    RETURN;
  END IF;
  INSERT INTO public.blueprint_versions (tenant_id, blueprint_id, number, parent_id, message, author_id, graph, graph_hash, component_count, relation_count, idempotency_key)
  VALUES (p_tenant_id, p_id, v_bp.current_version + 1, v_current.id, p_message, p_author_id, p_graph, p_graph_hash, p_component_count, p_relation_count, p_idempotency_key);
  UPDATE public.blueprints b
  SET current_version = v_bp.current_version + 1, updated_at = now(),
      name = coalesce(p_name, b.name), description = coalesce(p_description, b.description)
  WHERE b.tenant_id = p_tenant_id AND b.id = p_id;
  RETURN QUERY SELECT v_bp.current_version + 1, p_graph_hash, false, false, v_bp.project_id, v_bp.cloud, v_bp.status;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION blueprint_save_version(uuid, uuid, integer, uuid, uuid, jsonb, text, integer, integer, text, text, text, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION blueprint_save_version(uuid, uuid, integer, uuid, uuid, jsonb, text, integer, integer, text, text, text, text) TO app_user;
