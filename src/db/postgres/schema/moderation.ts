// PostgreSQL's reports and blocked domains: the tables of src/db/schema/moderation.ts.
import { sql } from "drizzle-orm";
import { jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { ReportCategory } from "../../schema/moderation.ts";
import { accounts } from "./accounts.ts";
import { createdAt, flag, id, timestamp } from "./columns.ts";

export const reports = pgTable(
  "reports",
  {
    id: id(),
    iri: text("iri"),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    targetAccountId: text("target_account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    statusIds: jsonb("status_ids").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    comment: text("comment").notNull().default(""),
    category: text("category").$type<ReportCategory>().notNull().default("other"),
    forwarded: flag("forwarded"),
    createdAt: createdAt(),
    resolvedAt: timestamp("resolved_at"),
  },
  (t) => [uniqueIndex("reports_iri_unique").on(t.iri)],
);

export const domainBlocks = pgTable("domain_blocks", {
  domain: text("domain").primaryKey(),
  reason: text("reason").notNull().default(""),
  createdAt: createdAt(),
});
