CREATE TABLE "recommendation_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"blueprint_id" uuid NOT NULL,
	"key" text NOT NULL,
	"decision" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"version" integer,
	"monthly_savings" numeric(14, 2) NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recommendation_decisions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "recommendation_decisions" ADD CONSTRAINT "recommendation_decisions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendation_decisions" ADD CONSTRAINT "recommendation_decisions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendation_decisions" ADD CONSTRAINT "recommendation_decisions_blueprint_fk" FOREIGN KEY ("tenant_id","blueprint_id") REFERENCES "public"."blueprints"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recommendation_decisions_key" ON "recommendation_decisions" USING btree ("tenant_id","blueprint_id","key");--> statement-breakpoint
CREATE POLICY "recommendation_decisions_tenant_isolation" ON "recommendation_decisions" AS PERMISSIVE FOR ALL TO "app_user" USING ("recommendation_decisions"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("recommendation_decisions"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);