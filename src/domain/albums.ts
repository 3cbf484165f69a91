// Albums (Pixelfed's collections): the rules of a local account's ordered sets of its own posts. Only
// the owner changes an album (someone else's is a 404, as an unknown one); only their own posts with
// images, not boosts and not direct messages, go in; the cover is one of its posts. Who may see an
// album's posts is the ordinary visibility rule, applied where they are read (db/queries/albums.ts).
import { and, asc, count, eq, max, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { returned } from "../db/returned.ts";
import { type Album, albumItems, albums, mediaAttachments, statuses } from "../db/schema/index.ts";
import { notFound, unprocessable } from "../errors.ts";

export const ALBUM_TITLE_MAX = 100;
export const ALBUMS_PER_ACCOUNT = 100;
export const ALBUM_ITEMS_MAX = 200;

function validTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed === "") throw unprocessable("Validation failed: Title can't be blank");
  if (trimmed.length > ALBUM_TITLE_MAX) {
    throw unprocessable(
      `Validation failed: Title is too long (maximum is ${ALBUM_TITLE_MAX} characters)`,
    );
  }
  return trimmed;
}

/** `ownerId`'s album `albumId`; anyone else's, or none, is 404. */
export async function ownAlbum(db: DatabaseLike, ownerId: string, albumId: string): Promise<Album> {
  const album = (
    await db
      .select()
      .from(albums)
      .where(and(eq(albums.id, albumId), eq(albums.accountId, ownerId)))
      .limit(1)
  )[0];
  if (album === undefined) throw notFound("No such album");
  return album;
}

/** Makes an empty album for a local account (at most ALBUMS_PER_ACCOUNT). */
export async function createAlbum(db: Database, ownerId: string, title: string): Promise<Album> {
  const name = validTitle(title);
  return await db.transaction(async (tx) => {
    const [had] = await tx.select({ n: count() }).from(albums).where(eq(albums.accountId, ownerId));
    if ((had?.n ?? 0) >= ALBUMS_PER_ACCOUNT) {
      throw unprocessable(`You can have at most ${ALBUMS_PER_ACCOUNT} albums`);
    }
    return returned(
      await tx.insert(albums).values({ id: newId(), accountId: ownerId, title: name }).returning(),
    );
  });
}

/**
 * Renames an album and sets its cover: `coverStatusId` must be one of its posts (null or empty: the
 * first post stands for it).
 */
export async function updateAlbum(
  db: Database,
  ownerId: string,
  albumId: string,
  input: { title: string; coverStatusId?: string | null },
): Promise<Album> {
  const album = await ownAlbum(db, ownerId, albumId);
  const cover = input.coverStatusId || null;
  if (cover !== null && !(await itemIds(db, album.id)).includes(cover)) {
    throw unprocessable("The cover must be one of the album's posts");
  }
  return returned(
    await db
      .update(albums)
      .set({
        title: validTitle(input.title),
        ...(input.coverStatusId === undefined ? {} : { coverStatusId: cover }),
        updatedAt: new Date(),
      })
      .where(eq(albums.id, album.id))
      .returning(),
  );
}

export async function deleteAlbum(db: Database, ownerId: string, albumId: string): Promise<void> {
  const album = await ownAlbum(db, ownerId, albumId);
  await db.delete(albums).where(eq(albums.id, album.id));
}

/** The album's post ids in order. */
async function itemIds(db: DatabaseLike, albumId: string): Promise<string[]> {
  return (
    await db
      .select({ id: albumItems.statusId })
      .from(albumItems)
      .where(eq(albumItems.albumId, albumId))
      .orderBy(asc(albumItems.position))
  ).map((r) => r.id);
}

/**
 * Adds one of the owner's posts at the end. It must be theirs (another's, or an unknown one, is 404),
 * not a boost, not direct, and carry an image; a post already in the album stays where it is.
 */
export async function addToAlbum(
  db: Database,
  ownerId: string,
  albumId: string,
  statusId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const album = await ownAlbum(tx, ownerId, albumId);
    const status = (
      await tx
        .select()
        .from(statuses)
        .where(and(eq(statuses.id, statusId), eq(statuses.accountId, ownerId)))
        .limit(1)
    )[0];
    if (status === undefined || status.reblogOfId !== null) throw notFound("No such post of yours");
    if (status.visibility === "direct") {
      throw unprocessable("Direct messages cannot go in an album");
    }
    const [image] = await tx
      .select({ id: mediaAttachments.id })
      .from(mediaAttachments)
      .where(and(eq(mediaAttachments.statusId, status.id), eq(mediaAttachments.type, "image")))
      .limit(1);
    if (image === undefined) throw unprocessable("Only posts with images go in an album");
    const [stats] = await tx
      .select({ n: count(), last: max(albumItems.position) })
      .from(albumItems)
      .where(eq(albumItems.albumId, album.id));
    if ((stats?.n ?? 0) >= ALBUM_ITEMS_MAX) {
      throw unprocessable(`An album holds at most ${ALBUM_ITEMS_MAX} posts`);
    }
    await tx
      .insert(albumItems)
      .values({
        id: newId(),
        albumId: album.id,
        statusId: status.id,
        position: stats?.last == null ? 0 : Number(stats.last) + 1,
      })
      .onConflictDoNothing();
    await tx.update(albums).set({ updatedAt: new Date() }).where(eq(albums.id, album.id));
  });
}

/** Takes a post out of the album (and off its cover). */
export async function removeFromAlbum(
  db: Database,
  ownerId: string,
  albumId: string,
  statusId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const album = await ownAlbum(tx, ownerId, albumId);
    await tx
      .delete(albumItems)
      .where(and(eq(albumItems.albumId, album.id), eq(albumItems.statusId, statusId)));
    await tx
      .update(albums)
      .set({
        updatedAt: new Date(),
        coverStatusId: sql`case when ${albums.coverStatusId} = ${statusId} then null else ${albums.coverStatusId} end`,
      })
      .where(eq(albums.id, album.id));
  });
}

/** Moves a post one place earlier (-1) or later (+1); at either end it stays. */
export async function moveInAlbum(
  db: Database,
  ownerId: string,
  albumId: string,
  statusId: string,
  by: -1 | 1,
): Promise<void> {
  await db.transaction(async (tx) => {
    const album = await ownAlbum(tx, ownerId, albumId);
    const ids = await itemIds(tx, album.id);
    const from = ids.indexOf(statusId);
    if (from === -1) throw notFound("That post is not in this album");
    const to = from + by;
    if (to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    // Positions rewritten whole (0…n-1): a few hundred rows at most, and no gaps or ties to reason about.
    for (const [position, id] of ids.entries()) {
      await tx
        .update(albumItems)
        .set({ position })
        .where(and(eq(albumItems.albumId, album.id), eq(albumItems.statusId, id)));
    }
    await tx.update(albums).set({ updatedAt: new Date() }).where(eq(albums.id, album.id));
  });
}
