// Endpoints clients call on start-up for features Atelier does not have (yet): custom emojis,
// announcements, trends, suggestions… They answer valid, empty entities so that Elk, Phanpy, Ivory
// and Tusky keep working instead of showing errors. Also preferences.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { users } from "../../db/schema/index.ts";
import { requireScope, viewerId } from "../middleware.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function placeholdersRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const empty = (c: { json: (v: unknown) => Response }) => c.json([]);

  app.get("/custom_emojis", empty);
  app.get("/announcements", requireScope(null), empty);
  app.get("/endorsements", requireScope("read:accounts"), empty);
  app.get("/suggestions", requireScope("read"), empty);
  app.get("/trends", empty);
  app.get("/trends/tags", empty);
  app.get("/trends/statuses", empty);
  app.get("/trends/links", empty);

  app.get("/preferences", requireScope("read:accounts"), (c) => {
    const user = deps.db
      .select()
      .from(users)
      .where(eq(users.accountId, viewerId(c)))
      .get();
    return c.json({
      "posting:default:visibility": "public",
      "posting:default:sensitive": false,
      "posting:default:language": user?.locale ?? null,
      "reading:expand:media": "default",
      "reading:expand:spoilers": false,
      "reading:autoplay:gifs": false,
    });
  });

  return app;
}

/** /api/v2 placeholders: suggestions. */
export function placeholdersV2Router(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/suggestions", requireScope("read"), (c) => c.json([]));
  return app;
}
