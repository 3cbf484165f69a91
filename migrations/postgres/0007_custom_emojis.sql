CREATE TABLE "account_emojis" (
	"account_id" text NOT NULL,
	"emoji_id" text NOT NULL,
	CONSTRAINT "account_emojis_account_id_emoji_id_pk" PRIMARY KEY("account_id","emoji_id")
);
--> statement-breakpoint
CREATE TABLE "custom_emojis" (
	"id" text PRIMARY KEY NOT NULL,
	"shortcode" text NOT NULL,
	"domain" text,
	"iri" text,
	"remote_url" text,
	"image_key" text,
	"static_key" text,
	"category" text,
	"visible_in_picker" boolean DEFAULT true NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp (3) with time zone,
	"copy_attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_emojis" (
	"status_id" text NOT NULL,
	"emoji_id" text NOT NULL,
	CONSTRAINT "status_emojis_status_id_emoji_id_pk" PRIMARY KEY("status_id","emoji_id")
);
--> statement-breakpoint
ALTER TABLE "account_emojis" ADD CONSTRAINT "account_emojis_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_emojis" ADD CONSTRAINT "account_emojis_emoji_id_custom_emojis_id_fk" FOREIGN KEY ("emoji_id") REFERENCES "public"."custom_emojis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_emojis" ADD CONSTRAINT "status_emojis_status_id_statuses_id_fk" FOREIGN KEY ("status_id") REFERENCES "public"."statuses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_emojis" ADD CONSTRAINT "status_emojis_emoji_id_custom_emojis_id_fk" FOREIGN KEY ("emoji_id") REFERENCES "public"."custom_emojis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_emojis_emoji_idx" ON "account_emojis" USING btree ("emoji_id");--> statement-breakpoint
CREATE UNIQUE INDEX "custom_emojis_local_shortcode_unique" ON "custom_emojis" USING btree ("shortcode") WHERE "custom_emojis"."domain" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "custom_emojis_remote_shortcode_unique" ON "custom_emojis" USING btree ("shortcode","domain") WHERE "custom_emojis"."domain" is not null;--> statement-breakpoint
CREATE INDEX "status_emojis_emoji_idx" ON "status_emojis" USING btree ("emoji_id");--> statement-breakpoint
ALTER TABLE "accounts" DROP COLUMN "emojis";