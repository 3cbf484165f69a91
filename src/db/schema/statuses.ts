// Statuses (posts) from every actor. A boost is a status whose reblogOfId points at the boosted one, as in
// Mastodon, so every timeline pages over this one table by id. Mentions and hashtags sit beside it.
import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { counter, createdAt, flag, id, timestamp } from "./columns.ts";

export type Visibility = "public" | "unlisted" | "private" | "direct";
export const VISIBILITIES: readonly Visibility[] = ["public", "unlisted", "private", "direct"];

/**
 * Where a quote stands with the quoted post's author (Mastodon 4.5's stored quote states; "deleted" and
 * "unauthorized" are not stored: they depend on the quoted post and the viewer at read time).
 */
export type QuoteState = "pending" | "accepted" | "rejected" | "revoked";
/** Who may quote a status without asking (Mastodon's quote_approval_policy). */
export type QuotePolicy = "public" | "followers" | "nobody";
export const QUOTE_POLICIES: readonly QuotePolicy[] = ["public", "followers", "nobody"];

/**
 * A status's poll: a remote Question as last received, or a local poll whose counts are recounted from
 * poll_votes at every vote. Its id is the status's.
 */
export interface StatusPoll {
  options: { title: string; votesCount: number }[];
  /** anyOf (several choices) rather than oneOf. */
  multiple: boolean;
  /** ISO time the poll closes (or closed), if said. */
  expiresAt: string | null;
  votersCount: number | null;
  /** Counts hidden from everyone but the author until the poll ends (local polls). */
  hideTotals?: boolean;
}

export const statuses = sqliteTable(
  "statuses",
  {
    /** Time-sortable; remote statuses get an id from their published time. */
    id: id(),
    /** ActivityPub id (for a boost: the Announce activity's id). */
    iri: text("iri").notNull(),
    /** HTML page of the status. */
    url: text("url"),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** True for statuses written on this instance; kept as a column for the local timeline's index. */
    local: flag("local"),
    /** ActivityStreams type it arrived as: Note, Article, Page, Question. */
    objectType: text("object_type").notNull().default("Note"),
    inReplyToId: text("in_reply_to_id").references((): AnySQLiteColumn => statuses.id, {
      onDelete: "set null",
    }),
    /** The parent's ActivityPub id, kept even when the parent is not (yet) stored here. */
    inReplyToIri: text("in_reply_to_iri"),
    inReplyToAccountId: text("in_reply_to_account_id").references(() => accounts.id, {
      onDelete: "set null",
    }),
    reblogOfId: text("reblog_of_id").references((): AnySQLiteColumn => statuses.id, {
      onDelete: "cascade",
    }),
    /** A quoted status (Atelier's remix link, FEP-044f quote). */
    quoteOfId: text("quote_of_id").references((): AnySQLiteColumn => statuses.id, {
      onDelete: "set null",
    }),
    quoteOfIri: text("quote_of_iri"),
    /**
     * The status this one remixes (made from its prompt: Atelier's `remixOf`). A remix also quotes its
     * source, but a plain quote is no remix, so the lineage has its own column.
     */
    remixOfId: text("remix_of_id").references((): AnySQLiteColumn => statuses.id, {
      onDelete: "set null",
    }),
    /** Set when the status quotes another (see QuoteState); null otherwise. */
    quoteState: text("quote_state").$type<QuoteState>(),
    /**
     * The QuoteAuthorization (FEP-044f) that approved this quote: ours at /quote-authorizations/… when
     * the quoted post is local, the remote author's otherwise.
     */
    quoteAuthorizationIri: text("quote_authorization_iri"),
    /**
     * Who may quote this status: the author's choice for a local status, the canQuote of its
     * interactionPolicy for a remote one (null: it said nothing, so only its author may quote it).
     */
    quotePolicy: text("quote_policy").$type<QuotePolicy>(),
    visibility: text("visibility").$type<Visibility>().notNull().default("public"),
    /** Rendered, sanitized HTML. */
    content: text("content").notNull().default(""),
    /** What the author typed (local statuses), for editing. */
    source: text("source"),
    spoilerText: text("spoiler_text").notNull().default(""),
    sensitive: flag("sensitive"),
    /** ISO 639-1 code, or null when unknown. */
    language: text("language"),
    /** A poll's options and counts (see StatusPoll). */
    poll: text("poll", { mode: "json" }).$type<StatusPoll>(),
    repliesCount: counter("replies_count"),
    reblogsCount: counter("reblogs_count"),
    favouritesCount: counter("favourites_count"),
    createdAt: createdAt(),
    editedAt: timestamp("edited_at"),
    /** The author keeps this post out of dataset exports, whatever their consent says. */
    datasetOptOut: flag("dataset_opt_out"),
    /** When a remote copy was last fetched or updated. */
    fetchedAt: timestamp("fetched_at"),
  },
  (t) => [
    uniqueIndex("statuses_iri_unique").on(t.iri),
    index("statuses_account_idx").on(t.accountId, t.id),
    index("statuses_visibility_idx").on(t.visibility, t.id),
    index("statuses_local_idx").on(t.local, t.id),
    index("statuses_reply_idx").on(t.inReplyToId),
    index("statuses_reblog_idx").on(t.reblogOfId),
    index("statuses_quote_idx").on(t.quoteOfId, t.id),
    // A source's page counts and shows its remixes.
    index("statuses_remix_idx").on(t.remixOfId, t.id),
    // Every Delete we receive for something we do not hold asks whether it revokes a quote's approval.
    index("statuses_quote_authorization_idx")
      .on(t.quoteAuthorizationIri)
      .where(sql`${t.quoteAuthorizationIri} is not null`),
    // One boost per account per status.
    uniqueIndex("statuses_reblog_unique").on(t.accountId, t.reblogOfId),
  ],
);

export type Status = typeof statuses.$inferSelect;
export type NewStatus = typeof statuses.$inferInsert;

/** Earlier versions of an edited status (Mastodon's status history). */
export const statusEdits = sqliteTable(
  "status_edits",
  {
    id: id(),
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
    content: text("content").notNull(),
    spoilerText: text("spoiler_text").notNull().default(""),
    sensitive: flag("sensitive"),
    /** Media ids and descriptions as they were. */
    media: text("media", { mode: "json" })
      .$type<{ id: string; description: string | null }[]>()
      .notNull()
      .$defaultFn(() => []),
    createdAt: createdAt(),
  },
  (t) => [index("status_edits_status_idx").on(t.statusId, t.id)],
);

export const statusMentions = sqliteTable(
  "status_mentions",
  {
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.statusId, t.accountId] }),
    index("status_mentions_account_idx").on(t.accountId, t.statusId),
  ],
);

export const tags = sqliteTable("tags", {
  /** Lower-case name without '#'. */
  name: text("name").primaryKey(),
  /** The spelling first seen, for display. */
  displayName: text("display_name").notNull(),
  /**
   * An administrator's review for trends (Mastodon's `trendable`): true approved, false rejected (it
   * never trends), null not reviewed (it trends unless TRENDS_REVIEW asks for approval first).
   */
  trendable: integer("trendable", { mode: "boolean" }),
  reviewedAt: timestamp("reviewed_at"),
  createdAt: createdAt(),
});

export const statusTags = sqliteTable(
  "status_tags",
  {
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
    tagName: text("tag_name")
      .notNull()
      .references(() => tags.name, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.statusId, t.tagName] }),
    index("status_tags_tag_idx").on(t.tagName, t.statusId),
  ],
);
