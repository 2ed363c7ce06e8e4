CREATE TABLE "revision_leases" (
	"task_id" uuid PRIMARY KEY NOT NULL,
	"round_id" uuid NOT NULL,
	"snapshot_key" text NOT NULL,
	"previous_post" text DEFAULT '' NOT NULL,
	"owner" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "revision_leases_round" UNIQUE("round_id")
);
--> statement-breakpoint
ALTER TABLE "revision_leases" ADD CONSTRAINT "revision_leases_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_leases" ADD CONSTRAINT "revision_leases_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "revision_leases_expires_idx" ON "revision_leases" USING btree ("expires_at");