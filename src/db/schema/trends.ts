// Trends (Mastodon's trending statuses and tags): the scores the periodic refresh (domain/trends/)
// last computed, kept as rows so that a read is one ordered scan of a small table, and the refresh's
// cursor. Mastodon keeps the same in Redis sorted sets and a status_trends table; both stores here
// need only these tables. Links do not trend yet: there are no preview cards to count.
import { index, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { counter, timestamp } from "./columns.ts";
import { statuses, tags } from "./statuses.ts";

/** A status whose decayed score passed Mastodon's decay threshold at the last refresh. */
export const statusTrends = sqliteTable(
  "status_trends",
  {
    statusId: text("status_id")
      .primaryKey()
      .references(() => statuses.id, { onDelete: "cascade" }),
    /** The author, so a read can leave out accounts the viewer blocked or muted without a join. */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    language: text("language"),
    score: real("score").notNull(),
    /** Distinct accounts that favourited, boosted or replied to it (the "why" a client may show). */
    accounts: counter("accounts"),
    refreshedAt: timestamp("refreshed_at").notNull(),
  },
  (t) => [index("status_trends_score_idx").on(t.score)],
);

export type StatusTrend = typeof statusTrends.$inferSelect;

/**
 * A tag that scored within Mastodon's max-score cooldown (two days): its peak is kept so the score
 * decays from it, and rows under the decay threshold stay until the peak is past the cooldown (a tag
 * that peaked must not restart from a smaller burst, as in Mastodon).
 */
export const tagTrends = sqliteTable(
  "tag_trends",
  {
    tagName: text("tag_name")
      .primaryKey()
      .references(() => tags.name, { onDelete: "cascade" }),
    /** The peak decayed to the last refresh; shown when at least the decay threshold. */
    score: real("score").notNull(),
    maxScore: real("max_score").notNull(),
    maxScoreAt: timestamp("max_score_at").notNull(),
    /** Distinct accounts that used it today (UTC), at the last refresh. */
    accounts: counter("accounts"),
    refreshedAt: timestamp("refreshed_at").notNull(),
  },
  (t) => [index("tag_trends_score_idx").on(t.score)],
);

export type TagTrend = typeof tagTrends.$inferSelect;

/**
 * How far each refresh has read ("statuses", "tags"): the next one reads interactions and tag uses
 * from here on (less a slack for late arrivals), never the whole history.
 */
export const trendRefreshes = sqliteTable("trend_refreshes", {
  kind: text("kind").primaryKey(),
  readUntil: timestamp("read_until").notNull(),
});
