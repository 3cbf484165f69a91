// Saving read positions (markers) of a local account; each save bumps the marker's version. The
// notifications marker is the one unread model: the apps save it, the web page advances it, and the web
// badge and /api/v1/notifications/unread_count count what is newer.
import { eq, sql } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { returned } from "../db/returned.ts";
import { type Marker, type MarkerTimeline, markers } from "../db/schema/index.ts";

export async function saveMarker(
  db: DatabaseLike,
  accountId: string,
  timeline: MarkerTimeline,
  lastReadId: string,
): Promise<Marker> {
  const now = new Date();
  return returned(
    await db
      .insert(markers)
      .values({ accountId, timeline, lastReadId, version: 0, updatedAt: now })
      .onConflictDoUpdate({
        target: [markers.accountId, markers.timeline],
        set: { lastReadId, updatedAt: now, version: sql`${markers.version} + 1` },
      })
      .returning(),
  );
}

export async function getMarkers(
  db: DatabaseLike,
  accountId: string,
  timelines: readonly MarkerTimeline[],
): Promise<Marker[]> {
  return (await db.select().from(markers).where(eq(markers.accountId, accountId))).filter((m) =>
    timelines.includes(m.timeline),
  );
}

/**
 * Moves a marker forward to `lastReadId`, never back: what a page showing the newest items does (an
 * older page, or a stale tab, leaves a newer position alone).
 */
export async function advanceMarker(
  db: DatabaseLike,
  accountId: string,
  timeline: MarkerTimeline,
  lastReadId: string,
): Promise<Marker> {
  const current = (await getMarkers(db, accountId, [timeline]))[0];
  // Ids are time-sortable text (db/ids.ts): text order is time order, as the unread count compares them.
  if (current !== undefined && lastReadId <= current.lastReadId) return current;
  return await saveMarker(db, accountId, timeline, lastReadId);
}
