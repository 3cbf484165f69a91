// PostgreSQL's poll votes and the end-of-poll job: the tables of src/db/schema/polls.ts.
import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";
import { statuses } from "./statuses.ts";

export const pollVotes = pgTable(
  "poll_votes",
  {
    id: id(),
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    choice: integer("choice").notNull(),
    iri: text("iri"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("poll_votes_unique").on(t.statusId, t.accountId, t.choice),
    index("poll_votes_account_idx").on(t.accountId, t.statusId),
  ],
);

export const pollEndings = pgTable(
  "poll_endings",
  {
    statusId: text("status_id")
      .primaryKey()
      .references(() => statuses.id, { onDelete: "cascade" }),
    endsAt: timestamp("ends_at").notNull(),
  },
  (t) => [index("poll_endings_due_idx").on(t.endsAt)],
);
