// /api/v1/scheduled_statuses: the caller's scheduled statuses (paged, with Link headers), one by id,
// rescheduling (PUT scheduled_at) and cancelling. Scheduling itself is POST /api/v1/statuses with
// scheduled_at (status-writes.ts); the rules live in domain/scheduled-statuses.ts.
import { Hono } from "hono";
import { z } from "zod";
import {
  findScheduledStatus,
  heldMedia,
  listScheduledStatuses,
} from "../../db/queries/scheduled-statuses.ts";
import type { ScheduledStatus } from "../../db/schema/index.ts";
import { notFound, unprocessable } from "../../errors.ts";
import { parseParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { serializeContext } from "../render.ts";
import { toApiScheduledStatus } from "../serializers/scheduled-status.ts";
import type { ApiDeps, ApiEnv, ApiScheduledStatus } from "../types.ts";

/** Reads an ISO 8601 date and time (Mastodon's scheduled_at); anything else is a 422. */
export function parseScheduledAt(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime())) {
    throw unprocessable("Validation failed: Scheduled at must be an ISO 8601 date and time");
  }
  return at;
}

export async function renderScheduledStatuses(
  deps: ApiDeps,
  rows: readonly ScheduledStatus[],
): Promise<ApiScheduledStatus[]> {
  const media = await heldMedia(
    deps.db,
    rows.map((r) => r.id),
  );
  const ctx = serializeContext(deps);
  return rows.map((r) => toApiScheduledStatus(r, media.get(r.id) ?? [], ctx));
}

const updateParams = z.object({ scheduled_at: z.string().optional() });

export function scheduledStatusesRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const service = deps.scheduledStatuses;

  app.get("/", requireScope("read:statuses"), async (c) => {
    const page = readPage(c);
    const rows = await listScheduledStatuses(deps.db, viewerId(c), page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((r) => r.id),
      page.limit,
    );
    return c.json(await renderScheduledStatuses(deps, rows));
  });

  app.get("/:id", requireScope("read:statuses"), async (c) => {
    const row = await findScheduledStatus(deps.db, viewerId(c), c.req.param("id"));
    if (row === undefined) throw notFound();
    return c.json((await renderScheduledStatuses(deps, [row]))[0]);
  });

  app.put("/:id", requireScope("write:statuses"), async (c) => {
    const viewer = viewerId(c);
    if ((await findScheduledStatus(deps.db, viewer, c.req.param("id"))) === undefined)
      throw notFound();
    const p = await parseParams(c, updateParams);
    const row =
      p.scheduled_at === undefined || p.scheduled_at === ""
        ? (await findScheduledStatus(deps.db, viewer, c.req.param("id")))!
        : await service.reschedule(viewer, c.req.param("id"), parseScheduledAt(p.scheduled_at));
    return c.json((await renderScheduledStatuses(deps, [row]))[0]);
  });

  app.delete("/:id", requireScope("write:statuses"), async (c) => {
    await service.cancel(viewerId(c), c.req.param("id"));
    return c.json({});
  });

  return app;
}
