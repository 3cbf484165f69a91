// Batch rendering of pages for route handlers: loads what a page of rows needs in a fixed number of
// queries, then serializes (no query per item). Given a filter context (home, public, thread, account,
// notifications), the viewer's filters of it apply: `hide` ones remove a status, others mark it
// `filtered`, through the one matcher (domain/filter-matching.ts), loaded once per call.

import { findAccountsByIds, loadAccountMedia } from "../db/queries/accounts.ts";
import type { ConversationRow } from "../db/queries/conversations.ts";
import type { StatusBundle } from "../db/queries/statuses.ts";
import { loadStatusBundle, visibleStatusesByIds } from "../db/queries/statuses.ts";
import type { Account, FilterContext, Notification, Status } from "../db/schema/index.ts";
import { warningsByIds } from "../domain/account-moderation.ts";
import {
  type FilterMatch,
  type FilterSet,
  hidesStatus,
  loadFilterSet,
  matchFilters,
} from "../domain/filter-matching.ts";
import { toApiAccount } from "./serializers/account.ts";
import type { SerializeContext } from "./serializers/context.ts";
import { toApiConversation } from "./serializers/conversation.ts";
import { toApiFilterResult } from "./serializers/filter.ts";
import { toApiAccountWarning, toApiNotification } from "./serializers/notification.ts";
import { toApiStatuses } from "./serializers/status.ts";
import type {
  ApiAccount,
  ApiAccountWarning,
  ApiConversation,
  ApiDeps,
  ApiNotification,
  ApiStatus,
} from "./types.ts";

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

/** What each of `rows` matched of the set (only statuses that matched something are keys). */
function matchRows(
  set: FilterSet,
  rows: readonly Status[],
  bundle: StatusBundle,
): Map<string, FilterMatch[]> {
  const out = new Map<string, FilterMatch[]>();
  if (set.filters.length === 0) return out;
  for (const row of rows) {
    const original = row.reblogOfId === null ? row : bundle.statuses.get(row.reblogOfId);
    if (original === undefined) continue;
    const matches = matchFilters(set, row, original, bundle.media.get(original.id) ?? []);
    if (matches.length > 0) out.set(row.id, matches);
  }
  return out;
}

/** Marks a rendered status (and the boosted one inside it, as Mastodon) with what it matched. */
function markFiltered(status: ApiStatus, matches: readonly FilterMatch[]): ApiStatus {
  const filtered = matches.map(toApiFilterResult);
  return {
    ...status,
    filtered,
    ...(status.reblog === null ? {} : { reblog: { ...status.reblog, filtered } }),
  };
}

/**
 * Statuses for `viewerId`, in order, those that cannot be shown left out; with a `context`, the
 * viewer's filters of that context applied (the caller pages by the rows it read, so a page that loses
 * statuses to a `hide` filter is shorter, and the next page still follows on).
 */
export async function renderStatuses(
  deps: Pick<ApiDeps, "db" | "config" | "urls">,
  rows: readonly Status[],
  viewerId: string | null,
  context?: FilterContext,
): Promise<ApiStatus[]> {
  const bundle = await loadStatusBundle(deps.db, [...rows], viewerId);
  const rendered = toApiStatuses(rows, bundle, serializeContext(deps), viewerId);
  if (context === undefined || viewerId === null) return rendered;
  const matched = matchRows(await loadFilterSet(deps.db, viewerId, context), rows, bundle);
  if (matched.size === 0) return rendered;
  return rendered.flatMap((s) => {
    const matches = matched.get(s.id);
    if (matches === undefined) return [s];
    return hidesStatus(matches) ? [] : [markFiltered(s, matches)];
  });
}

/** Accounts, each with the account it moved to (`moved`, as Mastodon shows it, not nested further). */
export async function renderAccounts(
  deps: ApiDeps,
  rows: readonly Account[],
): Promise<ApiAccount[]> {
  const movedIds = rows.flatMap((a) => (a.movedToAccountId ? [a.movedToAccountId] : []));
  const movedTo = new Map((await findAccountsByIds(deps.db, movedIds)).map((a) => [a.id, a]));
  const media = await loadAccountMedia(deps.db, [...rows, ...movedTo.values()]);
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
 * the streaming API both render through here, so neither shows what the other would not. The viewer's
 * `notifications` filters apply to their statuses: a `hide` one leaves the notification out.
 */
export async function renderNotifications(
  deps: Pick<ApiDeps, "db" | "config" | "urls">,
  rows: readonly Notification[],
  viewer: string,
): Promise<ApiNotification[]> {
  const from = await findAccountsByIds(deps.db, [...new Set(rows.map((n) => n.fromAccountId))]);
  const statusIds = [...new Set(rows.map((n) => n.statusId).filter((id) => id !== null))];
  const statusRows = await visibleStatusesByIds(deps.db, viewer, statusIds);
  const bundle = await loadStatusBundle(deps.db, statusRows, viewer);
  const accounts = new Map(from.map((a) => [a.id, a]));
  const media = await loadAccountMedia(deps.db, from);
  const ctx = serializeContext(deps);
  const matched = matchRows(
    await loadFilterSet(deps.db, viewer, "notifications"),
    statusRows,
    bundle,
  );
  const warnings = await renderWarnings(
    deps,
    rows.flatMap((n) => (n.warningId === null ? [] : [n.warningId])),
  );
  return rows.flatMap((n) => {
    const matches = n.statusId === null ? undefined : matched.get(n.statusId);
    if (matches !== undefined && hidesStatus(matches)) return [];
    const entity = toApiNotification(n, accounts, media, bundle, ctx, viewer, warnings);
    if (entity === undefined) return [];
    if (matches === undefined || !entity.status) return [entity];
    return [{ ...entity, status: markFiltered(entity.status, matches) }];
  });
}

/** The warnings notifications name, as AccountWarning entities, by id. */
export async function renderWarnings(
  deps: Pick<ApiDeps, "db" | "config" | "urls">,
  ids: readonly string[],
): Promise<Map<string, ApiAccountWarning>> {
  const found = await warningsByIds(deps.db, ids);
  if (found.size === 0) return new Map();
  const targets = await findAccountsByIds(deps.db, [
    ...new Set([...found.values()].map((w) => w.targetAccountId)),
  ]);
  const rendered = new Map((await renderAccounts(deps as ApiDeps, targets)).map((a) => [a.id, a]));
  const out = new Map<string, ApiAccountWarning>();
  for (const [id, w] of found) {
    const target = rendered.get(w.targetAccountId);
    if (target !== undefined) out.set(id, toApiAccountWarning(w, target));
  }
  return out;
}

/**
 * Conversations of `viewer` with their participants and last statuses loaded in batch; a last status
 * the viewer may no longer see (a block since) is shown as none, as a missing one is.
 */
export async function renderConversations(
  deps: Pick<ApiDeps, "db" | "config" | "urls">,
  rows: readonly ConversationRow[],
  viewer: string,
): Promise<ApiConversation[]> {
  const accountIds = new Set([viewer, ...rows.flatMap((r) => r.conversation.participantIds)]);
  const accounts = new Map(
    (await renderAccounts(deps as ApiDeps, await findAccountsByIds(deps.db, [...accountIds]))).map(
      (a) => [a.id, a],
    ),
  );
  const statusRows = await visibleStatusesByIds(
    deps.db,
    viewer,
    rows.map((r) => r.lastStatusId),
  );
  const statuses = new Map(
    (await renderStatuses(deps as ApiDeps, statusRows, viewer)).map((s) => [s.id, s]),
  );
  return rows.map((r) =>
    toApiConversation(r, accounts, statuses.get(r.lastStatusId) ?? null, viewer),
  );
}
