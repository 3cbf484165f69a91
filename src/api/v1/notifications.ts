// /api/v1/notifications: list (types/exclude_types/account_id filters), one, dismiss, clear and the
// unread count after the notifications marker.
import { and, inArray } from "drizzle-orm";
import { Hono } from "hono";
import { findAccountsByIds, loadAccountMedia } from "../../db/queries/accounts.ts";
import {
  countUnreadNotifications,
  findNotification,
  listNotifications,
  type NotificationFilters,
} from "../../db/queries/notifications.ts";
import { loadStatusBundle } from "../../db/queries/statuses.ts";
import { visibleTo } from "../../db/queries/visibility.ts";
import { type Notification, statuses } from "../../db/schema/index.ts";
import { clearNotifications, dismissNotification } from "../../domain/notification-actions.ts";
import { notFound } from "../../errors.ts";
import { listParam, readParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { serializeContext } from "../render.ts";
import { toApiNotification } from "../serializers/notification.ts";
import type { ApiDeps, ApiEnv, ApiNotification } from "../types.ts";

export function notificationsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const ctx = serializeContext(deps);

  /** Serializes notifications with their accounts and statuses loaded in batch. */
  const render = (rows: Notification[], viewer: string): ApiNotification[] => {
    const from = findAccountsByIds(deps.db, [...new Set(rows.map((n) => n.fromAccountId))]);
    const statusIds = [...new Set(rows.map((n) => n.statusId).filter((id) => id !== null))];
    const statusRows =
      statusIds.length === 0
        ? []
        : deps.db
            .select()
            .from(statuses)
            .where(and(inArray(statuses.id, statusIds), visibleTo(viewer)))
            .all();
    const bundle = loadStatusBundle(deps.db, statusRows, viewer);
    const accounts = new Map(from.map((a) => [a.id, a]));
    const media = loadAccountMedia(deps.db, from);
    return rows
      .map((n) => toApiNotification(n, accounts, media, bundle, ctx, viewer))
      .filter((n): n is ApiNotification => n !== undefined);
  };

  const filters = async (c: Parameters<typeof readParams>[0]): Promise<NotificationFilters> => {
    const p = await readParams(c);
    const types = listParam(p.types);
    return {
      types,
      // Emoji reactions are not a Mastodon notification type: only clients that ask for them get them.
      excludeTypes: [
        ...(listParam(p.exclude_types) ?? []),
        ...(types?.includes("emoji_reaction") ? [] : ["emoji_reaction"]),
      ],
      accountId: typeof p.account_id === "string" ? p.account_id : undefined,
    };
  };

  app.get("/", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c, 40, 80);
    const rows = listNotifications(deps.db, viewer, await filters(c), page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((x) => x.id),
      page.limit,
    );
    return c.json(render(rows, viewer));
  });

  app.get("/unread_count", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 100) || 100, 1), 1000);
    return c.json({ count: countUnreadNotifications(deps.db, viewer, await filters(c), limit) });
  });

  app.post("/clear", requireScope("write:notifications"), (c) => {
    clearNotifications(deps.db, viewerId(c));
    return c.json({});
  });

  // Notification policy and requests (Mastodon 4.3): nothing is filtered here.
  app.get("/policy", requireScope("read:notifications"), (c) =>
    c.json({
      for_not_following: "accept",
      for_not_followers: "accept",
      for_new_accounts: "accept",
      for_private_mentions: "accept",
      for_limited_accounts: "accept",
      summary: { pending_requests_count: 0, pending_notifications_count: 0 },
    }),
  );
  app.get("/requests", requireScope("read:notifications"), (c) => c.json([]));

  app.get("/:id", requireScope("read:notifications"), (c) => {
    const viewer = viewerId(c);
    const row = findNotification(deps.db, viewer, c.req.param("id"));
    const rendered = row ? render([row], viewer)[0] : undefined;
    if (rendered === undefined) throw notFound();
    return c.json(rendered);
  });

  app.post("/:id/dismiss", requireScope("write:notifications"), (c) => {
    dismissNotification(deps.db, viewerId(c), c.req.param("id"));
    return c.json({});
  });

  return app;
}
