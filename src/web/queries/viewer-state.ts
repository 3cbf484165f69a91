// What the signed-in viewer did to the statuses on a page (liked, boosted), read in two queries for the
// whole page so every card's buttons can show their pressed state.
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { favourites, statuses } from "../../db/schema/index.ts";

export interface ViewerState {
  favourited: boolean;
  reblogged: boolean;
}

/** The viewer's state for each of `statusIds` (absent ids: neither liked nor boosted). */
export function viewerStates(
  db: Database,
  viewerId: string,
  statusIds: string[],
): Map<string, ViewerState> {
  const out = new Map<string, ViewerState>();
  const ids = [...new Set(statusIds)];
  if (ids.length === 0) return out;
  for (const id of ids) out.set(id, { favourited: false, reblogged: false });
  for (const row of db
    .select({ id: favourites.statusId })
    .from(favourites)
    .where(and(eq(favourites.accountId, viewerId), inArray(favourites.statusId, ids)))
    .all()) {
    out.get(row.id)!.favourited = true;
  }
  for (const row of db
    .select({ id: statuses.reblogOfId })
    .from(statuses)
    .where(and(eq(statuses.accountId, viewerId), inArray(statuses.reblogOfId, ids)))
    .all()) {
    if (row.id !== null) out.get(row.id)!.reblogged = true;
  }
  return out;
}
