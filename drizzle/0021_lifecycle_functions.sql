-- The blueprint lifecycle (draft -> review -> approved -> deprecated): the columns of migration 0020 in every tenant
-- schema, and a saved version sending a blueprint in review or approved back to draft (its approved version stays
-- approved_version, the one that is delivered). The status before and after is in the save's audit event.
SELECT tenant_schemas_apply('ALTER TABLE blueprints ADD COLUMN review_version integer');--> statement-breakpoint
SELECT tenant_schemas_apply('ALTER TABLE blueprints ADD COLUMN approved_version integer');--> statement-breakpoint
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
    FROM blueprint_versions v
    WHERE v.tenant_id = p_tenant_id AND v.idempotency_key = p_idempotency_key;
    IF FOUND THEN
      IF v_prior.blueprint_id <> p_id OR v_prior.graph_hash <> p_graph_hash OR v_prior.number <> p_base_version + 1 THEN
        RAISE EXCEPTION 'this key was already used for a different save (another blueprint, base version or graph)'
          USING ERRCODE = 'DH422', COLUMN = 'Idempotency-Key';
      END IF;
      RETURN QUERY SELECT v_prior.number, v_prior.graph_hash, false, true, b.project_id, b.cloud, b.status
        FROM blueprints b WHERE b.tenant_id = p_tenant_id AND b.id = p_id;
      RETURN;
    END IF;
  END IF;
  -- Lock the blueprint row alone: FOR UPDATE on a join re-checks the join after a competing commit and would drop
  -- the row (the old current version no longer matches), turning a conflict into a false "not found".
  SELECT b.current_version, b.archived_at, b.created_by, b.project_id, b.cloud, b.status, b.name, b.description INTO v_bp
  FROM blueprints b WHERE b.tenant_id = p_tenant_id AND b.id = p_id FOR UPDATE;
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
  FROM blueprint_versions v
  WHERE v.tenant_id = p_tenant_id AND v.blueprint_id = p_id AND v.number = v_bp.current_version;
  IF v_current.graph_hash = p_graph_hash THEN
    IF coalesce(p_name, v_bp.name) = v_bp.name AND coalesce(p_description, v_bp.description) = v_bp.description THEN
      RETURN QUERY SELECT v_bp.current_version, v_current.graph_hash, true, false, v_bp.project_id, v_bp.cloud, v_bp.status;
      RETURN;
    END IF;
    UPDATE blueprints b
    SET name = coalesce(p_name, b.name), description = coalesce(p_description, b.description), updated_at = now()
    WHERE b.tenant_id = p_tenant_id AND b.id = p_id;
    PERFORM audit_record('blueprint.update', 'blueprint', p_id::text,
      jsonb_build_object('name', v_bp.name, 'description', v_bp.description),
      jsonb_build_object('name', coalesce(p_name, v_bp.name), 'description', coalesce(p_description, v_bp.description)));
    RETURN QUERY SELECT v_bp.current_version, v_current.graph_hash, false, false, v_bp.project_id, v_bp.cloud, v_bp.status;
    RETURN;
  END IF;
  INSERT INTO blueprint_versions (tenant_id, blueprint_id, number, parent_id, message, author_id, graph, graph_hash, component_count, relation_count, idempotency_key)
  VALUES (p_tenant_id, p_id, v_bp.current_version + 1, v_current.id, p_message, p_author_id, p_graph, p_graph_hash, p_component_count, p_relation_count, p_idempotency_key);
  -- A new version of a blueprint in review or approved is a draft again; the approved version stays approved_version.
  UPDATE blueprints b
  SET current_version = v_bp.current_version + 1, updated_at = now(),
      name = coalesce(p_name, b.name), description = coalesce(p_description, b.description),
      status = CASE WHEN b.status IN ('review', 'approved') THEN 'draft' ELSE b.status END,
      review_version = NULL
  WHERE b.tenant_id = p_tenant_id AND b.id = p_id;
  PERFORM audit_record('blueprint.save_version', 'blueprint', p_id::text,
    jsonb_build_object('version', v_bp.current_version, 'graphHash', v_current.graph_hash, 'name', v_bp.name, 'description', v_bp.description, 'status', v_bp.status),
    jsonb_build_object('version', v_bp.current_version + 1, 'graphHash', p_graph_hash, 'name', coalesce(p_name, v_bp.name), 'description', coalesce(p_description, v_bp.description), 'message', p_message,
      'status', CASE WHEN v_bp.status IN ('review', 'approved') THEN 'draft' ELSE v_bp.status END));
  RETURN QUERY SELECT v_bp.current_version + 1, p_graph_hash, false, false, v_bp.project_id, v_bp.cloud, v_bp.status;
END;
$$;
