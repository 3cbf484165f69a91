// /api/v2/notifications (Mastodon 4.3): grouped notifications, their unread count and the notification
// policy. Favourites and boosts of one status, and follows, come as one group each (see
// domain/notification-records.ts for the keys); everything else as a group of one.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { findAccountsByIds } from "../../db/queries/accounts.ts";
import {
  countUnreadNotificationGroups,
  findNotificationGroup,
  listGroupNotifications,
  listNotificationGroups,
} from "../../db/queries/notification-groups.ts";
import { notificationRequestsSummary } from "../../db/queries/notification-requests.ts";
import type { NotificationFilters } from "../../db/queries/notifications.ts";
import type { NotificationType } from "../../db/schema/index.ts";
import { dismissNotificationGroup } from "../../domain/notification-actions.ts";
import {
  getNotificationPolicy,
  type PolicySettings,
  updateNotificationPolicy,
} from "../../domain/notification-policy.ts";
import { GROUPABLE_TYPES } from "../../domain/notification-records.ts";
import { AppError, notFound } from "../../errors.ts";
import { booleanParam, listParam, parseParams, readParams } from "../http.ts";
import { requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderAccounts } from "../render.ts";
import { renderNotificationGroups } from "../render-groups.ts";
import { notificationTypeFilters, storedNotificationTypes } from "../serializers/notification.ts";
import { toApiNotificationPolicy } from "../serializers/notification-policy.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

interface GroupedParams {
  filters: NotificationFilters;
  groupedTypes: NotificationType[];
  partialAvatars: boolean;
}

async function groupedParams(c: Context): Promise<GroupedParams> {
  const p = await readParams(c);
  const grouped = listParam(p.grouped_types);
  const expand = p.expand_accounts;
  if (expand !== undefined && expand !== "full" && expand !== "partial_avatars") {
    throw new AppError("unprocessable", "expand_accounts must be full or partial_avatars");
  }
  return {
    filters: {
      ...notificationTypeFilters(
        listParam(p.types) ?? listParam(p.include_types),
        listParam(p.exclude_types),
      ),
      accountId: typeof p.account_id === "string" ? p.account_id : undefined,
      includeFiltered: booleanParam(p.include_filtered) ?? false,
    },
    groupedTypes: grouped
      ? GROUPABLE_TYPES.filter((t) => storedNotificationTypes(grouped).includes(t))
      : [...GROUPABLE_TYPES],
    partialAvatars: expand === "partial_avatars",
  };
}

const action = z.enum(["accept", "filter", "drop"]).optional();
const policyParams = z.object({
  for_not_following: action,
  for_not_followers: action,
  for_new_accounts: action,
  for_private_mentions: action,
  for_limited_accounts: action,
});

export function notificationsV2Router(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const policyAnswer = async (viewer: string, policy: PolicySettings) =>
    toApiNotificationPolicy(policy, await notificationRequestsSummary(deps.db, viewer));

  app.get("/", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c, 40, 80);
    const p = await groupedParams(c);
    const groups = await listNotificationGroups(deps.db, viewer, p.filters, page, p.groupedTypes);
    // Pages follow the groups' newest notifications, as Mastodon's Link header does.
    setLinkHeader(
      c,
      deps.config.origin,
      groups.map((g) => g.latest.id),
      page.limit,
    );
    return c.json(
      await renderNotificationGroups(deps, groups, viewer, {
        pagination: true,
        partialAvatars: p.partialAvatars,
      }),
    );
  });

  app.get("/unread_count", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 100) || 100, 1), 1000);
    const p = await groupedParams(c);
    return c.json({
      count: await countUnreadNotificationGroups(deps.db, viewer, p.filters, p.groupedTypes, limit),
    });
  });

  app.get("/policy", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    return c.json(await policyAnswer(viewer, await getNotificationPolicy(deps.db, viewer)));
  });

  // Rails' `resource :policy` answers PATCH and PUT alike; masto.js sends PUT.
  app.on(["PATCH", "PUT"], "/policy", requireScope("write:notifications"), async (c) => {
    const viewer = viewerId(c);
    const p = await parseParams(c, policyParams);
    const policy = await updateNotificationPolicy(deps.db, viewer, {
      ...(p.for_not_following ? { forNotFollowing: p.for_not_following } : {}),
      ...(p.for_not_followers ? { forNotFollowers: p.for_not_followers } : {}),
      ...(p.for_new_accounts ? { forNewAccounts: p.for_new_accounts } : {}),
      ...(p.for_private_mentions ? { forPrivateMentions: p.for_private_mentions } : {}),
      ...(p.for_limited_accounts ? { forLimitedAccounts: p.for_limited_accounts } : {}),
    });
    return c.json(await policyAnswer(viewer, policy));
  });

  app.get("/:group_key", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const group = await findNotificationGroup(deps.db, viewer, c.req.param("group_key"), {});
    const rendered = group
      ? await renderNotificationGroups(deps, [group], viewer, { pagination: false })
      : undefined;
    if (rendered === undefined || rendered.notification_groups.length === 0) throw notFound();
    return c.json(rendered);
  });

  app.get("/:group_key/accounts", requireScope("read:notifications"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c, 40, 80);
    const rows = await listGroupNotifications(deps.db, viewer, c.req.param("group_key"), page);
    const unbounded = page.maxId === undefined && page.minId === undefined && !page.sinceId;
    if (rows.length === 0 && unbounded) throw notFound();
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((n) => n.id),
      page.limit,
    );
    const accounts = new Map(
      (await findAccountsByIds(deps.db, [...new Set(rows.map((n) => n.fromAccountId))])).map(
        (a) => [a.id, a],
      ),
    );
    const ordered = rows.flatMap((n) => {
      const a = accounts.get(n.fromAccountId);
      return a ? [a] : [];
    });
    return c.json(await renderAccounts(deps, ordered));
  });

  app.post("/:group_key/dismiss", requireScope("write:notifications"), async (c) => {
    await dismissNotificationGroup(deps.db, viewerId(c), c.req.param("group_key"));
    return c.json({});
  });

  return app;
}
