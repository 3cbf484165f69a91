// Batch rendering of pages for route handlers: loads what a page of rows needs in a fixed number of
// queries, then serializes (no query per item).
import { findAccountsByIds, loadAccountMedia } from "../db/queries/accounts.ts";
import { loadStatusBundle } from "../db/queries/statuses.ts";
import type { Account, Status } from "../db/schema/index.ts";
import { toApiAccount } from "./serializers/account.ts";
import type { SerializeContext } from "./serializers/context.ts";
import { toApiStatuses } from "./serializers/status.ts";
import type { ApiAccount, ApiDeps, ApiStatus } from "./types.ts";

export function serializeContext(deps: ApiDeps): SerializeContext {
  return { origin: deps.config.origin, domain: deps.config.domain, urls: deps.urls };
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
