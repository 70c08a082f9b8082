-- The enterprise isolation tier (tenants.isolation = 'schema'): the tenant's design data, its projects,
-- environments, blueprints, versions and audit events, lives in a schema of its own, tenant_<id without dashes>,
-- and nowhere else. Everything a sign-in reads before it knows the tenant (tenants, people, grants, teams, tokens,
-- identity providers, SSO state) is the control plane and stays in the shared tables under row-level security.
--
-- The schema is chosen per transaction: every tenant transaction sets search_path to '<tenant schema>, public,
-- pg_temp' next to app.tenant_id (packages/db/src/tenant.ts, tenantSettings). A standard tenant has no such schema,
-- and PostgreSQL skips a schema that does not exist, so its unqualified table names resolve to public exactly as
-- before, with the same cached plans (a plan remembers the schemas that exist on the path, not the path's text).
-- The blueprint functions and audit_record below therefore name their tables without `public.`.
--
-- A tenant schema is built from the shared tables (tenant_schema_create): each table LIKE its public twin INCLUDING
-- ALL (columns, defaults, checks, indexes), then its foreign keys, triggers, row-level-security policies and grants,
-- read from the catalog. A later migration that changes a tenant table changes the public one and then every tenant
-- schema the same way: `SELECT tenant_schemas_apply($$ ALTER TABLE blueprints ... $$);` (the statement runs once per
-- tenant schema with that schema first on the path). The migrator refuses to finish while any tenant schema differs
-- from public (tenant_schema_drift), so a forgotten step cannot go unnoticed.

CREATE FUNCTION tenant_schema_name(p_tenant uuid) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT 'tenant_' || replace(p_tenant::text, '-', '')
$$;--> statement-breakpoint

-- The tables an enterprise tenant holds in its own schema, in an order in which each one's foreign keys find theirs.
CREATE FUNCTION tenant_schema_tables() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY['projects', 'environments', 'blueprints', 'blueprint_versions', 'audit_events']
$$;--> statement-breakpoint

-- Where one of a tenant's tables is: its own schema's, when it has one, else the shared table.
CREATE FUNCTION tenant_table(p_tenant uuid, p_table text) RETURNS regclass LANGUAGE sql STABLE AS $$
  SELECT coalesce(to_regclass(format('%I.%I', tenant_schema_name(p_tenant), p_table)), to_regclass(format('public.%I', p_table)))
$$;--> statement-breakpoint

-- How many rows one tenant holds in one of its tables (wherever they live), optionally only those `p_where` keeps.
CREATE FUNCTION tenant_count(p_tenant uuid, p_table text, p_where text DEFAULT 'true') RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_count bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %s WHERE tenant_id = $1 AND (%s)', tenant_table(p_tenant, p_table), p_where) INTO v_count USING p_tenant;
  RETURN v_count;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tenant_count(uuid, text, text) FROM PUBLIC;--> statement-breakpoint

-- Copies one shared table into a tenant schema: the table, then (p_pass 'keys') its foreign keys, which may name
-- tables copied after it. Definitions are read from the catalog while only public is on the path, so they name
-- tables unqualified, and run with the tenant schema first, so those names find the tenant's own tables and the
-- shared ones (tenants, users, teams) find public.
CREATE FUNCTION tenant_schema_copy_table(p_schema text, p_table text, p_pass text) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
DECLARE
  v_source regclass := format('public.%I', p_table)::regclass;
  v_statements text[] := '{}';
  v_statement text;
  r record;
BEGIN
  IF p_pass = 'table' THEN
    -- Indexes by their own names (LIKE would name them anew): primary and unique keys as constraints, then the rest.
    v_statements := v_statements || format('CREATE TABLE %I.%I (LIKE public.%I INCLUDING ALL EXCLUDING INDEXES)', p_schema, p_table, p_table);
    FOR r IN SELECT c.conname, pg_get_constraintdef(c.oid, true) AS def FROM pg_constraint c WHERE c.conrelid = v_source AND c.contype IN ('p', 'u', 'x') ORDER BY c.conname LOOP
      v_statements := v_statements || format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', p_schema, p_table, r.conname, r.def);
    END LOOP;
    FOR r IN SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
             WHERE i.indrelid = v_source AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = v_source) ORDER BY ic.relname LOOP
      v_statements := v_statements || replace(r.def, format(' ON public.%I ', p_table), format(' ON %I.%I ', p_schema, p_table));
    END LOOP;
    IF (SELECT relrowsecurity FROM pg_class WHERE oid = v_source) THEN
      v_statements := v_statements || format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', p_schema, p_table);
    END IF;
    IF (SELECT relforcerowsecurity FROM pg_class WHERE oid = v_source) THEN
      v_statements := v_statements || format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', p_schema, p_table);
    END IF;
    FOR r IN SELECT * FROM pg_policies WHERE schemaname = 'public' AND tablename = p_table ORDER BY policyname LOOP
      v_statements := v_statements || (format('CREATE POLICY %I ON %I.%I AS %s FOR %s TO %s', r.policyname, p_schema, p_table, r.permissive, r.cmd,
        (SELECT string_agg(CASE WHEN role = 'public' THEN 'PUBLIC' ELSE quote_ident(role) END, ', ') FROM unnest(r.roles) AS role))
        || coalesce(' USING (' || r.qual || ')', '') || coalesce(' WITH CHECK (' || r.with_check || ')', ''));
    END LOOP;
    FOR r IN SELECT t.tgname, pg_get_triggerdef(t.oid, true) AS def FROM pg_trigger t WHERE t.tgrelid = v_source AND NOT t.tgisinternal ORDER BY t.tgname LOOP
      v_statements := v_statements || r.def;
    END LOOP;
    FOR r IN SELECT a.privilege_type, a.grantee FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = v_source AND a.grantee <> c.relowner LOOP
      v_statements := v_statements || format('GRANT %s ON %I.%I TO %s', r.privilege_type, p_schema, p_table,
        CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.grantee::regrole::text) END);
    END LOOP;
  ELSE
    FOR r IN SELECT c.conname, pg_get_constraintdef(c.oid, true) AS def FROM pg_constraint c WHERE c.conrelid = v_source AND c.contype = 'f' ORDER BY c.conname LOOP
      v_statements := v_statements || format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', p_schema, p_table, r.conname, r.def);
    END LOOP;
  END IF;
  PERFORM set_config('search_path', format('%I, public', p_schema), true);
  FOREACH v_statement IN ARRAY v_statements LOOP
    EXECUTE v_statement;
  END LOOP;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tenant_schema_copy_table(text, text, text) FROM PUBLIC;--> statement-breakpoint

-- Creates an enterprise tenant's schema with every tenant table (provisioning calls it; so may a migration that
-- moves an existing tenant). Returns the schema's name.
CREATE FUNCTION tenant_schema_create(p_tenant uuid) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_schema text := tenant_schema_name(p_tenant);
  v_table text;
BEGIN
  EXECUTE format('CREATE SCHEMA %I', v_schema);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO app_user', v_schema);
  FOREACH v_table IN ARRAY tenant_schema_tables() LOOP
    PERFORM tenant_schema_copy_table(v_schema, v_table, 'table');
  END LOOP;
  FOREACH v_table IN ARRAY tenant_schema_tables() LOOP
    PERFORM tenant_schema_copy_table(v_schema, v_table, 'keys');
  END LOOP;
  RETURN v_schema;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tenant_schema_create(uuid) FROM PUBLIC;--> statement-breakpoint

-- The tenant schemas in use: those of the enterprise tenants.
CREATE FUNCTION tenant_schemas() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT tenant_schema_name(t.id) FROM tenants t WHERE t.isolation = 'schema' ORDER BY 1
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tenant_schemas() FROM PUBLIC;--> statement-breakpoint

-- Runs one migration statement in every tenant schema (the schema first on the path); returns how many.
CREATE FUNCTION tenant_schemas_apply(p_statement text) RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_path text := current_setting('search_path');
  v_schema text;
  v_count integer := 0;
BEGIN
  FOR v_schema IN SELECT * FROM tenant_schemas() LOOP
    PERFORM set_config('search_path', format('%I, public', v_schema), true);
    EXECUTE p_statement;
    v_count := v_count + 1;
  END LOOP;
  PERFORM set_config('search_path', v_path, true);
  RETURN v_count;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tenant_schemas_apply(text) FROM PUBLIC;--> statement-breakpoint

-- How a tenant schema differs from the shared tables it copies: one line per column, index, constraint, trigger or
-- policy present on one side only (or defined differently), and per tenant table missing or extra. Empty when equal.
CREATE FUNCTION tenant_schema_drift(p_schema text) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  WITH tables AS (SELECT unnest(tenant_schema_tables()) AS name),
  shape AS (
    SELECT n.nspname AS schema, c.relname AS tbl, 'column ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
      || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') AS item
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
    UNION ALL
    SELECT n.nspname, c.relname, 'index ' || regexp_replace(pg_get_indexdef(i.indexrelid), ' ON \S+ ', ' ON ')
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    UNION ALL
    SELECT n.nspname, c.relname, 'constraint ' || k.conname || ' ' || pg_get_constraintdef(k.oid, true)
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    UNION ALL
    SELECT n.nspname, c.relname, 'trigger ' || t.tgname || ' ' || t.tgtype || ' ' || t.tgfoid::regproc::text
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal
    UNION ALL
    SELECT p.schemaname, p.tablename, 'policy ' || p.policyname || ' ' || p.cmd || ' ' || coalesce(p.qual, '') || ' ' || coalesce(p.with_check, '')
    FROM pg_policies p
  ),
  public_shape AS (SELECT s.tbl, s.item FROM shape s JOIN tables t ON t.name = s.tbl WHERE s.schema = 'public'),
  -- The tenant's definitions name its own tables with its schema (it is not on this function's path): drop it.
  tenant_shape AS (SELECT s.tbl, replace(s.item, p_schema || '.', '') AS item FROM shape s WHERE s.schema = p_schema)
  SELECT p_schema || ': missing ' || tbl || ' ' || item FROM (SELECT * FROM public_shape EXCEPT SELECT * FROM tenant_shape) m
  UNION ALL
  SELECT p_schema || ': extra ' || tbl || ' ' || item FROM (SELECT * FROM tenant_shape EXCEPT SELECT * FROM public_shape) e
  ORDER BY 1
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tenant_schema_drift(text) FROM PUBLIC;--> statement-breakpoint

-- Provisioning takes the isolation tier; an enterprise tenant gets its schema in the same transaction.
DROP FUNCTION platform_provision_tenant(text, text, text, text, text);--> statement-breakpoint
CREATE FUNCTION platform_provision_tenant(p_slug text, p_name text, p_tier text, p_isolation text, p_admin_email text, p_admin_name text)
RETURNS TABLE (tenant_id uuid, user_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_tenant uuid;
  v_user uuid;
BEGIN
  INSERT INTO tenants (slug, name, tier, isolation) VALUES (p_slug, p_name, p_tier, p_isolation) ON CONFLICT DO NOTHING RETURNING tenants.id INTO v_tenant;
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'a tenant with the slug % already exists', p_slug USING ERRCODE = 'DH409', COLUMN = 'slug';
  END IF;
  IF p_isolation = 'schema' THEN
    PERFORM tenant_schema_create(v_tenant);
  END IF;
  INSERT INTO users (tenant_id, email, name) VALUES (v_tenant, p_admin_email, p_admin_name) RETURNING users.id INTO v_user;
  INSERT INTO role_grants (tenant_id, user_id, role) VALUES (v_tenant, v_user, 'admin');
  EXECUTE format('INSERT INTO %s (tenant_id, slug, name, primary_cloud, owner_id) VALUES ($1, ''default'', ''Default'', ''aws'', $2)', tenant_table(v_tenant, 'projects'))
    USING v_tenant, v_user;
  RETURN QUERY SELECT v_tenant, v_user;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION platform_provision_tenant(text, text, text, text, text, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_provision_tenant(text, text, text, text, text, text) TO app_user;--> statement-breakpoint

DROP FUNCTION platform_tenants();--> statement-breakpoint
CREATE FUNCTION platform_tenants()
RETURNS TABLE (id uuid, slug text, name text, status text, tier text, isolation text, quotas jsonb, sso_required boolean, created_at timestamptz, users bigint, blueprints bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT t.id, t.slug, t.name, t.status, t.tier, t.isolation, t.quotas, t.sso_required, t.created_at,
    (SELECT count(*) FROM users u WHERE u.tenant_id = t.id AND u.kind = 'human'),
    tenant_count(t.id, 'blueprints', 'archived_at IS NULL')
  FROM tenants t ORDER BY t.slug
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION platform_tenants() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_tenants() TO app_user;--> statement-breakpoint

-- Offboarding counts where the tenant's rows are and drops an enterprise tenant's schema with them.
CREATE OR REPLACE FUNCTION platform_offboard_tenant(p_id uuid, p_platform_slug text)
RETURNS TABLE (slug text, users bigint, blueprints bigint, versions bigint, events bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_slug text;
  v_isolation text;
  v_users bigint; v_blueprints bigint; v_versions bigint; v_events bigint;
BEGIN
  SELECT t.slug, t.isolation INTO v_slug, v_isolation FROM tenants t WHERE t.id = p_id FOR UPDATE;
  IF v_slug IS NULL THEN
    RAISE EXCEPTION 'tenant not found' USING ERRCODE = 'DH404', COLUMN = 'tenantId';
  END IF;
  IF v_slug = p_platform_slug THEN
    RAISE EXCEPTION 'the platform tenant % cannot be offboarded', v_slug USING ERRCODE = 'DH400', COLUMN = 'tenantId';
  END IF;
  SELECT count(*) INTO v_users FROM users u WHERE u.tenant_id = p_id;
  v_blueprints := tenant_count(p_id, 'blueprints');
  v_versions := tenant_count(p_id, 'blueprint_versions');
  v_events := tenant_count(p_id, 'audit_events');
  PERFORM set_config('app.offboarding', p_id::text, true);
  IF v_isolation = 'schema' THEN
    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', tenant_schema_name(p_id));
  END IF;
  DELETE FROM audit_events e WHERE e.tenant_id = p_id;
  DELETE FROM tenants t WHERE t.id = p_id;
  PERFORM set_config('app.offboarding', '', true);
  RETURN QUERY SELECT v_slug, v_users, v_blueprints, v_versions, v_events;
END;
$$;--> statement-breakpoint

-- Quotas count the table the row goes into, in the schema it goes into.
CREATE OR REPLACE FUNCTION enforce_tenant_quota() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
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
  EXECUTE format('SELECT count(*) FROM %I.%I WHERE tenant_id = $1', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO v_count USING NEW.tenant_id;
  IF v_count >= v_limit THEN
    RAISE EXCEPTION 'quota % exceeded: this tenant may hold at most % %; ask your platform administrator to raise it', v_quota, v_limit, v_quota
      USING ERRCODE = 'DH403', COLUMN = 'quota';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint

-- The functions below name their tables unqualified, so the transaction's search_path picks the tenant's schema.
-- Bodies unchanged otherwise (migrations 0003 and 0009).
CREATE OR REPLACE FUNCTION blueprint_detail(p_id uuid)
RETURNS TABLE (
  id uuid, project_id uuid, project_name text, name text, description text, cloud text, status text,
  current_version integer, component_count integer, created_by uuid, created_by_name text,
  created_at timestamptz, updated_at timestamptz, archived_at timestamptz, graph jsonb, graph_hash text
)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
  SELECT b.id, b.project_id, p.name, b.name, b.description, b.cloud, b.status,
         b.current_version, v.component_count, b.created_by, u.name,
         b.created_at, b.updated_at, b.archived_at, v.graph, v.graph_hash::text
  FROM blueprints b
  JOIN projects p ON p.tenant_id = b.tenant_id AND p.id = b.project_id
  JOIN blueprint_versions v ON v.tenant_id = b.tenant_id AND v.blueprint_id = b.id AND v.number = b.current_version
  LEFT JOIN users u ON u.id = b.created_by
  WHERE b.id = p_id;
END;
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION audit_record(p_action text, p_target_type text, p_target_id text, p_before jsonb, p_after jsonb)
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_ctx jsonb := nullif(current_setting('app.audit', true), '')::jsonb;
BEGIN
  IF v_ctx IS NULL OR v_ctx->>'actorType' IS NULL THEN
    RAISE EXCEPTION 'audited change % without an actor (app.audit is not set)', p_action USING ERRCODE = 'DH500';
  END IF;
  INSERT INTO audit_events (tenant_id, actor_id, actor_type, actor_label, action, target_type, target_id, before, after, request_id, ip, user_agent)
  VALUES (nullif(current_setting('app.tenant_id', true), '')::uuid, (v_ctx->>'actorId')::uuid, v_ctx->>'actorType', coalesce(v_ctx->>'actorLabel', ''),
    p_action, p_target_type, p_target_id, p_before, p_after, v_ctx->>'requestId', v_ctx->>'ip', v_ctx->>'userAgent');
END;
$$;--> statement-breakpoint

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
    FROM blueprints b
    JOIN blueprint_versions v ON v.tenant_id = b.tenant_id AND v.blueprint_id = b.id AND v.number = 1
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
  PERFORM 1 FROM projects p WHERE p.tenant_id = p_tenant_id AND p.id = p_project_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'project not found' USING ERRCODE = 'DH404', COLUMN = 'projectId';
  END IF;
  INSERT INTO blueprints (tenant_id, project_id, name, description, cloud, created_by, idempotency_key)
  VALUES (p_tenant_id, p_project_id, p_name, p_description, p_cloud, p_author_id, p_idempotency_key)
  RETURNING blueprints.id INTO v_id;
  INSERT INTO blueprint_versions (tenant_id, blueprint_id, number, parent_id, message, author_id, graph, graph_hash, component_count, relation_count)
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
  UPDATE blueprints b
  SET current_version = v_bp.current_version + 1, updated_at = now(),
      name = coalesce(p_name, b.name), description = coalesce(p_description, b.description)
  WHERE b.tenant_id = p_tenant_id AND b.id = p_id;
  PERFORM audit_record('blueprint.save_version', 'blueprint', p_id::text,
    jsonb_build_object('version', v_bp.current_version, 'graphHash', v_current.graph_hash, 'name', v_bp.name, 'description', v_bp.description),
    jsonb_build_object('version', v_bp.current_version + 1, 'graphHash', p_graph_hash, 'name', coalesce(p_name, v_bp.name), 'description', coalesce(p_description, v_bp.description), 'message', p_message));
  RETURN QUERY SELECT v_bp.current_version + 1, p_graph_hash, false, false, v_bp.project_id, v_bp.cloud, v_bp.status;
END;
$$;
