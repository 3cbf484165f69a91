// Batch rendering of pages for route handlers: loads what a page of rows needs in a fixed number of
// queries, then serializes (no query per item).

import { findAccountsByIds, loadAccountMedia } from "../db/queries/accounts.ts";
import { loadStatusBundle, visibleStatusesByIds } from "../db/queries/statuses.ts";
import type { Account, Notification, Status } from "../db/schema/index.ts";
import { toApiAccount } from "./serializers/account.ts";
import type { SerializeContext } from "./serializers/context.ts";
import { toApiNotification } from "./serializers/notification.ts";
import { toApiStatuses } from "./serializers/status.ts";
import type { ApiAccount, ApiDeps, ApiNotification, ApiStatus } from "./types.ts";

export function serializeContext(
  deps: Pick<ApiDeps, "config" | "urls"> & { polls?: { now(): Date } },
): SerializeContext {
  return {
    origin: deps.config.origin,
    domain: deps.config.domain,
    urls: deps.urls,
    ...(deps.polls ? { now: () => deps.polls!.now() } : {}),
  };
}

export function renderStatuses(
  deps: ApiDeps,
  rows: readonly Status[],
  viewerId: string | null,
): ApiStatus[] {
  const bundle = loadStatusBundle(deps.db, [...rows], viewerId);
  return toApiStatuses(rows, bundle, serializeContext(deps), viewerId);
}

/** Accounts, each with the account it moved to (`moved`, as Mastodon shows it, not nested further). */
export function renderAccounts(deps: ApiDeps, rows: readonly Account[]): ApiAccount[] {
  const movedIds = rows.flatMap((a) => (a.movedToAccountId ? [a.movedToAccountId] : []));
  const movedTo = new Map(findAccountsByIds(deps.db, movedIds).map((a) => [a.id, a]));
  const media = loadAccountMedia(deps.db, [...rows, ...movedTo.values()]);
  const ctx = serializeContext(deps);
  return rows.map((a) => {
    const target = a.movedToAccountId ? movedTo.get(a.movedToAccountId) : undefined;
    const account = toApiAccount(a, media, ctx);
    return target ? { ...account, moved: toApiAccount(target, media, ctx) } : account;
  });
}

/**
 * Notifications of `viewer`, with their accounts and statuses loaded in batch. Only statuses the viewer
 * may see are loaded, and a notification whose status is not is left out (as Mastodon does): REST and
 * the streaming API both render through here, so neither shows what the other would not.
 */
export function renderNotifications(
  deps: Pick<ApiDeps, "db" | "config" | "urls">,
  rows: readonly Notification[],
  viewer: string,
): ApiNotification[] {
  const from = findAccountsByIds(deps.db, [...new Set(rows.map((n) => n.fromAccountId))]);
  const statusIds = [...new Set(rows.map((n) => n.statusId).filter((id) => id !== null))];
  const statusRows = visibleStatusesByIds(deps.db, viewer, statusIds);
  const bundle = loadStatusBundle(deps.db, statusRows, viewer);
  const accounts = new Map(from.map((a) => [a.id, a]));
  const media = loadAccountMedia(deps.db, from);
  const ctx = serializeContext(deps);
  return rows
    .map((n) => toApiNotification(n, accounts, media, bundle, ctx, viewer))
    .filter((n): n is ApiNotification => n !== undefined);
}
