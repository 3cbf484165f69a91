// Reading albums for the pages: an account's albums with their cover and size, and one album's posts in
// order, each post only as the viewer may see it (the visibility rule, and nothing across a block either
// way, as an account's images grid shows them). An album is public; what it shows is not more than its
// posts would show one by one.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type Album, albumItems, albums, type Status, statuses } from "../schema/index.ts";
import { type GalleryTile, tilesOfStatuses } from "./gallery.ts";
import { notBlockedWith, visibleTo } from "./visibility.ts";

/** How many albums a profile lists. */
export const PROFILE_ALBUMS = 24;

export interface AlbumSummary {
  album: Album;
  /** How many of its posts the viewer may see. */
  count: number;
  /** The cover (the chosen post, else the first one the viewer may see); none when it shows nothing. */
  cover: GalleryTile | undefined;
}

async function visibleIn(
  db: DatabaseLike,
  viewerId: string | null,
  ids: readonly string[],
): Promise<Map<string, Status>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(statuses)
    .where(and(inArray(statuses.id, [...ids]), visibleTo(viewerId), notBlockedWith(viewerId)));
  return new Map(rows.map((r) => [r.id, r]));
}

async function orderedItems(db: DatabaseLike, albumIds: readonly string[]) {
  if (albumIds.length === 0) return [];
  return await db
    .select({ albumId: albumItems.albumId, statusId: albumItems.statusId })
    .from(albumItems)
    .where(inArray(albumItems.albumId, [...albumIds]))
    .orderBy(asc(albumItems.albumId), asc(albumItems.position));
}

/** An account's albums, newest first, as `viewerId` may see their posts (the owner sees all). */
export async function albumsOf(
  db: DatabaseLike,
  accountId: string,
  viewerId: string | null,
  limit = PROFILE_ALBUMS,
): Promise<AlbumSummary[]> {
  const list = await db
    .select()
    .from(albums)
    .where(eq(albums.accountId, accountId))
    .orderBy(desc(albums.id))
    .limit(limit);
  const items = await orderedItems(
    db,
    list.map((a) => a.id),
  );
  const visible = await visibleIn(
    db,
    viewerId,
    items.map((i) => i.statusId),
  );
  const covers = new Map<string, Status>();
  const counts = new Map<string, number>();
  for (const album of list) {
    const shown = items.filter((i) => i.albumId === album.id && visible.has(i.statusId));
    counts.set(album.id, shown.length);
    const coverId = shown.some((i) => i.statusId === album.coverStatusId)
      ? album.coverStatusId!
      : shown[0]?.statusId;
    if (coverId !== undefined) covers.set(album.id, visible.get(coverId)!);
  }
  const tiles = new Map(
    (await tilesOfStatuses(db, [...new Set(covers.values())], null)).map((t) => [t.statusId, t]),
  );
  return list.map((album) => {
    const cover = covers.get(album.id);
    return {
      album,
      count: counts.get(album.id) ?? 0,
      cover: cover === undefined ? undefined : tiles.get(cover.id),
    };
  });
}

/** One album of `accountId` with its posts in order, as `viewerId` may see them; undefined if none. */
export async function albumWithPosts(
  db: DatabaseLike,
  accountId: string,
  albumId: string,
  viewerId: string | null,
): Promise<{ album: Album; tiles: GalleryTile[] } | undefined> {
  const album = (
    await db
      .select()
      .from(albums)
      .where(and(eq(albums.id, albumId), eq(albums.accountId, accountId)))
      .limit(1)
  )[0];
  if (album === undefined) return undefined;
  const items = await orderedItems(db, [album.id]);
  const visible = await visibleIn(
    db,
    viewerId,
    items.map((i) => i.statusId),
  );
  const rows = items.flatMap((i) => {
    const row = visible.get(i.statusId);
    return row === undefined ? [] : [row];
  });
  return { album, tiles: await tilesOfStatuses(db, rows, viewerId) };
}
