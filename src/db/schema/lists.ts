// Lists (Mastodon's): a local account's named groups of accounts it follows, each with its own timeline.
// A membership hangs on the follow that allows it, so ending the follow (unfollow, block, reject, account
// deletion) takes the account out of the follower's lists by cascade, as Mastodon does.
import { sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, flag, id } from "./columns.ts";
import { follows } from "./interactions.ts";

/** Which replies a list's timeline shows besides those to the list's owner (Mastodon's replies_policy). */
export type RepliesPolicy = "followed" | "list" | "none";

export const lists = sqliteTable(
  "lists",
  {
    id: id(),
    /** The owner, a local account. */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    repliesPolicy: text("replies_policy").$type<RepliesPolicy>().notNull().default("list"),
    /** Members' statuses stay out of the owner's home timeline. */
    exclusive: flag("exclusive"),
    createdAt: createdAt(),
  },
  (t) => [
    index("lists_account_idx").on(t.accountId, t.id),
    // The home timeline asks "has the viewer an exclusive list?" on every page: a partial index
    // answers it without reading any list row.
    index("lists_exclusive_idx").on(t.accountId, t.id).where(sql`${t.exclusive} = 1`),
  ],
);

export type List = typeof lists.$inferSelect;

export const listAccounts = sqliteTable(
  "list_accounts",
  {
    /** Pages the members' list (Mastodon pages by its list_accounts id too). */
    id: id(),
    listId: text("list_id")
      .notNull()
      .references(() => lists.id, { onDelete: "cascade" }),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** The owner's follow (accepted or requested) of the member; null only when owners list themselves. */
    followId: text("follow_id").references(() => follows.id, { onDelete: "cascade" }),
  },
  (t) => [
    uniqueIndex("list_accounts_pair_unique").on(t.listId, t.accountId),
    index("list_accounts_account_idx").on(t.accountId),
    index("list_accounts_follow_idx").on(t.followId),
  ],
);

export type ListAccount = typeof listAccounts.$inferSelect;
