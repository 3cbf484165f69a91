// PostgreSQL's filters, their keywords and picked statuses: the tables of src/db/schema/filters.ts.
import { boolean, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { FilterAction, FilterContext } from "../../schema/filters.ts";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";
import { statuses } from "./statuses.ts";

export const filters = pgTable(
  "filters",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    context: jsonb("context").$type<FilterContext[]>().notNull(),
    action: text("action").$type<FilterAction>().notNull().default("warn"),
    expiresAt: timestamp("expires_at"),
    createdAt: createdAt(),
  },
  (t) => [index("filters_account_idx").on(t.accountId, t.id)],
);

export const filterKeywords = pgTable(
  "filter_keywords",
  {
    id: id(),
    filterId: text("filter_id")
      .notNull()
      .references(() => filters.id, { onDelete: "cascade" }),
    keyword: text("keyword").notNull(),
    wholeWord: boolean("whole_word").notNull().default(true),
  },
  (t) => [index("filter_keywords_filter_idx").on(t.filterId, t.id)],
);

export const filterStatuses = pgTable(
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
