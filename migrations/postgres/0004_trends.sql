CREATE TABLE "status_trends" (
	"status_id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"language" text,
	"score" double precision NOT NULL,
	"accounts" integer DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tag_trends" (
	"tag_name" text PRIMARY KEY NOT NULL,
	"score" double precision NOT NULL,
	"max_score" double precision NOT NULL,
	"max_score_at" timestamp (3) with time zone NOT NULL,
	"accounts" integer DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trend_refreshes" (
	"kind" text PRIMARY KEY NOT NULL,
	"read_until" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tags" ADD COLUMN "trendable" boolean;--> statement-breakpoint
ALTER TABLE "tags" ADD COLUMN "reviewed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "status_trends" ADD CONSTRAINT "status_trends_status_id_statuses_id_fk" FOREIGN KEY ("status_id") REFERENCES "public"."statuses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_trends" ADD CONSTRAINT "status_trends_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tag_trends" ADD CONSTRAINT "tag_trends_tag_name_tags_name_fk" FOREIGN KEY ("tag_name") REFERENCES "public"."tags"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "status_trends_score_idx" ON "status_trends" USING btree ("score");--> statement-breakpoint
CREATE INDEX "tag_trends_score_idx" ON "tag_trends" USING btree ("score");