ALTER TABLE "statuses" ADD COLUMN "quote_state" text;--> statement-breakpoint
ALTER TABLE "statuses" ADD COLUMN "quote_authorization_iri" text;--> statement-breakpoint
ALTER TABLE "statuses" ADD COLUMN "quote_policy" text;--> statement-breakpoint
CREATE INDEX "statuses_quote_idx" ON "statuses" USING btree ("quote_of_id","id");