// Albums (Pixelfed's collections): a local account's ordered sets of its own posts, with a title and a
// cover, shown on a public page and listed on the profile. Not federated. A post leaves every album when
// it is deleted (cascade), and an album goes with its owner.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";
import { statuses } from "./statuses.ts";

export const albums = sqliteTable(
  "albums",
  {
    id: id(),
    /** The owner, a local account. */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    /** The post whose first image stands for the album; null: the first post's. */
    coverStatusId: text("cover_status_id").references(() => statuses.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at"),
  },
  (t) => [index("albums_account_idx").on(t.accountId, t.id)],
);

export type Album = typeof albums.$inferSelect;

export const albumItems = sqliteTable(
  "album_items",
  {
    id: id(),
    albumId: text("album_id")
      .notNull()
      .references(() => albums.id, { onDelete: "cascade" }),
    statusId: text("status_id")
      .notNull()
      .references(() => statuses.id, { onDelete: "cascade" }),
    /** Order in the album, from 0; rewritten whole when posts move. */
    position: integer("position").notNull(),
  },
  (t) => [
    uniqueIndex("album_items_pair_unique").on(t.albumId, t.statusId),
    index("album_items_album_idx").on(t.albumId, t.position),
    index("album_items_status_idx").on(t.statusId),
  ],
);

export type AlbumItem = typeof albumItems.$inferSelect;
