// Pruning: media nobody will post (candidates and uploads left unattached, and not held by a scheduled
// status, for days), preview cards no status shows any more (their statuses deleted or edited), and
// files no row refers to any more (deleted statuses, cancelled jobs). Files are shared by content hash,
// so a file is removed only when no attachment row or card names it.
import { and, isNotNull, isNull, lt, notInArray, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { accounts, customEmojis, mediaAttachments, previewCards } from "../db/schema/index.ts";
import type { MediaStore } from "./store.ts";

export interface PruneResult {
  attachments: number;
  /** Preview cards no status links to, fetched before the cut-off. */
  cards: number;
  files: number;
}

/** Removes unattached attachments older than `olderThan`, then unreferenced files older than it. */
export async function pruneMedia(
  db: Database,
  store: MediaStore,
  olderThan: Date,
): Promise<PruneResult> {
  const removed = await db
    .delete(mediaAttachments)
    .where(
      and(
        isNull(mediaAttachments.statusId),
        // Held by a scheduled status: it will be posted when that one is published.
        isNull(mediaAttachments.scheduledStatusId),
        lt(mediaAttachments.createdAt, olderThan),
        // Avatars and headers are unattached to any status but in use.
        notInArray(
          mediaAttachments.id,
          db
            .select({ id: sql<string>`coalesce(${accounts.avatarMediaId}, '')` })
            .from(accounts)
            .where(sql`${accounts.avatarMediaId} is not null`)
            .union(
              db
                .select({ id: sql<string>`coalesce(${accounts.headerMediaId}, '')` })
                .from(accounts)
                .where(sql`${accounts.headerMediaId} is not null`),
            ),
        ),
      ),
    )
    .returning({ id: mediaAttachments.id });
  const cards = await db
    .delete(previewCards)
    .where(
      and(
        lt(previewCards.fetchedAt, olderThan),
        sql`not exists (select 1 from status_preview_cards spc where spc.card_id = ${previewCards.id})`,
      ),
    )
    .returning({ id: previewCards.id });
  const used = await usedMediaKeys(db);
  let files = 0;
  for await (const { key, storedAt } of store.list()) {
    // A young file may belong to an attachment being written right now.
    if (storedAt >= olderThan || used.has(key)) continue;
    await store.delete(key);
    files++;
  }
  return { attachments: removed.length, cards: cards.length, files };
}

/**
 * Every file key an attachment row, a preview card (its re-encoded image) or a custom emoji names. One
 * query a table (there is no index on the keys, so asking key by key would scan the table each time).
 */
export async function usedMediaKeys(db: DatabaseLike): Promise<Set<string>> {
  const used = new Set<string>();
  for (const row of await db
    .select({
      a: mediaAttachments.originalKey,
      b: mediaAttachments.displayKey,
      c: mediaAttachments.thumbnailKey,
    })
    .from(mediaAttachments)) {
    for (const key of [row.a, row.b, row.c]) if (key !== null) used.add(key);
  }
  for (const row of await db
    .select({ key: previewCards.imageKey })
    .from(previewCards)
    .where(isNotNull(previewCards.imageKey))) {
    used.add(row.key!);
  }
  // Emoji images are no attachments, but in use as long as their emoji exists.
  for (const row of await db
    .select({ a: customEmojis.imageKey, b: customEmojis.staticKey })
    .from(customEmojis)) {
    for (const key of [row.a, row.b]) if (key !== null) used.add(key);
  }
  return used;
}
