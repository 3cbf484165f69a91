ALTER TABLE "tags" ADD COLUMN "trendable" boolean;--> statement-breakpoint
ALTER TABLE "tags" ADD COLUMN "reviewed_at" timestamp (3) with time zone;