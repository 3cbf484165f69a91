ALTER TABLE "generation_jobs" ADD COLUMN "kind" text DEFAULT 'generate' NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD COLUMN "session_id" text;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD COLUMN "depth" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD COLUMN "mask_png" text;--> statement-breakpoint
CREATE INDEX "generation_jobs_session_idx" ON "generation_jobs" USING btree ("session_id","id");