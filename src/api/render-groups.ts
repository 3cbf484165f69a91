// Grouped notifications → Mastodon's GroupedNotificationsResults: the groups, and the accounts and
// statuses they refer to, each once, loaded in batch.
import { findAccountsByIds } from "../db/queries/accounts.ts";
import type { NotificationGroupRow } from "../db/queries/notification-groups.ts";
import { visibleStatusesByIds } from "../db/queries/statuses.ts";
import { reactionEmojiText } from "../domain/emoji-reactions.ts";
import { renderAccounts, renderStatuses, renderWarnings } from "./render.ts";
import { apiNotificationType } from "./serializers/notification.ts";
import type { ApiAccount, ApiAccountWarning, ApiDeps, ApiStatus } from "./types.ts";

export interface ApiNotificationGroup {
  group_key: string;
  notifications_count: number;
  type: string;
  most_recent_notification_id: string;
  page_min_id?: string;
  page_max_id?: string;
  latest_page_notification_at?: string;
  sample_account_ids: string[];
  status_id?: string;
  emoji?: string;
  moderation_warning?: ApiAccountWarning;
}

/** Mastodon's PartialAccountWithAvatar: enough to draw an avatar in a group's row. */
export type ApiPartialAccount = Pick<
  ApiAccount,
  "id" | "acct" | "url" | "avatar" | "avatar_static" | "locked" | "bot"
>;

export interface ApiGroupedNotifications {
  accounts: ApiAccount[];
  partial_accounts?: ApiPartialAccount[];
  statuses: ApiStatus[];
  notification_groups: ApiNotificationGroup[];
}

/**
 * Renders groups for `viewer`. A group about a status the viewer may no longer see is left out, as the
 * flat list leaves its notification out. `partialAvatars` (expand_accounts=partial_avatars) sends only
 * each group's newest sender in full, the other samples as partial accounts.
 */
export async function renderNotificationGroups(
  deps: ApiDeps,
  groups: readonly NotificationGroupRow[],
  viewer: string,
  options: { pagination: boolean; partialAvatars?: boolean } = { pagination: true },
): Promise<ApiGroupedNotifications> {
  const statusIds = [
    ...new Set(groups.flatMap((g) => (g.latest.statusId ? [g.latest.statusId] : []))),
  ];
  const statusRows = await visibleStatusesByIds(deps.db, viewer, statusIds);
  const renderedStatuses = await renderStatuses(deps, statusRows, viewer, "notifications");
  const shownStatuses = new Set(renderedStatuses.map((s) => s.id));
  const shown = groups.filter(
    (g) => g.latest.statusId === null || shownStatuses.has(g.latest.statusId),
  );

  const accountRows = await findAccountsByIds(deps.db, [
    ...new Set(shown.flatMap((g) => g.sampleAccountIds)),
  ]);
  const accounts = new Map((await renderAccounts(deps, accountRows)).map((a) => [a.id, a]));
  const full = new Set(
    options.partialAvatars
      ? shown.flatMap((g) => g.sampleAccountIds.slice(0, 1))
      : [...accounts.keys()],
  );
  const warnings = await renderWarnings(
    deps,
    shown.flatMap((g) => (g.latest.warningId === null ? [] : [g.latest.warningId])),
  );
  const result: ApiGroupedNotifications = {
    accounts: [...accounts.values()].filter((a) => full.has(a.id)),
    statuses: renderedStatuses,
    notification_groups: shown
      .filter((g) => g.sampleAccountIds.some((id) => accounts.has(id)))
      .map((g) => ({
        group_key: g.groupKey,
        notifications_count: g.count,
        type: apiNotificationType(g.latest.type),
        most_recent_notification_id: g.latest.id,
        ...(options.pagination
          ? {
              page_min_id: g.pageMinId,
              page_max_id: g.pageMaxId,
              latest_page_notification_at: g.latestPageNotificationAt.toISOString(),
            }
          : {}),
        sample_account_ids: g.sampleAccountIds.filter((id) => accounts.has(id)),
        ...(g.latest.statusId !== null ? { status_id: g.latest.statusId } : {}),
        ...(g.latest.type === "emoji_reaction" && g.latest.emoji !== null
          ? { emoji: reactionEmojiText(g.latest.emoji) }
          : {}),
        ...(g.latest.warningId !== null && warnings.has(g.latest.warningId)
          ? { moderation_warning: warnings.get(g.latest.warningId)! }
          : {}),
      })),
  };
  if (options.partialAvatars) {
    result.partial_accounts = [...accounts.values()]
      .filter((a) => !full.has(a.id))
      .map(({ id, acct, url, avatar, avatar_static, locked, bot }) => ({
        id,
        acct,
        url,
        avatar,
        avatar_static,
        locked,
        bot,
      }));
  }
  return result;
}
