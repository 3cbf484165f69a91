// Scheduled-status reads for the client API: an account's page (by id, as Mastodon pages them), one by
// id, and the images each one holds.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import {
  type MediaAttachment,
  mediaAttachments,
  type ScheduledStatus,
  scheduledStatuses,
} from "../schema/index.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "./page.ts";

export async function listScheduledStatuses(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<ScheduledStatus[]> {
  const rows = await db
    .select()
    .from(scheduledStatuses)
    .where(
      and(
        eq(scheduledStatuses.accountId, accountId),
        ...pageConditions(scheduledStatuses.id, page),
      ),
    )
    .orderBy(pageOrder(scheduledStatuses.id, page))
    .limit(page.limit);
  return finishPage(rows, page);
}

/** One of `accountId`'s scheduled statuses; someone else's is not found, like a missing one. */
export async function findScheduledStatus(
  db: DatabaseLike,
  accountId: string,
  id: string,
): Promise<ScheduledStatus | undefined> {
  return (
    await db
      .select()
      .from(scheduledStatuses)
      .where(and(eq(scheduledStatuses.id, id), eq(scheduledStatuses.accountId, accountId)))
      .limit(1)
  )[0];
}

/** The images held by these scheduled statuses, each list in display order. */
export async function heldMedia(
  db: DatabaseLike,
  ids: readonly string[],
): Promise<Map<string, MediaAttachment[]>> {
  const out = new Map<string, MediaAttachment[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .select()
    .from(mediaAttachments)
    .where(inArray(mediaAttachments.scheduledStatusId, [...ids]))
    .orderBy(asc(mediaAttachments.position));
  for (const row of rows) {
    const key = row.scheduledStatusId!;
    out.set(key, [...(out.get(key) ?? []), row]);
  }
  return out;
}
