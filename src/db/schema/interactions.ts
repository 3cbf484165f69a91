// Relationships and reactions between accounts: follows (with pending requests), favourites (likes),
// emoji reactions, bookmarks, blocks, mutes, users' domain blocks, endorsements and dismissed
// suggestions. Boosts are statuses (see statuses.ts).
import { index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, flag, id } from "./columns.ts";
import { statuses } from "./statuses.ts";

export type FollowState = "pending" | "accepted";

const account = (name: string) =>
  text(name)
    .notNull()
    .references(() => accounts.id, { onDelete: "cascade" });
const status = (name: string) =>
  text(name)
    .notNull()
    .references(() => statuses.id, { onDelete: "cascade" });

export const follows = sqliteTable(
  "follows",
  {
    id: id(),
    /** The Follow activity's id (ours or the remote one). */
    iri: text("iri"),
    /** The follower. */
    accountId: account("account_id"),
    /** The followed account. */
    targetAccountId: account("target_account_id"),
    state: text("state").$type<FollowState>().notNull().default("pending"),
    showReblogs: flag("show_reblogs"),
    notify: flag("notify"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("follows_pair_unique").on(t.accountId, t.targetAccountId),
    uniqueIndex("follows_iri_unique").on(t.iri),
    index("follows_target_idx").on(t.targetAccountId, t.state, t.id),
  ],
);

export type Follow = typeof follows.$inferSelect;

export const favourites = sqliteTable(
  "favourites",
  {
    id: id(),
    /** The Like activity's id. */
    iri: text("iri"),
    accountId: account("account_id"),
    statusId: status("status_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("favourites_pair_unique").on(t.accountId, t.statusId),
    uniqueIndex("favourites_iri_unique").on(t.iri),
    index("favourites_status_idx").on(t.statusId, t.id),
  ],
);

export type Favourite = typeof favourites.$inferSelect;

/** Misskey/Pleroma-style emoji reactions (EmojiReact, or Like with content). */
export const emojiReactions = sqliteTable(
  "emoji_reactions",
  {
    id: id(),
    iri: text("iri"),
    accountId: account("account_id"),
    statusId: status("status_id"),
    /** The emoji itself, or :shortcode: for a custom one. */
    name: text("name").notNull(),
    emojiUrl: text("emoji_url"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("emoji_reactions_unique").on(t.accountId, t.statusId, t.name),
    uniqueIndex("emoji_reactions_iri_unique").on(t.iri),
    // A page of statuses counts its reactions by status and emoji (api/render, the reactions list).
    index("emoji_reactions_status_idx").on(t.statusId, t.name),
  ],
);

export type EmojiReaction = typeof emojiReactions.$inferSelect;

export const bookmarks = sqliteTable(
  "bookmarks",
  {
    id: id(),
    accountId: account("account_id"),
    statusId: status("status_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("bookmarks_pair_unique").on(t.accountId, t.statusId)],
);

export const blocks = sqliteTable(
  "blocks",
  {
    id: id(),
    iri: text("iri"),
    accountId: account("account_id"),
    targetAccountId: account("target_account_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("blocks_pair_unique").on(t.accountId, t.targetAccountId),
    index("blocks_target_idx").on(t.targetAccountId),
  ],
);

export const mutes = sqliteTable(
  "mutes",
  {
    id: id(),
    accountId: account("account_id"),
    targetAccountId: account("target_account_id"),
    hideNotifications: flag("hide_notifications"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("mutes_pair_unique").on(t.accountId, t.targetAccountId)],
);

/**
 * A user's own block of a whole remote domain (Mastodon's account domain block): that domain's statuses
 * and notifications are hidden from this user and follows with its accounts end. Unlike the instance's
 * block list (moderation.ts) it federates nothing by itself and hides nothing from anyone else. `domain`
 * is canonicalDomain's form, compared with accounts.domain as is (port included).
 */
export const accountDomainBlocks = sqliteTable(
  "account_domain_blocks",
  {
    id: id(),
    accountId: account("account_id"),
    domain: text("domain").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("account_domain_blocks_unique").on(t.accountId, t.domain)],
);

export type AccountDomainBlock = typeof accountDomainBlocks.$inferSelect;

/**
 * Endorsements (Mastodon's account pins): accounts a local user features on their profile. One ends with
 * the follow it needs: a trigger on follows, which drizzle cannot describe, so it is hand-written SQL in
 * both dialects' migrations (sqlite/0016_social.sql, postgres/0001_endorsements-end-with-follow.sql).
 */
export const endorsements = sqliteTable(
  "endorsements",
  {
    id: id(),
    accountId: account("account_id"),
    targetAccountId: account("target_account_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("endorsements_pair_unique").on(t.accountId, t.targetAccountId),
    index("endorsements_target_idx").on(t.targetAccountId),
  ],
);

/** Follow suggestions a user dismissed: never suggested to them again. */
export const suggestionDismissals = sqliteTable(
  "suggestion_dismissals",
  {
    accountId: account("account_id"),
    targetAccountId: account("target_account_id"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.targetAccountId] })],
);
