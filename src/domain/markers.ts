// Saving read positions (markers) of a local account; each save bumps the marker's version.
import { eq, sql } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { type Marker, type MarkerTimeline, markers } from "../db/schema/index.ts";

export function saveMarker(
  db: DatabaseLike,
  accountId: string,
  timeline: MarkerTimeline,
  lastReadId: string,
): Marker {
  const now = new Date();
  return db
    .insert(markers)
    .values({ accountId, timeline, lastReadId, version: 0, updatedAt: now })
    .onConflictDoUpdate({
      target: [markers.accountId, markers.timeline],
      set: { lastReadId, updatedAt: now, version: sql`${markers.version} + 1` },
    })
    .returning()
    .get();
}

export function getMarkers(
  db: DatabaseLike,
  accountId: string,
  timelines: readonly MarkerTimeline[],
): Marker[] {
  return db
    .select()
    .from(markers)
    .where(eq(markers.accountId, accountId))
    .all()
    .filter((m) => timelines.includes(m.timeline));
}
