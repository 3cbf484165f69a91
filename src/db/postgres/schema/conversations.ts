// PostgreSQL's conversations and their statuses: the tables of src/db/schema/conversations.ts.
import { index, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { createdAt, flag, id } from "./columns.ts";
import { statuses } from "./statuses.ts";

export const conversations = pgTable(
  "conversations",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    participantKey: text("participant_key").notNull(),
    participantIds: jsonb("participant_ids").$type<string[]>().notNull(),
    unread: flag("unread"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("conversations_participants_unique").on(t.accountId, t.participantKey)],
);

export const conversationStatuses = pgTable(
  "conversation_statuses",
  {
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.statusId] }),
    index("conversation_statuses_status_idx").on(t.statusId),
  ],
);
