// What the signed-in viewer did to the statuses on a page (liked, boosted), read in two queries for the
// whole page (the API's page bundle uses the same ones) so every card's buttons show their state.
import type { Database } from "../../db/client.ts";
import { favouritedBy, rebloggedBy } from "../../db/queries/statuses.ts";

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
  const ids = [...new Set(statusIds)];
  const favourited = favouritedBy(db, viewerId, ids);
  const reblogged = rebloggedBy(db, viewerId, ids);
  return new Map(
    ids.map((id) => [id, { favourited: favourited.has(id), reblogged: reblogged.has(id) }]),
  );
}
