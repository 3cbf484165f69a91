// Notification rows → Mastodon Notification, reusing the accounts and statuses of a status bundle.
import type { AccountMedia } from "../../db/queries/accounts.ts";
import type { StatusBundle } from "../../db/queries/statuses.ts";
import type { Account, AccountWarning, Notification } from "../../db/schema/index.ts";
import type { ApiAccount, ApiAccountWarning, ApiNotification } from "../types.ts";
import { toApiAccount } from "./account.ts";
import type { SerializeContext } from "./context.ts";
import { toApiStatus } from "./status.ts";

export function toApiNotification(
  n: Notification,
  from: ReadonlyMap<string, Account>,
  fromMedia: AccountMedia,
  bundle: StatusBundle,
  ctx: SerializeContext,
  viewerId: string,
  warnings: ReadonlyMap<string, ApiAccountWarning> = new Map(),
): ApiNotification | undefined {
  const account = from.get(n.fromAccountId);
  if (account === undefined) return undefined;
  let status: ApiNotification["status"];
  if (n.statusId !== null) {
    const row = bundle.statuses.get(n.statusId);
    status = row ? (toApiStatus(row, bundle, ctx, viewerId) ?? null) : null;
    // A notification about a status the viewer can no longer see is not shown (as Mastodon does).
    if (status === null) return undefined;
  }
  return {
    id: n.id,
    type: n.type,
    group_key: `ungrouped-${n.id}`,
    created_at: n.createdAt.toISOString(),
    account: toApiAccount(account, fromMedia, ctx),
    ...(status !== undefined ? { status } : {}),
    ...(n.type === "emoji_reaction" && n.emoji !== null ? { emoji: n.emoji } : {}),
    ...(n.warningId !== null && warnings.has(n.warningId)
      ? { moderation_warning: warnings.get(n.warningId)! }
      : {}),
  };
}

/** Mastodon's AccountWarning: what a moderator did to the account and why. */
export function toApiAccountWarning(w: AccountWarning, target: ApiAccount): ApiAccountWarning {
  return {
    id: w.id,
    action: w.action,
    text: w.text,
    status_ids: w.statusIds,
    target_account: target,
    // Appeals are not taken here.
    appeal: null,
    created_at: w.createdAt.toISOString(),
  };
}
