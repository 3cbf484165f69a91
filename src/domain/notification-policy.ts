// A local account's notification policy (Mastodon 4.3): for each kind of sender it does not know, accept
// the notification, hold it back as a notification request ("filter"), or drop it. Every notification,
// local or from the inbox, passes here (notification-records.ts), so both are judged alike.
import { and, eq } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import {
  accounts,
  follows,
  type NotificationPolicy,
  type NotificationPolicyAction,
  type NotificationType,
  notificationPermissions,
  notificationPolicies,
  statuses,
  users,
} from "../db/schema/index.ts";

export type PolicyField =
  | "forNotFollowing"
  | "forNotFollowers"
  | "forNewAccounts"
  | "forPrivateMentions"
  | "forLimitedAccounts";

export type PolicySettings = Pick<NotificationPolicy, PolicyField>;

const ACCEPT_ALL: PolicySettings = {
  forNotFollowing: "accept",
  forNotFollowers: "accept",
  forNewAccounts: "accept",
  forPrivateMentions: "accept",
  forLimitedAccounts: "accept",
};

// Mastodon never holds these back: they are about the recipient's own things or come from moderators.
const UNFILTERED_TYPES: ReadonlySet<NotificationType> = new Set([
  "moderation_warning",
  "admin.sign_up",
  "admin.report",
  "poll",
  "update",
  "quoted_update",
]);

/** As Mastodon: an account younger than this is "new", and a follower counts after this long. */
const NEW_ACCOUNT_MS = 30 * 24 * 3600 * 1000;
const FOLLOWER_SINCE_MS = 3 * 24 * 3600 * 1000;

export async function getNotificationPolicy(
  db: DatabaseLike,
  accountId: string,
): Promise<PolicySettings> {
  const row = (
    await db
      .select()
      .from(notificationPolicies)
      .where(eq(notificationPolicies.accountId, accountId))
      .limit(1)
  )[0];
  return row ?? ACCEPT_ALL;
}

export async function updateNotificationPolicy(
  db: DatabaseLike,
  accountId: string,
  changes: Partial<PolicySettings>,
): Promise<PolicySettings> {
  const next = { ...(await getNotificationPolicy(db, accountId)), ...changes };
  await db
    .insert(notificationPolicies)
    .values({ accountId, ...next, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: notificationPolicies.accountId,
      set: { ...next, updatedAt: new Date() },
    });
  return next;
}

export interface PolicyInput {
  accountId: string;
  fromAccountId: string;
  type: NotificationType;
  statusId?: string | null | undefined;
}

const RANK: Record<NotificationPolicyAction, number> = { accept: 0, filter: 1, drop: 2 };

/** What the recipient's policy does with this notification: the strictest rule the sender matches. */
export async function judgeNotification(
  db: DatabaseLike,
  input: PolicyInput,
): Promise<NotificationPolicyAction> {
  if (UNFILTERED_TYPES.has(input.type)) return "accept";
  const policy = await getNotificationPolicy(db, input.accountId);
  if (Object.values(policy).every((a) => a === "accept")) return "accept";
  const permitted = (
    await db
      .select({ a: notificationPermissions.accountId })
      .from(notificationPermissions)
      .where(
        and(
          eq(notificationPermissions.accountId, input.accountId),
          eq(notificationPermissions.fromAccountId, input.fromAccountId),
        ),
      )
      .limit(1)
  )[0];
  if (permitted !== undefined) return "accept";
  const sender = (
    await db.select().from(accounts).where(eq(accounts.id, input.fromAccountId)).limit(1)
  )[0];
  if (sender === undefined) return "accept";
  // Moderators of this instance are never filtered (as Mastodon exempts staff).
  if (sender.domain === null) {
    const staff = (
      await db
        .select({ admin: users.admin })
        .from(users)
        .where(eq(users.accountId, sender.id))
        .limit(1)
    )[0];
    if (staff?.admin) return "accept";
  }
  const follow = async (from: string, to: string) =>
    (
      await db
        .select({ createdAt: follows.createdAt })
        .from(follows)
        .where(
          and(
            eq(follows.accountId, from),
            eq(follows.targetAccountId, to),
            eq(follows.state, "accepted"),
          ),
        )
        .limit(1)
    )[0];
  const now = Date.now();
  const following = (await follow(input.accountId, sender.id)) !== undefined;
  const followedBy = await follow(sender.id, input.accountId);
  const matched: NotificationPolicyAction[] = [];
  if (!following) matched.push(policy.forNotFollowing);
  if (followedBy === undefined || now - followedBy.createdAt.getTime() < FOLLOWER_SINCE_MS) {
    matched.push(policy.forNotFollowers);
  }
  if (now - sender.createdAt.getTime() < NEW_ACCOUNT_MS) matched.push(policy.forNewAccounts);
  if (!following && input.type === "mention" && (await isUnsolicitedPrivateMention(db, input))) {
    matched.push(policy.forPrivateMentions);
  }
  // A limited account (moderators' "silence") reaches only those who follow it.
  if (!following && sender.limitedAt !== null) matched.push(policy.forLimitedAccounts);
  return matched.reduce<NotificationPolicyAction>(
    (worst, a) => (RANK[a] > RANK[worst] ? a : worst),
    "accept",
  );
}

/** A direct mention that is not a reply to one of the recipient's own statuses. */
async function isUnsolicitedPrivateMention(db: DatabaseLike, input: PolicyInput): Promise<boolean> {
  if (!input.statusId) return false;
  const status = (
    await db
      .select({ visibility: statuses.visibility, inReplyTo: statuses.inReplyToAccountId })
      .from(statuses)
      .where(eq(statuses.id, input.statusId))
      .limit(1)
  )[0];
  return status?.visibility === "direct" && status.inReplyTo !== input.accountId;
}
