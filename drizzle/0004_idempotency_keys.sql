ALTER TABLE "blueprint_versions" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "blueprints" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "blueprint_versions_idempotency_key" ON "blueprint_versions" USING btree ("tenant_id","idempotency_key") WHERE "blueprint_versions"."idempotency_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "blueprints_idempotency_key" ON "blueprints" USING btree ("tenant_id","idempotency_key") WHERE "blueprints"."idempotency_key" is not null;