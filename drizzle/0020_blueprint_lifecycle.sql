ALTER TABLE "blueprints" ADD COLUMN "review_version" integer;--> statement-breakpoint
ALTER TABLE "blueprints" ADD COLUMN "approved_version" integer;