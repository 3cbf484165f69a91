// Where each trends refresh resumes: the time up to which it has read new interactions or tag uses
// (trend_refreshes). Reading from there, less a slack, instead of the whole window keeps a refresh's
// cost to what happened since the last one; the slack picks up remote rows whose ids (taken from
// their published time) land a little before the moment they arrived.
import { eq } from "drizzle-orm";
import type { DatabaseLike } from "../../db/client.ts";
import { trendRefreshes } from "../../db/schema/index.ts";

export type TrendKind = "statuses" | "tags" | "links";

/** Remote statuses and boosts carry their published time, often minutes before they reach us. */
export const SLACK_MS = 10 * 60_000;

/** At most this many new rows of each source per refresh; the next one reads on from where it stopped. */
export const BATCH = 5000;

/** Where a refresh of `kind` reads from: its last point less the slack, never before `oldest`. */
export async function readFrom(db: DatabaseLike, kind: TrendKind, oldest: Date): Promise<Date> {
  const row = (
    await db
      .select({ at: trendRefreshes.readUntil })
      .from(trendRefreshes)
      .where(eq(trendRefreshes.kind, kind))
      .limit(1)
  )[0];
  if (row === undefined) return oldest;
  return new Date(Math.max(row.at.getTime() - SLACK_MS, oldest.getTime()));
}

/** Records that a refresh of `kind` has read everything made before `at`. */
export async function saveReadUntil(db: DatabaseLike, kind: TrendKind, at: Date): Promise<void> {
  await db
    .insert(trendRefreshes)
    .values({ kind, readUntil: at })
    .onConflictDoUpdate({ target: trendRefreshes.kind, set: { readUntil: at } });
}

/**
 * How far a refresh got: `now` when every source answered less than a full batch, else the time of
 * the earliest last row among the full ones (ids are time-sortable), so nothing is skipped.
 */
export function reachedUntil(batches: readonly { ids: readonly string[] }[], now: Date): Date {
  let until = now.getTime();
  for (const { ids } of batches) {
    const last = ids.at(-1);
    if (ids.length >= BATCH && last !== undefined) {
      until = Math.min(until, Number(BigInt(last) >> 16n));
    }
  }
  return new Date(until);
}
