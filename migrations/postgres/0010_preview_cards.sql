CREATE TABLE "link_trends" (
	"card_id" text PRIMARY KEY NOT NULL,
	"score" double precision NOT NULL,
	"max_score" double precision NOT NULL,
	"max_score_at" timestamp (3) with time zone NOT NULL,
	"accounts" integer DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "preview_card_fetches" (
	"status_id" text PRIMARY KEY NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_by" text,
	"claimed_until" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "preview_cards" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"state" text DEFAULT 'ready' NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"type" text DEFAULT 'link' NOT NULL,
	"author_name" text DEFAULT '' NOT NULL,
	"author_url" text DEFAULT '' NOT NULL,
	"provider_name" text DEFAULT '' NOT NULL,
	"provider_url" text DEFAULT '' NOT NULL,
	"html" text DEFAULT '' NOT NULL,
	"width" integer DEFAULT 0 NOT NULL,
	"height" integer DEFAULT 0 NOT NULL,
	"image_key" text,
	"image_description" text DEFAULT '' NOT NULL,
	"blurhash" text,
	"embed_url" text DEFAULT '' NOT NULL,
	"language" text,
	"published_at" timestamp (3) with time zone,
	"fetched_at" timestamp (3) with time zone NOT NULL,
	"trendable" boolean,
	"reviewed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "preview_cards_url_unique" UNIQUE("url")
);
--> statement-breakpoint
CREATE TABLE "status_preview_cards" (
	"status_id" text PRIMARY KEY NOT NULL,
	"card_id" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "link_trends" ADD CONSTRAINT "link_trends_card_id_preview_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."preview_cards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preview_card_fetches" ADD CONSTRAINT "preview_card_fetches_status_id_statuses_id_fk" FOREIGN KEY ("status_id") REFERENCES "public"."statuses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_preview_cards" ADD CONSTRAINT "status_preview_cards_status_id_statuses_id_fk" FOREIGN KEY ("status_id") REFERENCES "public"."statuses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_preview_cards" ADD CONSTRAINT "status_preview_cards_card_id_preview_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."preview_cards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "link_trends_score_idx" ON "link_trends" USING btree ("score");--> statement-breakpoint
CREATE INDEX "status_preview_cards_card_idx" ON "status_preview_cards" USING btree ("card_id","status_id");