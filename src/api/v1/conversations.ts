// /api/v1/conversations: the signed-in user's direct conversations (read:statuses), paged by their last
// status as Mastodon pages them, marked read or removed (write:conversations). Someone else's
// conversation answers 404, as an unknown one does.
import { Hono } from "hono";
import { conversationsOf, findConversation } from "../../db/queries/conversations.ts";
import { markConversationRead, removeConversation } from "../../domain/conversations.ts";
import { notFound } from "../../errors.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderConversations } from "../render.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function conversationsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/conversations", requireScope("read:statuses"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c, 20, 40);
    const rows = await conversationsOf(deps.db, viewer, page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((r) => r.lastStatusId),
      page.limit,
    );
    return c.json(await renderConversations(deps, rows, viewer));
  });

  app.post("/conversations/:id/read", requireScope("write:conversations"), async (c) => {
    const viewer = viewerId(c);
    await markConversationRead(deps.db, viewer, c.req.param("id"));
    const row = await findConversation(deps.db, viewer, c.req.param("id"));
    if (row === undefined) throw notFound();
    return c.json((await renderConversations(deps, [row], viewer))[0]);
  });

  app.delete("/conversations/:id", requireScope("write:conversations"), async (c) => {
    await removeConversation(deps.db, viewerId(c), c.req.param("id"));
    return c.json({});
  });

  return app;
}
