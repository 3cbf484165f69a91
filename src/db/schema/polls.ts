// Poll votes and the end-of-poll job. A poll itself lives on its status (statuses.poll, the options and
// their counts as shown); the votes are kept here, one row per account and choice, so a local poll's
// counts are recounted from real votes and a viewer's own votes are known. poll_endings holds the polls
// whose end is still to be announced (notifications, the final Update): a durable job that survives a
// restart, as the scheduled statuses do.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";
import { statuses } from "./statuses.ts";

export const pollVotes = sqliteTable(
  "poll_votes",
  {
    id: id(),
    /** The status carrying the poll (a poll's id is its status's). */
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
    /** The voter: a local account, or a remote one voting on a local poll. */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Index of the chosen option. */
    choice: integer("choice").notNull(),
    /** A remote vote's Note id, as its server sent it. */
    iri: text("iri"),
    createdAt: createdAt(),
  },
  (t) => [
    // One vote per account per option ("one per actor per option", remote or local).
    uniqueIndex("poll_votes_unique").on(t.statusId, t.accountId, t.choice),
    index("poll_votes_account_idx").on(t.accountId, t.statusId),
  ],
);

export type PollVote = typeof pollVotes.$inferSelect;

export const pollEndings = sqliteTable(
  "poll_endings",
  {
    statusId: text("status_id")
      .primaryKey()
      .references(() => statuses.id, { onDelete: "cascade" }),
    endsAt: timestamp("ends_at").notNull(),
  },
  (t) => [index("poll_endings_due_idx").on(t.endsAt)],
);
