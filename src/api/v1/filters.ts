// /api/v1/filters: Mastodon's v1 filters, each one keyword of a v2 filter (domain/filters-v1.ts).
import { Hono } from "hono";
import { findKeyword, keywordsOf } from "../../db/queries/filters.ts";
import { createV1Filter, deleteV1Filter, updateV1Filter } from "../../domain/filters-v1.ts";
import { notFound } from "../../errors.ts";
import { v1FilterInput } from "../filter-params.ts";
import { readParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { toApiV1Filter } from "../serializers/filter.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function filtersV1Router(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const read = requireScope("read:filters");
  const write = requireScope("write:filters");
  const { db } = deps;

  app.get("/filters", read, async (c) =>
    c.json((await keywordsOf(db, viewerId(c))).map((r) => toApiV1Filter(r.keyword, r.filter))),
  );
  app.post("/filters", write, async (c) => {
    const made = await createV1Filter(db, viewerId(c), v1FilterInput(await readParams(c)));
    return c.json(toApiV1Filter(made.keyword, made.filter));
  });
  app.get("/filters/:id", read, async (c) => {
    const found = await findKeyword(db, viewerId(c), c.req.param("id"));
    if (found === undefined) throw notFound();
    return c.json(toApiV1Filter(found.keyword, found.filter));
  });
  app.put("/filters/:id", write, async (c) => {
    const input = v1FilterInput(await readParams(c));
    const updated = await updateV1Filter(db, viewerId(c), c.req.param("id"), input);
    return c.json(toApiV1Filter(updated.keyword, updated.filter));
  });
  app.delete("/filters/:id", write, async (c) => {
    await deleteV1Filter(db, viewerId(c), c.req.param("id"));
    return c.json({});
  });

  return app;
}
