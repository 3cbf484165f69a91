// What an account features on its profile: pinned statuses (Mastodon's status_pins, the actor's
// `featured` collection) and featured hashtags (the actor's `featuredTags` collection). Rows exist for
// local accounts (set through the API or the pages) and for remote ones (read from their collections).
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, id } from "./columns.ts";
import { statuses, tags } from "./statuses.ts";

export const statusPins = sqliteTable(
  "status_pins",
  {
    /** Time-sortable: the newest pin comes first on a profile. */
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

export type StatusPin = typeof statusPins.$inferSelect;

export const featuredTags = sqliteTable(
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

export type FeaturedTag = typeof featuredTags.$inferSelect;
