CREATE TABLE "guardrail_evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"blueprint_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"score" integer NOT NULL,
	"passed" boolean NOT NULL,
	"blocking" integer NOT NULL,
	"findings" jsonb NOT NULL,
	"evaluated_by" uuid,
	"evaluated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "guardrail_evaluations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "guardrail_exemptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"blueprint_id" uuid NOT NULL,
	"policy_key" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"requested_by" uuid,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "guardrail_exemptions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "guardrail_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"severity" text NOT NULL,
	"enforcement" text NOT NULL,
	"target" text DEFAULT 'component' NOT NULL,
	"kinds" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"when" text,
	"expression" text NOT NULL,
	"message" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "guardrail_policies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "guardrail_evaluations" ADD CONSTRAINT "guardrail_evaluations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardrail_evaluations" ADD CONSTRAINT "guardrail_evaluations_evaluated_by_users_id_fk" FOREIGN KEY ("evaluated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardrail_evaluations" ADD CONSTRAINT "guardrail_evaluations_blueprint_fk" FOREIGN KEY ("tenant_id","blueprint_id") REFERENCES "public"."blueprints"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardrail_exemptions" ADD CONSTRAINT "guardrail_exemptions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardrail_exemptions" ADD CONSTRAINT "guardrail_exemptions_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardrail_exemptions" ADD CONSTRAINT "guardrail_exemptions_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardrail_exemptions" ADD CONSTRAINT "guardrail_exemptions_blueprint_fk" FOREIGN KEY ("tenant_id","blueprint_id") REFERENCES "public"."blueprints"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardrail_policies" ADD CONSTRAINT "guardrail_policies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardrail_policies" ADD CONSTRAINT "guardrail_policies_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guardrail_evaluations_latest_idx" ON "guardrail_evaluations" USING btree ("tenant_id","blueprint_id","version","evaluated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "guardrail_exemptions_blueprint_idx" ON "guardrail_exemptions" USING btree ("tenant_id","blueprint_id");--> statement-breakpoint
CREATE UNIQUE INDEX "guardrail_policies_key" ON "guardrail_policies" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE POLICY "guardrail_evaluations_tenant_isolation" ON "guardrail_evaluations" AS PERMISSIVE FOR ALL TO "app_user" USING ("guardrail_evaluations"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("guardrail_evaluations"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "guardrail_exemptions_tenant_isolation" ON "guardrail_exemptions" AS PERMISSIVE FOR ALL TO "app_user" USING ("guardrail_exemptions"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("guardrail_exemptions"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "guardrail_policies_tenant_isolation" ON "guardrail_policies" AS PERMISSIVE FOR ALL TO "app_user" USING ("guardrail_policies"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("guardrail_policies"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);