// /api/v1/notifications/requests (Mastodon 4.3): what the notification policy held back, one request
// per sender; accepting lets the sender through from then on, dismissing drops what it held. Also the
// deprecated v1 policy (GET /api/v1/notifications/policy).

import { Hono } from "hono";
import { findAccountsByIds } from "../../db/queries/accounts.ts";
import {
  findNotificationRequest,
  listNotificationRequests,
  notificationRequestsSummary,
} from "../../db/queries/notification-requests.ts";
import { visibleStatusesByIds } from "../../db/queries/statuses.ts";
import type { NotificationRequest } from "../../db/schema/index.ts";
import {
  acceptNotificationRequests,
  dismissNotificationRequests,
} from "../../domain/notification-actions.ts";
import { getNotificationPolicy } from "../../domain/notification-policy.ts";
import { notFound } from "../../errors.ts";
import { listParam, readParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderAccounts, renderStatuses } from "../render.ts";
import {
  toApiNotificationPolicyV1,
  toApiNotificationRequest,
} from "../serializers/notification-policy.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function notificationRequestsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const render = async (rows: NotificationRequest[], viewer: string) => {
    const accounts = new Map(
      (
        await renderAccounts(
          deps,
          await findAccountsByIds(
            deps.db,
            rows.map((r) => r.fromAccountId),
          ),
        )
      ).map((a) => [a.id, a]),
    );
    const statusIds = rows.flatMap((r) => (r.lastStatusId ? [r.lastStatusId] : []));
    const statusRows = await visibleStatusesByIds(deps.db, viewer, statusIds);
    const shown = new Map((await renderStatuses(deps, statusRows, viewer)).map((s) => [s.id, s]));
    return rows.flatMap((r) => {
      const account = accounts.get(r.fromAccountId);
      const last = r.lastStatusId ? shown.get(r.lastStatusId) : undefined;
      return account ? [toApiNotificationRequest(r, account, last)] : [];
    });
  };
  const ids = async (c: Parameters<typeof readParams>[0]) => {
    const p = await readParams(c);
    return listParam(p.id) ?? [];
  };

  app.get("/policy", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    return c.json(
      toApiNotificationPolicyV1(
        await getNotificationPolicy(deps.db, viewer),
        await notificationRequestsSummary(deps.db, viewer),
      ),
    );
  });

  app.get("/requests", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c, 40, 80);
    const rows = await listNotificationRequests(deps.db, viewer, page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((r) => r.id),
      page.limit,
    );
    return c.json(await render(rows, viewer));
  });

  // Accepting and dismissing happen at once here, so a merge is never pending.
  app.get("/requests/merged", requireScope("read:notifications"), (c) => c.json({ merged: true }));

  app.post("/requests/accept", requireScope("write:notifications"), async (c) => {
    await acceptNotificationRequests(deps.db, viewerId(c), await ids(c));
    return c.json({});
  });

  app.post("/requests/dismiss", requireScope("write:notifications"), async (c) => {
    await dismissNotificationRequests(deps.db, viewerId(c), await ids(c));
    return c.json({});
  });

  app.get("/requests/:id", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const row = await findNotificationRequest(deps.db, viewer, c.req.param("id"));
    const rendered = row ? (await render([row], viewer))[0] : undefined;
    if (rendered === undefined) throw notFound();
    return c.json(rendered);
  });

  app.post("/requests/:id/accept", requireScope("write:notifications"), async (c) => {
    await acceptNotificationRequests(deps.db, viewerId(c), [c.req.param("id")], true);
    return c.json({});
  });

  app.post("/requests/:id/dismiss", requireScope("write:notifications"), async (c) => {
    await dismissNotificationRequests(deps.db, viewerId(c), [c.req.param("id")], true);
    return c.json({});
  });

  return app;
}
