// /api/v1/announcements: the current announcements with the caller's read state and reactions, dismiss,
// and emoji reactions (PUT / DELETE …/reactions/:name). The rules are in domain/announcements.ts.
import { Hono } from "hono";
import { currentAnnouncements } from "../../db/queries/announcements.ts";
import {
  addAnnouncementReaction,
  dismissAnnouncement,
  removeAnnouncementReaction,
} from "../../domain/announcements.ts";
import { asValidation, booleanParam } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { toApiAnnouncement } from "../serializers/announcement.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function announcementsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/", requireScope("read"), async (c) => {
    const withDismissed = booleanParam(c.req.query("with_dismissed")) ?? false;
    return c.json(
      (await currentAnnouncements(deps.db, viewerId(c), { withDismissed })).map(toApiAnnouncement),
    );
  });

  app.post("/:id/dismiss", requireScope("write:accounts"), async (c) => {
    await dismissAnnouncement(deps.db, viewerId(c), c.req.param("id"));
    return c.json({});
  });

  app.put("/:id/reactions/:name", requireScope("write:favourites"), async (c) => {
    const { id, name } = c.req.param();
    await asValidation(async () => await addAnnouncementReaction(deps.db, viewerId(c), id, name));
    return c.json({});
  });

  app.delete("/:id/reactions/:name", requireScope("write:favourites"), async (c) => {
    const { id, name } = c.req.param();
    await removeAnnouncementReaction(deps.db, viewerId(c), id, name);
    return c.json({});
  });

  return app;
}
