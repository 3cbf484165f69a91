// Conversations (Mastodon's): each local account's direct-visibility exchanges, one per thread and set
// of other participants, with an unread flag. Its statuses hang on it by cascade, so a deleted status leaves the
// conversation by itself and the newest remaining one becomes its last status; one with none left is
// not shown.
import { index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, flag, id } from "./columns.ts";
import { statuses } from "./statuses.ts";

export const conversations = sqliteTable(
  "conversations",
  {
    id: id(),
    /** The local account whose view of the conversation this is. */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /**
     * The thread (its first status's id, or the ActivityPub id of a first status not stored here) and the
     * other participants' ids, sorted, joined by spaces: what makes it one conversation.
     */
    participantKey: text("participant_key").notNull(),
    /** The same ids as a list (empty for notes to oneself), for rendering. */
    participantIds: text("participant_ids", { mode: "json" }).$type<string[]>().notNull(),
    unread: flag("unread"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("conversations_participants_unique").on(t.accountId, t.participantKey)],
);

export type Conversation = typeof conversations.$inferSelect;

export const conversationStatuses = sqliteTable(
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
    // The streaming API asks which conversations a new status went to.
    index("conversation_statuses_status_idx").on(t.statusId),
  ],
);
