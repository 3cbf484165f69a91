import { Hono } from "hono";
import {
  countUnreadNotifications,
  findNotification,
  listNotifications,
  type NotificationFilters,
} from "../../db/queries/notifications.ts";
import type { Notification } from "../../db/schema/index.ts";
import { clearNotifications, dismissNotification } from "../../domain/notification-actions.ts";
import { notFound } from "../../errors.ts";
import { listParam, readParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderNotifications } from "../render.ts";
import { notificationTypeFilters } from "../serializers/notification.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function notificationsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const render = async (rows: Notification[], viewer: string) =>
    await renderNotifications(deps, rows, viewer);

  const filters = async (c: Parameters<typeof readParams>[0]): Promise<NotificationFilters> => {
    const p = await readParams(c);
    return {
      ...notificationTypeFilters(
        listParam(p.types) ?? listParam(p.include_types),
        listParam(p.exclude_types),
      ),
      accountId: typeof p.account_id === "string" ? p.account_id : undefined,
    };
  };

  app.get("/", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c, 40, 80);
    const rows = await listNotifications(deps.db, viewer, await filters(c), page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((x) => x.id),
      page.limit,
    );
    return c.json(await render(rows, viewer));
  });

  app.get("/unread_count", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 100) || 100, 1), 1000);
    return c.json({
      count: await countUnreadNotifications(deps.db, viewer, await filters(c), limit),
    });
  });

  app.post("/clear", requireScope("write:notifications"), async (c) => {
    await clearNotifications(deps.db, viewerId(c));
    return c.json({});
  });

  app.get("/:id", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const row = await findNotification(deps.db, viewer, c.req.param("id"));
    const rendered = row ? (await render([row], viewer))[0] : undefined;
    if (rendered === undefined) throw notFound();
    return c.json(rendered);
  });

  app.post("/:id/dismiss", requireScope("write:notifications"), async (c) => {
    await dismissNotification(deps.db, viewerId(c), c.req.param("id"));
    return c.json({});
  });

  return app;
}
