// The signed-in user's own lists: bookmarks, favourites, mutes, blocks and pending follow requests, each
// paged by when the entry was made (Link headers carry those ids, as in Mastodon).
import { Hono } from "hono";
import { blockedBy, followRequestsTo, mutedBy } from "../../db/queries/accounts.ts";
import { bookmarkedStatuses, favouritedStatuses } from "../../db/queries/collections.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderAccounts, renderStatuses } from "../render.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function collectionsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/bookmarks", requireScope("read:bookmarks"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c);
    const result = await bookmarkedStatuses(deps.db, viewer, page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderStatuses(deps, result.statuses, viewer));
  });

  app.get("/favourites", requireScope("read:favourites"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c);
    const result = await favouritedStatuses(deps.db, viewer, page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderStatuses(deps, result.statuses, viewer));
  });

  app.get("/mutes", requireScope("read:mutes"), async (c) => {
    const page = readPage(c, 40, 80);
    const result = await mutedBy(deps.db, viewerId(c), page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderAccounts(deps, result.accounts));
  });

  app.get("/blocks", requireScope("read:blocks"), async (c) => {
    const page = readPage(c, 40, 80);
    const result = await blockedBy(deps.db, viewerId(c), page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderAccounts(deps, result.accounts));
  });

  app.get("/follow_requests", requireScope("read:follows"), async (c) => {
    const page = readPage(c, 40, 80);
    const result = await followRequestsTo(deps.db, viewerId(c), page);
    setLinkHeader(c, deps.config.origin, result.keys, page.limit);
    return c.json(await renderAccounts(deps, result.accounts));
  });
  // POST /follow_requests/:id/authorize and /reject: account-actions.ts.

  return app;
}
