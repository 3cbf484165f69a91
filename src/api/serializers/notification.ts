// Notification rows → Mastodon Notification, reusing the accounts and statuses of a status bundle.
import type { AccountMedia } from "../../db/queries/accounts.ts";
import type { StatusBundle } from "../../db/queries/statuses.ts";
import type { Account, AccountWarning, Notification } from "../../db/schema/index.ts";
import { reactionEmojiText, reactionImageUrl } from "../../domain/emoji-reactions.ts";
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
    type: apiNotificationType(n.type),
    group_key: `ungrouped-${n.id}`,
    created_at: n.createdAt.toISOString(),
    account: toApiAccount(account, fromMedia, ctx),
    ...(status !== undefined ? { status } : {}),
    ...(n.type === "emoji_reaction" && n.emoji !== null
      ? { emoji: reactionEmojiText(n.emoji), emoji_url: reactionEmojiUrl(n, bundle, ctx) }
      : {}),
    ...(n.warningId !== null && warnings.has(n.warningId)
      ? { moderation_warning: warnings.get(n.warningId)! }
      : {}),
  };
}

/**
 * A notification type as the API names it: an emoji reaction is Pleroma's `pleroma:emoji_reaction`,
 * the name Akkoma-fe, Pleroma-fe and Phanpy know (Mastodon's clients skip types they do not know).
 */
export function apiNotificationType(type: Notification["type"]): string {
  return type === "emoji_reaction" ? REACTION_TYPE : type;
}

export const REACTION_TYPE = "pleroma:emoji_reaction";

/**
 * The stored types a client's `types` / `exclude_types` names mean: Pleroma's name for reactions and
 * our earlier one both name the reactions.
 */
export function storedNotificationTypes(types: readonly string[]): string[] {
  return types.map((t) => (t === REACTION_TYPE ? "emoji_reaction" : t));
}

/**
 * The `types` and `excludeTypes` of a notifications request (`include_types` is Pleroma's `types`).
 * Emoji reactions are not a Mastodon notification type: only clients that ask for them get them.
 */
export function notificationTypeFilters(
  types: string[] | undefined,
  excludeTypes: string[] | undefined,
): { types: string[] | undefined; excludeTypes: string[] } {
  const wanted = types === undefined ? undefined : storedNotificationTypes(types);
  return {
    types: wanted,
    excludeTypes: [
      ...storedNotificationTypes(excludeTypes ?? []),
      ...(wanted?.includes("emoji_reaction") ? [] : ["emoji_reaction"]),
    ],
  };
}

/** A custom emoji reaction's image, from the reactions the bundle loaded for the status. */
function reactionEmojiUrl(
  n: Notification,
  bundle: StatusBundle,
  ctx: SerializeContext,
): string | null {
  if (n.statusId === null || n.emoji === null) return null;
  const reaction = bundle.reactions.get(n.statusId)?.find((r) => r.name === n.emoji);
  return reaction === undefined ? null : reactionImageUrl(reaction, ctx.urls);
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
