// Moderation records: reports (incoming Flag activities and local reports) and blocked domains.
import { sql } from "drizzle-orm";
import { sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";

export const reports = sqliteTable(
  "reports",
  {
    id: id(),
    /** The Flag activity's id, for remote reports. */
    iri: text("iri"),
    /** Who reported (a remote account, or a local user). */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    targetAccountId: text("target_account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    statusIds: text("status_ids", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    comment: text("comment").notNull().default(""),
    createdAt: createdAt(),
    resolvedAt: timestamp("resolved_at"),
  },
  (t) => [uniqueIndex("reports_iri_unique").on(t.iri)],
);

/** Instances we neither accept activities from nor deliver to. Host, lower-case, port included if any. */
export const domainBlocks = sqliteTable("domain_blocks", {
  domain: text("domain").primaryKey(),
  reason: text("reason").notNull().default(""),
  createdAt: createdAt(),
});
