// PostgreSQL's followed hashtags: the table of src/db/schema/tag-follows.ts.
import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { createdAt, id } from "./columns.ts";
import { tags } from "./statuses.ts";

export const tagFollows = pgTable(
  "tag_follows",
  {
    id: id(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    tagName: text("tag_name")
      .notNull()
      .references(() => tags.name, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("tag_follows_pair_unique").on(t.accountId, t.tagName),
    index("tag_follows_account_idx").on(t.accountId, t.id),
    index("tag_follows_tag_idx").on(t.tagName),
  ],
);
