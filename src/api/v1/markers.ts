// /api/v1/markers: read positions in the home timeline and notifications, shared by all of a person's
// clients. GET takes timeline[]=home&timeline[]=notifications; POST takes home[last_read_id]=… (or JSON).
import { Hono } from "hono";
import { z } from "zod";
import type { Marker, MarkerTimeline } from "../../db/schema/index.ts";
import { getMarkers, saveMarker } from "../../domain/markers.ts";
import { listParam, parseParams, readParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

const TIMELINES: MarkerTimeline[] = ["home", "notifications"];
const position = z.object({ last_read_id: z.string().regex(/^\d{1,30}$/, "must be an id") });
const saveParams = z.object({ home: position.optional(), notifications: position.optional() });

const toApi = (markers: Marker[]) =>
  Object.fromEntries(
    markers.map((m) => [
      m.timeline,
      { last_read_id: m.lastReadId, version: m.version, updated_at: m.updatedAt.toISOString() },
    ]),
  );

export function markersRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/", requireScope("read:statuses"), async (c) => {
    const asked = (listParam((await readParams(c)).timeline) ?? []).filter(
      (t): t is MarkerTimeline => (TIMELINES as string[]).includes(t),
    );
    return c.json(toApi(await getMarkers(deps.db, viewerId(c), asked)));
  });

  app.post("/", requireScope("write:statuses"), async (c) => {
    const p = await parseParams(c, saveParams);
    const viewer = viewerId(c);
    const saved: Marker[] = [];
    for (const timeline of TIMELINES) {
      const value = p[timeline];
      if (value) saved.push(await saveMarker(deps.db, viewer, timeline, value.last_read_id));
    }
    return c.json(toApi(saved));
  });

  return app;
}
