ALTER TABLE "statuses" ADD COLUMN "remix_of_id" text;--> statement-breakpoint
ALTER TABLE "statuses" ADD CONSTRAINT "statuses_remix_of_id_statuses_id_fk" FOREIGN KEY ("remix_of_id") REFERENCES "public"."statuses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statuses_remix_idx" ON "statuses" USING btree ("remix_of_id","id");