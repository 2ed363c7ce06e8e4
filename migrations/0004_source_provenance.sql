ALTER TABLE "videos" ADD COLUMN "source_name" text;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "partial_text" text;--> statement-breakpoint
ALTER TABLE "task_versions" ADD COLUMN "provenance" jsonb;