// /api/v2/filters: the signed-in user's filters (read:filters, write:filters) with their keywords and
// statuses, Mastodon 4's paths. Someone else's filter, keyword or status answers 404, as an unknown one.
import { Hono } from "hono";
import { filtersOf } from "../../db/queries/filters.ts";
import {
  addFilterKeyword,
  addFilterStatus,
  createFilter,
  deleteFilter,
  ownFilter,
  ownFilterStatus,
  ownKeyword,
  removeFilterKeyword,
  removeFilterStatus,
  updateFilter,
  updateFilterKeyword,
} from "../../domain/filters.ts";
import { filterInput, keywordInput, textParam } from "../filter-params.ts";
import { readParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { toApiFilter, toApiFilterKeyword, toApiFilterStatus } from "../serializers/filter.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function filtersV2Router(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const read = requireScope("read:filters");
  const write = requireScope("write:filters");
  const { db } = deps;

  // Keywords and statuses by their own id first: "/filters/:id" would not take them (two segments),
  // but reading them first keeps the table in Mastodon's order.
  app.get("/filters/keywords/:id", read, async (c) =>
    c.json(toApiFilterKeyword(await ownKeyword(db, viewerId(c), c.req.param("id")))),
  );
  app.put("/filters/keywords/:id", write, async (c) => {
    const input = keywordInput(await readParams(c));
    return c.json(
      toApiFilterKeyword(await updateFilterKeyword(db, viewerId(c), c.req.param("id"), input)),
    );
  });
  app.delete("/filters/keywords/:id", write, async (c) => {
    await removeFilterKeyword(db, viewerId(c), c.req.param("id"));
    return c.json({});
  });

  app.get("/filters/statuses/:id", read, async (c) =>
    c.json(toApiFilterStatus(await ownFilterStatus(db, viewerId(c), c.req.param("id")))),
  );
  app.delete("/filters/statuses/:id", write, async (c) => {
    await removeFilterStatus(db, viewerId(c), c.req.param("id"));
    return c.json({});
  });

  app.get("/filters", read, async (c) =>
    c.json((await filtersOf(db, viewerId(c))).map(toApiFilter)),
  );
  app.post("/filters", write, async (c) => {
    const input = filterInput(await readParams(c));
    return c.json(toApiFilter(await createFilter(db, viewerId(c), input)));
  });
  app.get("/filters/:id", read, async (c) =>
    c.json(toApiFilter(await ownFilter(db, viewerId(c), c.req.param("id")))),
  );
  app.put("/filters/:id", write, async (c) => {
    const input = filterInput(await readParams(c));
    return c.json(toApiFilter(await updateFilter(db, viewerId(c), c.req.param("id"), input)));
  });
  app.delete("/filters/:id", write, async (c) => {
    await deleteFilter(db, viewerId(c), c.req.param("id"));
    return c.json({});
  });

  app.get("/filters/:id/keywords", read, async (c) =>
    c.json((await ownFilter(db, viewerId(c), c.req.param("id"))).keywords.map(toApiFilterKeyword)),
  );
  app.post("/filters/:id/keywords", write, async (c) => {
    const input = keywordInput(await readParams(c));
    return c.json(
      toApiFilterKeyword(await addFilterKeyword(db, viewerId(c), c.req.param("id"), input)),
    );
  });

  app.get("/filters/:id/statuses", read, async (c) =>
    c.json((await ownFilter(db, viewerId(c), c.req.param("id"))).statuses.map(toApiFilterStatus)),
  );
  app.post("/filters/:id/statuses", write, async (c) => {
    const statusId = textParam("status_id", (await readParams(c)).status_id) ?? "";
    return c.json(
      toApiFilterStatus(await addFilterStatus(db, viewerId(c), c.req.param("id"), statusId)),
    );
  });

  return app;
}
