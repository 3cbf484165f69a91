CREATE TABLE "album_items" (
	"id" text PRIMARY KEY NOT NULL,
	"album_id" text NOT NULL,
	"status_id" text NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "albums" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"title" text NOT NULL,
	"cover_status_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "statuses" ADD COLUMN "remix_of_id" text;--> statement-breakpoint
ALTER TABLE "album_items" ADD CONSTRAINT "album_items_album_id_albums_id_fk" FOREIGN KEY ("album_id") REFERENCES "public"."albums"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "album_items" ADD CONSTRAINT "album_items_status_id_statuses_id_fk" FOREIGN KEY ("status_id") REFERENCES "public"."statuses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "albums" ADD CONSTRAINT "albums_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "albums" ADD CONSTRAINT "albums_cover_status_id_statuses_id_fk" FOREIGN KEY ("cover_status_id") REFERENCES "public"."statuses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "album_items_pair_unique" ON "album_items" USING btree ("album_id","status_id");--> statement-breakpoint
CREATE INDEX "album_items_album_idx" ON "album_items" USING btree ("album_id","position");--> statement-breakpoint
CREATE INDEX "album_items_status_idx" ON "album_items" USING btree ("status_id");--> statement-breakpoint
CREATE INDEX "albums_account_idx" ON "albums" USING btree ("account_id","id");--> statement-breakpoint
ALTER TABLE "statuses" ADD CONSTRAINT "statuses_remix_of_id_statuses_id_fk" FOREIGN KEY ("remix_of_id") REFERENCES "public"."statuses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statuses_remix_idx" ON "statuses" USING btree ("remix_of_id","id");