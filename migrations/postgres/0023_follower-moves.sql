CREATE TABLE "follower_moves" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"target_account_id" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"total_items" integer DEFAULT 0 NOT NULL,
	"processed_items" integer DEFAULT 0 NOT NULL,
	"moved_items" integer DEFAULT 0 NOT NULL,
	"cursor" text,
	"error_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_by" text,
	"claimed_until" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "follower_moves" ADD CONSTRAINT "follower_moves_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follower_moves" ADD CONSTRAINT "follower_moves_target_account_id_accounts_id_fk" FOREIGN KEY ("target_account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follower_moves_state_idx" ON "follower_moves" USING btree ("state","id");--> statement-breakpoint
CREATE INDEX "follower_moves_account_idx" ON "follower_moves" USING btree ("account_id","id");