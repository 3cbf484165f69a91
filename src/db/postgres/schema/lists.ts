// PostgreSQL's lists and their members: the tables of src/db/schema/lists.ts.
import { sql } from "drizzle-orm";
import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { RepliesPolicy } from "../../schema/lists.ts";
import { accounts } from "./accounts.ts";
import { createdAt, flag, id } from "./columns.ts";
import { follows } from "./interactions.ts";

export const lists = pgTable(
  "lists",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    repliesPolicy: text("replies_policy").$type<RepliesPolicy>().notNull().default("list"),
    exclusive: flag("exclusive"),
    createdAt: createdAt(),
  },
  (t) => [
    index("lists_account_idx").on(t.accountId, t.id),
    // SQLite's `= 1` in PostgreSQL's words (a boolean is not compared with an integer there).
    index("lists_exclusive_idx").on(t.accountId, t.id).where(sql`${t.exclusive} = true`),
  ],
);

export const listAccounts = pgTable(
  "list_accounts",
  {
    id: id(),
    listId: text("list_id")
      .notNull()
      .references(() => lists.id, { onDelete: "cascade" }),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    followId: text("follow_id").references(() => follows.id, { onDelete: "cascade" }),
  },
  (t) => [
    uniqueIndex("list_accounts_pair_unique").on(t.listId, t.accountId),
    index("list_accounts_account_idx").on(t.accountId),
    index("list_accounts_follow_idx").on(t.followId),
  ],
);
