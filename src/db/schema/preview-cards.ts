// Link previews (Mastodon's PreviewCard): one row per fetched URL, shared by every status linking it,
// the status → card link, the durable queue of statuses whose first link is still to be fetched
// (domain/preview-cards/), and the trend rows of links (domain/trends/links.ts). Text fields are bounded
// before they are stored (domain/preview-cards/parse.ts), since they come from pages anyone controls.
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { counter, createdAt, id, timestamp } from "./columns.ts";
import { statuses } from "./statuses.ts";

export type PreviewCardType = "link" | "photo" | "video" | "rich";
/** ready: a card to show; failed: the URL answered nothing usable (kept so it is not refetched at once). */
export type PreviewCardState = "ready" | "failed";

export const previewCards = sqliteTable("preview_cards", {
  id: id(),
  /** The URL as it appears in statuses (the cache key). */
  url: text("url").notNull().unique(),
  state: text("state").$type<PreviewCardState>().notNull().default("ready"),
  title: text("title").notNull().default(""),
  description: text("description").notNull().default(""),
  type: text("type").$type<PreviewCardType>().notNull().default("link"),
  authorName: text("author_name").notNull().default(""),
  authorUrl: text("author_url").notNull().default(""),
  providerName: text("provider_name").notNull().default(""),
  providerUrl: text("provider_url").notNull().default(""),
  /** Sanitized oEmbed HTML (an iframe only), or "" when there is none or it was not safe. */
  html: text("html").notNull().default(""),
  width: integer("width").notNull().default(0),
  height: integer("height").notNull().default(0),
  /** The page's image, re-encoded by the media pipeline and stored here (a MediaStore key). */
  imageKey: text("image_key"),
  /** The image's alt text (og:image:alt). */
  imageDescription: text("image_description").notNull().default(""),
  blurhash: text("blurhash"),
  embedUrl: text("embed_url").notNull().default(""),
  language: text("language"),
  publishedAt: timestamp("published_at"),
  /** When the URL was last fetched; a card younger than the cache time is not fetched again. */
  fetchedAt: timestamp("fetched_at").notNull(),
  /**
   * An administrator's review for trends (Mastodon's `trendable`): true approved, false rejected,
   * null not reviewed (it trends unless TRENDS_REVIEW asks for approval first).
   */
  trendable: integer("trendable", { mode: "boolean" }),
  reviewedAt: timestamp("reviewed_at"),
  createdAt: createdAt(),
});

export type PreviewCard = typeof previewCards.$inferSelect;
export type NewPreviewCard = typeof previewCards.$inferInsert;

/** Which card a status shows (Mastodon shows one: the first link's). */
export const statusPreviewCards = sqliteTable(
  "status_preview_cards",
  {
    statusId: text("status_id")
      .primaryKey()
      .references(() => statuses.id, { onDelete: "cascade" }),
    cardId: text("card_id")
      .notNull()
      .references(() => previewCards.id, { onDelete: "cascade" }),
  },
  // Trends and the link timeline read a card's statuses newest first through this index.
  (t) => [index("status_preview_cards_card_idx").on(t.cardId, t.statusId)],
);

export type StatusPreviewCard = typeof statusPreviewCards.$inferSelect;

/**
 * Statuses whose first link is to be (re)resolved into a card: a durable queue the workers share,
 * each row claimed with a lease while its page is fetched (as remote_media_downloads).
 */
export const previewCardFetches = sqliteTable("preview_card_fetches", {
  statusId: text("status_id")
    .primaryKey()
    .references(() => statuses.id, { onDelete: "cascade" }),
  attempts: integer("attempts").notNull().default(0),
  claimedBy: text("claimed_by"),
  claimedUntil: timestamp("claimed_until"),
  createdAt: createdAt(),
});

export type PreviewCardFetch = typeof previewCardFetches.$inferSelect;

/** A link that scored within the max-score cooldown, scored as tags are (domain/trends/links.ts). */
export const linkTrends = sqliteTable(
  "link_trends",
  {
    cardId: text("card_id")
      .primaryKey()
      .references(() => previewCards.id, { onDelete: "cascade" }),
    score: real("score").notNull(),
    maxScore: real("max_score").notNull(),
    maxScoreAt: timestamp("max_score_at").notNull(),
    /** Distinct accounts that shared it today (UTC), at the last refresh. */
    accounts: counter("accounts"),
    refreshedAt: timestamp("refreshed_at").notNull(),
  },
  (t) => [index("link_trends_score_idx").on(t.score)],
);

export type LinkTrend = typeof linkTrends.$inferSelect;
