// /api/v1/custom_emojis: this instance's own emojis that clients offer in their pickers (enabled and
// listed), with their categories, as Mastodon's. Public: clients ask before anyone signs in.
import { Hono } from "hono";
import { listLocalEmojis } from "../../db/queries/emojis.ts";
import { serializeContext } from "../render.ts";
import { toApiCustomEmoji } from "../serializers/custom-emoji.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function customEmojisRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/", async (c) => {
    const ctx = serializeContext(deps);
    const emojis = await listLocalEmojis(deps.db, { enabledOnly: true });
    return c.json(emojis.filter((e) => e.visibleInPicker).map((e) => toApiCustomEmoji(e, ctx)));
  });
  return app;
}
