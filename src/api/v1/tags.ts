// /api/v1/tags/:name (the Tag entity, `following` for a signed-in viewer), following and unfollowing a
// tag (write:follows; the tag is created if no status used it yet) and /api/v1/followed_tags
// (read:follows), paged by the follow's id with Link headers as Mastodon pages it.
import { Hono } from "hono";
import { followedTags } from "../../db/queries/followed-tags.ts";
import { followTag, namedTag, unfollowTag } from "../../domain/followed-tags.ts";
import { maybeViewerId, requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderTags } from "../render-tags.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function tagsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const one = async (tag: { name: string; displayName: string }, viewer: string | null) =>
    (await renderTags(deps, [tag], viewer))[0]!;

  app.get("/tags/:name", async (c) =>
    c.json(await one(await namedTag(deps.db, c.req.param("name")), maybeViewerId(c))),
  );

  app.post("/tags/:name/follow", requireScope("write:follows"), async (c) => {
    const viewer = viewerId(c);
    return c.json(await one(await followTag(deps.db, viewer, c.req.param("name")), viewer));
  });

  app.post("/tags/:name/unfollow", requireScope("write:follows"), async (c) => {
    const viewer = viewerId(c);
    return c.json(await one(await unfollowTag(deps.db, viewer, c.req.param("name")), viewer));
  });

  app.get("/followed_tags", requireScope("read:follows"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c, 100, 200);
    const result = await followedTags(deps.db, viewer, page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderTags(deps, result.tags, viewer));
  });

  return app;
}
