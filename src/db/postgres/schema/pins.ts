// PostgreSQL's pinned statuses and featured hashtags: the tables of src/db/schema/pins.ts.
import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { createdAt, id } from "./columns.ts";
import { statuses, tags } from "./statuses.ts";

export const statusPins = pgTable(
  "status_pins",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("status_pins_pair_unique").on(t.accountId, t.statusId),
    index("status_pins_account_idx").on(t.accountId, t.id),
  ],
);

export const featuredTags = pgTable(
  "featured_tags",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    tagName: text("tag_name")
      .notNull()
      .references(() => tags.name, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("featured_tags_pair_unique").on(t.accountId, t.tagName),
    index("featured_tags_account_idx").on(t.accountId, t.id),
  ],
);
