// Moving an account's local followers to the account it moved to (a local Move, or a remote actor's
// Move received here): one row per move, which the worker claims under a lease and works through in
// batches of followers ordered by id, saving the last follower handled and the counts after each batch,
// so the settings page shows progress from any process and a killed worker's move resumes after the
// last batch it saved. The rows stay as the account's record of its moves.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { counter, createdAt, id, timestamp } from "./columns.ts";

export type FollowerMoveState = "queued" | "running" | "finished" | "failed";

export const followerMoves = sqliteTable(
  "follower_moves",
  {
    id: id(),
    /** The account moved from (local or remote): its local followers are the ones moved. */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    targetAccountId: text("target_account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    state: text("state").$type<FollowerMoveState>().notNull().default("queued"),
    /** The local followers when the move was queued (what the page counts against). */
    totalItems: counter("total_items"),
    /** Followers handled so far, moved or left (a block between them and the new account). */
    processedItems: counter("processed_items"),
    movedItems: counter("moved_items"),
    /** The id of the last follower handled; the next batch starts after it. */
    cursor: text("cursor"),
    errorMessage: text("error_message"),
    attempts: integer("attempts").notNull().default(0),
    claimedBy: text("claimed_by"),
    claimedUntil: timestamp("claimed_until"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [
    index("follower_moves_state_idx").on(t.state, t.id),
    index("follower_moves_account_idx").on(t.accountId, t.id),
  ],
);

export type FollowerMove = typeof followerMoves.$inferSelect;
