ALTER TABLE "domain_events" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "domain_events" ADD COLUMN "claimed_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD COLUMN "claimed_until" timestamp (3) with time zone;