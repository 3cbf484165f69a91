// Media attachments of several statuses at once, grouped by status in display order (one query a page).
import { and, asc, eq, inArray } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type MediaAttachment, mediaAttachments } from "../schema/index.ts";

/** Ready attachments of `statusIds` (only images with `imagesOnly`), by status id, cover first. */
export async function readyMediaByStatus(
  db: DatabaseLike,
  statusIds: string[],
  options: { imagesOnly?: boolean } = {},
): Promise<Map<string, MediaAttachment[]>> {
  const byStatus = new Map<string, MediaAttachment[]>();
  if (statusIds.length === 0) return byStatus;
  const rows = await db
    .select()
    .from(mediaAttachments)
    .where(
      and(
        inArray(mediaAttachments.statusId, statusIds),
        eq(mediaAttachments.state, "ready"),
        options.imagesOnly ? eq(mediaAttachments.type, "image") : undefined,
      ),
    )
    .orderBy(asc(mediaAttachments.position), asc(mediaAttachments.id));
  for (const m of rows) {
    const list = byStatus.get(m.statusId!) ?? [];
    list.push(m);
    byStatus.set(m.statusId!, list);
  }
  return byStatus;
}
