-- blueprint_create also leaves the id it created (or found by its idempotency key) in the transaction-local setting
-- app.created_blueprint, so a statement after it in the same message can read the new row by primary key. Finding it
-- by project and name instead cannot use the name index under row-level security: lower() is not leakproof, so the
-- planner may not evaluate it before the tenant policy and scanned the project's rows (17 ms in a 33,000-row
-- project, docs/PERFORMANCE.md).
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
  RETURN QUERY SELECT v_id, 1, false;
END;
$$;
