CREATE TABLE "domain_allows" (
	"id" text PRIMARY KEY NOT NULL,
	"domain" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "domain_allows_domain_unique" ON "domain_allows" USING btree ("domain");