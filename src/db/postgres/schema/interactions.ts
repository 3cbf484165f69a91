// PostgreSQL's follows, favourites, emoji reactions, bookmarks, blocks, mutes, users' domain blocks,
// endorsements and dismissed suggestions: the tables of src/db/schema/interactions.ts. The rule that an
// endorsement ends with its follow is a trigger, in migrations/postgres as in migrations/sqlite.
import { index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { FollowState } from "../../schema/interactions.ts";
import { accounts } from "./accounts.ts";
import { createdAt, flag, id } from "./columns.ts";
import { statuses } from "./statuses.ts";

const account = (name: string) =>
  text(name)
    .notNull()
    .references(() => accounts.id, { onDelete: "cascade" });
const status = (name: string) =>
  text(name)
    .notNull()
    .references(() => statuses.id, { onDelete: "cascade" });

export const follows = pgTable(
  "follows",
  {
    id: id(),
    iri: text("iri"),
    accountId: account("account_id"),
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

export const favourites = pgTable(
  "favourites",
  {
    id: id(),
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

export const emojiReactions = pgTable(
  "emoji_reactions",
  {
    id: id(),
    iri: text("iri"),
    accountId: account("account_id"),
    statusId: status("status_id"),
    name: text("name").notNull(),
    emojiUrl: text("emoji_url"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("emoji_reactions_unique").on(t.accountId, t.statusId, t.name),
    uniqueIndex("emoji_reactions_iri_unique").on(t.iri),
  ],
);

export const bookmarks = pgTable(
  "bookmarks",
  {
    id: id(),
    accountId: account("account_id"),
    statusId: status("status_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("bookmarks_pair_unique").on(t.accountId, t.statusId)],
);

export const blocks = pgTable(
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

export const mutes = pgTable(
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

export const accountDomainBlocks = pgTable(
  "account_domain_blocks",
  {
    id: id(),
    accountId: account("account_id"),
    domain: text("domain").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("account_domain_blocks_unique").on(t.accountId, t.domain)],
);

export const endorsements = pgTable(
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

export const suggestionDismissals = pgTable(
  "suggestion_dismissals",
  {
    accountId: account("account_id"),
    targetAccountId: account("target_account_id"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.targetAccountId] })],
);
