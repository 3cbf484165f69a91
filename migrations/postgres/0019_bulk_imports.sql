CREATE TABLE "bulk_import_rows" (
	"id" text PRIMARY KEY NOT NULL,
	"bulk_import_id" text NOT NULL,
	"line" integer NOT NULL,
	"data" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "bulk_imports" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"type" text NOT NULL,
	"overwrite" boolean DEFAULT false NOT NULL,
	"original_filename" text,
	"state" text DEFAULT 'queued' NOT NULL,
	"total_items" integer DEFAULT 0 NOT NULL,
	"processed_items" integer DEFAULT 0 NOT NULL,
	"imported_items" integer DEFAULT 0 NOT NULL,
	"error_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_by" text,
	"claimed_until" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "bulk_import_rows" ADD CONSTRAINT "bulk_import_rows_bulk_import_id_bulk_imports_id_fk" FOREIGN KEY ("bulk_import_id") REFERENCES "public"."bulk_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_imports" ADD CONSTRAINT "bulk_imports_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_import_rows_import_idx" ON "bulk_import_rows" USING btree ("bulk_import_id","state","line");--> statement-breakpoint
CREATE INDEX "bulk_imports_state_idx" ON "bulk_imports" USING btree ("state","id");--> statement-breakpoint
CREATE INDEX "bulk_imports_account_idx" ON "bulk_imports" USING btree ("account_id","id");