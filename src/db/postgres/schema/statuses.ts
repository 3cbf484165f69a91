// PostgreSQL's statuses, their edits, mentions and hashtags: the tables of src/db/schema/statuses.ts.
import {
  type AnyPgColumn,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { StatusPoll, Visibility } from "../../schema/statuses.ts";
import { accounts } from "./accounts.ts";
import { counter, createdAt, flag, id, timestamp } from "./columns.ts";

export const statuses = pgTable(
  "statuses",
  {
    id: id(),
    iri: text("iri").notNull(),
    url: text("url"),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    local: flag("local"),
    objectType: text("object_type").notNull().default("Note"),
    inReplyToId: text("in_reply_to_id").references((): AnyPgColumn => statuses.id, {
      onDelete: "set null",
    }),
    inReplyToIri: text("in_reply_to_iri"),
    inReplyToAccountId: text("in_reply_to_account_id").references(() => accounts.id, {
      onDelete: "set null",
    }),
    reblogOfId: text("reblog_of_id").references((): AnyPgColumn => statuses.id, {
      onDelete: "cascade",
    }),
    quoteOfId: text("quote_of_id").references((): AnyPgColumn => statuses.id, {
      onDelete: "set null",
    }),
    quoteOfIri: text("quote_of_iri"),
    visibility: text("visibility").$type<Visibility>().notNull().default("public"),
    content: text("content").notNull().default(""),
    source: text("source"),
    spoilerText: text("spoiler_text").notNull().default(""),
    sensitive: flag("sensitive"),
    language: text("language"),
    poll: jsonb("poll").$type<StatusPoll>(),
    repliesCount: counter("replies_count"),
    reblogsCount: counter("reblogs_count"),
    favouritesCount: counter("favourites_count"),
    createdAt: createdAt(),
    editedAt: timestamp("edited_at"),
    fetchedAt: timestamp("fetched_at"),
  },
  (t) => [
    uniqueIndex("statuses_iri_unique").on(t.iri),
    index("statuses_account_idx").on(t.accountId, t.id),
    index("statuses_visibility_idx").on(t.visibility, t.id),
    index("statuses_local_idx").on(t.local, t.id),
    index("statuses_reply_idx").on(t.inReplyToId),
    index("statuses_reblog_idx").on(t.reblogOfId),
    uniqueIndex("statuses_reblog_unique").on(t.accountId, t.reblogOfId),
  ],
);

export const statusEdits = pgTable(
  "status_edits",
  {
    id: id(),
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
    content: text("content").notNull(),
    spoilerText: text("spoiler_text").notNull().default(""),
    sensitive: flag("sensitive"),
    media: jsonb("media")
      .$type<{ id: string; description: string | null }[]>()
      .notNull()
      .$defaultFn(() => []),
    createdAt: createdAt(),
  },
  (t) => [index("status_edits_status_idx").on(t.statusId, t.id)],
);

export const statusMentions = pgTable(
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

export const tags = pgTable("tags", {
  name: text("name").primaryKey(),
  displayName: text("display_name").notNull(),
  createdAt: createdAt(),
});

export const statusTags = pgTable(
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
