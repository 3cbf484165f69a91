// Filters (Mastodon 4's custom filters): a local account's named rules that warn about, blur or hide
// statuses in the contexts it names, matched by keywords or by picked statuses. A v1 filter is one keyword
// of these (the v1 API maps onto the same rows, as Mastodon does).
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";
import { statuses } from "./statuses.ts";

/** Where a filter applies (Mastodon's CustomFilter::VALID_CONTEXTS). */
export type FilterContext = "home" | "notifications" | "public" | "thread" | "account";
/** What a match does: a warning the reader may click through, blurred media (4.4), or removal. */
export type FilterAction = "warn" | "hide" | "blur";

export const filters = sqliteTable(
  "filters",
  {
    id: id(),
    /** The owner, a local account. */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    context: text("context", { mode: "json" }).$type<FilterContext[]>().notNull(),
    action: text("action").$type<FilterAction>().notNull().default("warn"),
    /** Null: never expires. An expired filter is kept (as Mastodon keeps it) but no longer applies. */
    expiresAt: timestamp("expires_at"),
    createdAt: createdAt(),
  },
  (t) => [index("filters_account_idx").on(t.accountId, t.id)],
);

export type Filter = typeof filters.$inferSelect;
export type NewFilter = typeof filters.$inferInsert;

export const filterKeywords = sqliteTable(
  "filter_keywords",
  {
    id: id(),
    filterId: text("filter_id")
      .notNull()
      .references(() => filters.id, { onDelete: "cascade" }),
    keyword: text("keyword").notNull(),
    /** Mastodon's default: a keyword matches whole words only. */
    wholeWord: integer("whole_word", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [index("filter_keywords_filter_idx").on(t.filterId, t.id)],
);

export type FilterKeyword = typeof filterKeywords.$inferSelect;

export const filterStatuses = sqliteTable(
  "filter_statuses",
  {
    id: id(),
    filterId: text("filter_id")
      .notNull()
      .references(() => filters.id, { onDelete: "cascade" }),
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
  },
  (t) => [
    uniqueIndex("filter_statuses_pair_unique").on(t.filterId, t.statusId),
    index("filter_statuses_status_idx").on(t.statusId),
  ],
);

export type FilterStatus = typeof filterStatuses.$inferSelect;
