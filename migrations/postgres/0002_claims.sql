CREATE TABLE "remote_media_downloads" (
	"status_id" text PRIMARY KEY NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_by" text,
	"claimed_until" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "domain_events" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "domain_events" ADD COLUMN "claimed_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD COLUMN "claimed_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "remote_media_downloads" ADD CONSTRAINT "remote_media_downloads_status_id_statuses_id_fk" FOREIGN KEY ("status_id") REFERENCES "public"."statuses"("id") ON DELETE cascade ON UPDATE no action;