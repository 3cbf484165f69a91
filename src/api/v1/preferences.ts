// GET /api/v1/preferences: the signed-in user's stored preferences (domain/preferences.ts), with
// Mastodon's keys. GIFs are not autoplayed because Atelier stores no animations.
import { Hono } from "hono";
import { preferencesOf } from "../../domain/preferences.ts";
import { requireScope, viewerId } from "../middleware.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function preferencesRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/preferences", requireScope("read:accounts"), async (c) => {
    const p = await preferencesOf(deps.db, viewerId(c));
    return c.json({
      "posting:default:visibility": p.defaultVisibility,
      "posting:default:sensitive": p.defaultSensitive,
      "posting:default:language": p.defaultLanguage,
      "reading:expand:media": p.expandMedia,
      "reading:expand:spoilers": p.expandSpoilers,
      "reading:autoplay:gifs": false,
    });
  });
  return app;
}
