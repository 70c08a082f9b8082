-- The guardrail tables are tenant tables: an enterprise tenant keeps its policies, exemptions and evaluations in its
-- own schema (migration 0017). The list grows, and every existing tenant schema gets the new tables the same way
-- provisioning would build them: each table first, then the foreign keys.
CREATE OR REPLACE FUNCTION tenant_schema_tables() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY['projects', 'environments', 'blueprints', 'blueprint_versions', 'audit_events',
               'guardrail_policies', 'guardrail_exemptions', 'guardrail_evaluations']
$$;--> statement-breakpoint
SELECT tenant_schema_copy_table(s, t, 'table') FROM tenant_schemas() s, unnest(ARRAY['guardrail_policies', 'guardrail_exemptions', 'guardrail_evaluations']) t;--> statement-breakpoint
SELECT tenant_schema_copy_table(s, t, 'keys') FROM tenant_schemas() s, unnest(ARRAY['guardrail_policies', 'guardrail_exemptions', 'guardrail_evaluations']) t;
