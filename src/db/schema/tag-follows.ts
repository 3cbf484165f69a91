// Followed hashtags (Mastodon's tag follows): a local account's public statuses feed for a tag. The home
// timeline reads them as a condition (db/queries/visibility.ts inHomeOf), so following or unfollowing a
// tag changes home at once, for past statuses too, and no feed rows need writing or removing.
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, id } from "./columns.ts";
import { tags } from "./statuses.ts";

export const tagFollows = sqliteTable(
  "tag_follows",
  {
    /** Pages GET /api/v1/followed_tags (Mastodon pages by its tag_follows id too). */
    id: id(),
    /** The follower, a local account. */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Lower-case tag name, as tags.name. */
    tagName: text("tag_name")
      .notNull()
      .references(() => tags.name, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    // One follow per tag; also the probe the home timeline makes for each tagged status.
    uniqueIndex("tag_follows_pair_unique").on(t.accountId, t.tagName),
    index("tag_follows_account_idx").on(t.accountId, t.id),
    index("tag_follows_tag_idx").on(t.tagName),
  ],
);

export type TagFollow = typeof tagFollows.$inferSelect;
