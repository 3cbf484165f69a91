// Endpoints clients call on start-up for features Atelier does not have (yet): custom emojis, filters,
// trends, followed tags… They answer valid, empty entities so that Elk, Phanpy, Ivory and Tusky keep
// working instead of showing errors. Also tags.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { tags } from "../../db/schema/index.ts";
import { notFound } from "../../errors.ts";
import { requireScope } from "../middleware.ts";
import { serializeContext } from "../render.ts";
import { toApiTag } from "../serializers/tag.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function placeholdersRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const empty = (c: { json: (v: unknown) => Response }) => c.json([]);

  app.get("/custom_emojis", empty);
  app.get("/filters", requireScope("read:filters"), empty);
  app.get("/followed_tags", requireScope("read:follows"), empty);
  app.get("/featured_tags", requireScope("read:accounts"), empty);
  app.get("/featured_tags/suggestions", requireScope("read:accounts"), empty);
  app.get("/domain_blocks", requireScope("read:blocks"), empty);
  app.get("/conversations", requireScope("read:statuses"), empty);
  app.get("/trends", empty);
  app.get("/trends/tags", empty);
  app.get("/trends/statuses", empty);
  app.get("/trends/links", empty);

  app.get("/tags/:name", (c) => {
    const name = c.req.param("name").replace(/^#/, "").toLowerCase();
    const tag = deps.db.select().from(tags).where(eq(tags.name, name)).get();
    if (tag === undefined) throw notFound();
    return c.json(toApiTag(tag, serializeContext(deps), c.get("auth") ? false : undefined));
  });

  return app;
}

/** /api/v2 placeholders: filters. */
export function placeholdersV2Router(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/filters", requireScope("read:filters"), (c) => c.json([]));
  return app;
}
