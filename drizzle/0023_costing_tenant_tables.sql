-- The cost tables are tenant tables (migration 0017): added to the list and created in every existing tenant schema.
CREATE OR REPLACE FUNCTION tenant_schema_tables() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY['projects', 'environments', 'blueprints', 'blueprint_versions', 'audit_events',
               'guardrail_policies', 'guardrail_exemptions', 'guardrail_evaluations',
               'price_overrides', 'cost_discounts', 'budgets', 'budget_alerts']
$$;--> statement-breakpoint
SELECT tenant_schema_copy_table(s, t, 'table') FROM tenant_schemas() s, unnest(ARRAY['price_overrides', 'cost_discounts', 'budgets', 'budget_alerts']) t;--> statement-breakpoint
SELECT tenant_schema_copy_table(s, t, 'keys') FROM tenant_schemas() s, unnest(ARRAY['price_overrides', 'cost_discounts', 'budgets', 'budget_alerts']) t;
