// The notification policy and its requests → Mastodon entities (NotificationPolicy v2 and v1,
// NotificationRequest).
import type { NotificationRequest } from "../../db/schema/index.ts";
import type { PolicySettings } from "../../domain/notification-policy.ts";
import type { ApiAccount, ApiStatus } from "../types.ts";

export interface PolicySummary {
  requests: number;
  notifications: number;
}

const summaryOf = (s: PolicySummary) => ({
  pending_requests_count: s.requests,
  pending_notifications_count: s.notifications,
});

export function toApiNotificationPolicy(p: PolicySettings, summary: PolicySummary) {
  return {
    for_not_following: p.forNotFollowing,
    for_not_followers: p.forNotFollowers,
    for_new_accounts: p.forNewAccounts,
    for_private_mentions: p.forPrivateMentions,
    for_limited_accounts: p.forLimitedAccounts,
    summary: summaryOf(summary),
  };
}

/** The deprecated v1 shape (Mastodon 4.2): booleans, true for anything but "accept". */
export function toApiNotificationPolicyV1(p: PolicySettings, summary: PolicySummary) {
  return {
    filter_not_following: p.forNotFollowing !== "accept",
    filter_not_followers: p.forNotFollowers !== "accept",
    filter_new_accounts: p.forNewAccounts !== "accept",
    filter_private_mentions: p.forPrivateMentions !== "accept",
    summary: summaryOf(summary),
  };
}

export function toApiNotificationRequest(
  r: NotificationRequest,
  account: ApiAccount,
  lastStatus: ApiStatus | undefined,
) {
  return {
    id: r.id,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    account,
    // A string in Mastodon's entity.
    notifications_count: String(r.notificationsCount),
    ...(lastStatus ? { last_status: lastStatus } : {}),
  };
}
