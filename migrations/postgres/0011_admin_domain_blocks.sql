-- Hand-edited: each block_id column is added empty, every existing block is given a time-sortable id from
-- its creation time (src/db/ids.ts's form: milliseconds shifted 16 bits, a row number in the low bits so
-- that two blocks of the same millisecond differ), and only then required. New rows get their id from the
-- application.
CREATE TABLE "email_domain_block_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"domain" text NOT NULL,
	"address_hash" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "domain_blocks" ADD COLUMN "block_id" text;--> statement-breakpoint
UPDATE "domain_blocks" AS d SET "block_id" = ((floor(extract(epoch from d."created_at") * 1000)::bigint << 16) + n.rn % 65536)::text FROM (SELECT "domain", row_number() OVER (ORDER BY "domain") AS rn FROM "domain_blocks") AS n WHERE n."domain" = d."domain";--> statement-breakpoint
ALTER TABLE "domain_blocks" ALTER COLUMN "block_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "domain_blocks" ADD COLUMN "private_comment" text;--> statement-breakpoint
ALTER TABLE "domain_blocks" ADD COLUMN "obfuscate" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "email_domain_blocks" ADD COLUMN "block_id" text;--> statement-breakpoint
UPDATE "email_domain_blocks" AS d SET "block_id" = ((floor(extract(epoch from d."created_at") * 1000)::bigint << 16) + n.rn % 65536)::text FROM (SELECT "domain", row_number() OVER (ORDER BY "domain") AS rn FROM "email_domain_blocks") AS n WHERE n."domain" = d."domain";--> statement-breakpoint
ALTER TABLE "email_domain_blocks" ALTER COLUMN "block_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "email_domain_block_attempts" ADD CONSTRAINT "email_domain_block_attempts_domain_email_domain_blocks_domain_fk" FOREIGN KEY ("domain") REFERENCES "public"."email_domain_blocks"("domain") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_domain_block_attempts_domain_idx" ON "email_domain_block_attempts" USING btree ("domain","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "domain_blocks_block_id_unique" ON "domain_blocks" USING btree ("block_id");--> statement-breakpoint
CREATE UNIQUE INDEX "email_domain_blocks_block_id_unique" ON "email_domain_blocks" USING btree ("block_id");