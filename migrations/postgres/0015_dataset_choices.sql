CREATE TABLE "dataset_consent_events" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"change" text NOT NULL,
	"consent" boolean DEFAULT false NOT NULL,
	"license" text NOT NULL,
	"attribution" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_exports" (
	"id" text PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"since" timestamp (3) with time zone,
	"requested_by" text,
	"path" text,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"users" integer DEFAULT 0 NOT NULL,
	"byte_size" bigint,
	"error_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_by" text,
	"claimed_until" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "dataset_license" text DEFAULT 'cc-by' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "dataset_attribution" text DEFAULT 'anonymous' NOT NULL;--> statement-breakpoint
ALTER TABLE "statuses" ADD COLUMN "dataset_opt_out" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_consent_events" ADD CONSTRAINT "dataset_consent_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_exports" ADD CONSTRAINT "dataset_exports_requested_by_accounts_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_consent_events_account_idx" ON "dataset_consent_events" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "dataset_exports_state_idx" ON "dataset_exports" USING btree ("state","id");