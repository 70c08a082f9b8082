-- recommendation_decisions is a tenant table (migration 0017): added to the list and created in every tenant schema.
CREATE OR REPLACE FUNCTION tenant_schema_tables() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY['projects', 'environments', 'blueprints', 'blueprint_versions', 'audit_events',
               'guardrail_policies', 'guardrail_exemptions', 'guardrail_evaluations',
               'price_overrides', 'cost_discounts', 'budgets', 'budget_alerts', 'recommendation_decisions']
$$;--> statement-breakpoint
SELECT tenant_schema_copy_table(s, 'recommendation_decisions', 'table') FROM tenant_schemas() s;--> statement-breakpoint
SELECT tenant_schema_copy_table(s, 'recommendation_decisions', 'keys') FROM tenant_schemas() s;
