// Writes notifications for local accounts when something happens to them (a follow, a like, a mention).
// Remote accounts are never notified here: their own servers do that. Each notification first passes the
// recipient's notification policy (notification-policy.ts), then gets its Mastodon group key.
import { and, desc, eq, isNull, like, sql } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import {
  accounts,
  type NotificationType,
  notificationRequests,
  notifications,
  statusMentions,
} from "../db/schema/index.ts";
import { isOnDomainBlockedBy } from "./block-policy.ts";
import { judgeNotification } from "./notification-policy.ts";

export interface NotificationInput {
  accountId: string;
  fromAccountId: string;
  type: NotificationType;
  statusId?: string | null;
  reportId?: string | null;
  emoji?: string | null;
  /** For `moderation_warning`. */
  warningId?: string | null;
}

/**
 * The types Mastodon 4.3 groups, and emoji reactions, grouped as it groups favourites (one group per
 * status and emoji: a group shows one emoji); every other notification stands alone ("ungrouped-<id>").
 */
export const GROUPABLE_TYPES: readonly NotificationType[] = [
  "favourite",
  "reblog",
  "follow",
  "emoji_reaction",
];

/**
 * Takes back the notification an undone favourite, boost or reaction gave (Mastodon deletes it with its
 * activity), so lists and group counts no longer show it. One held back by the recipient's policy stays:
 * its notification request counted it.
 */
export async function withdrawNotification(
  db: DatabaseLike,
  input: {
    type: "favourite" | "reblog" | "emoji_reaction";
    fromAccountId: string;
    statusId: string;
    emoji?: string;
  },
): Promise<void> {
  await db
    .delete(notifications)
    .where(
      and(
        eq(notifications.type, input.type),
        eq(notifications.fromAccountId, input.fromAccountId),
        eq(notifications.statusId, input.statusId),
        eq(notifications.filtered, false),
        input.emoji === undefined ? undefined : eq(notifications.emoji, input.emoji),
      ),
    );
}

/** A group spans at most this many hours from its first notification (Mastodon's value). */
const MAXIMUM_GROUP_SPAN_HOURS = 12;

/**
 * Adds a notification if the recipient is local, not the actor itself (but for a poll's end), not on a
 * domain the recipient blocked, and its policy does not drop it. Returns its id, or null when none was
 * written. A notification the policy filters is written held
 * back (`filtered`), counted in the sender's notification request; the caller's streaming event then
 * finds nothing to show, as the list does.
 */
export async function addNotification(
  db: DatabaseLike,
  input: NotificationInput,
): Promise<string | null> {
  // Nobody is told of their own doings, except a poll's end: Mastodon tells the author "from" themself.
  if (input.accountId === input.fromAccountId && input.type !== "poll") return null;
  const local = (
    await db
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(eq(accounts.id, input.accountId), isNull(accounts.domain)))
      .limit(1)
  )[0];
  if (local === undefined) return null;
  // Nothing from a domain the recipient blocked (Mastodon's NotifyService drops it).
  const sender = (
    await db
      .select({ domain: accounts.domain })
      .from(accounts)
      .where(eq(accounts.id, input.fromAccountId))
      .limit(1)
  )[0];
  if (sender !== undefined && (await isOnDomainBlockedBy(db, input.accountId, sender))) return null;
  const verdict = await judgeNotification(db, input);
  if (verdict === "drop") return null;
  const now = new Date();
  const id = newId(now);
  const filtered = verdict === "filter";
  await db.insert(notifications).values({
    id,
    accountId: input.accountId,
    fromAccountId: input.fromAccountId,
    type: input.type,
    statusId: input.statusId ?? null,
    reportId: input.reportId ?? null,
    emoji: input.emoji ?? null,
    warningId: input.warningId ?? null,
    groupKey: filtered ? null : await groupKeyFor(db, input, now),
    filtered,
    createdAt: now,
  });
  if (filtered) await holdInRequest(db, input, now);
  return id;
}

/**
 * Notifies each local account a status mentions or replies to with a `mention`, through addNotification
 * (so the policy, blocks and mutes apply as to any notification). The one path for statuses written here,
 * received from elsewhere, scheduled or edited: an account already notified of this status is not
 * notified again, so an edit only reaches the accounts it newly mentions.
 */
export async function notifyMentioned(
  db: DatabaseLike,
  status: { id: string; accountId: string },
  recipientIds: Iterable<string>,
): Promise<void> {
  for (const accountId of new Set(recipientIds)) {
    const already = (
      await db
        .select({ id: notifications.id })
        .from(notifications)
        .where(
          and(
            eq(notifications.accountId, accountId),
            eq(notifications.statusId, status.id),
            eq(notifications.type, "mention"),
          ),
        )
        .limit(1)
    )[0];
    if (already !== undefined) continue;
    await addNotification(db, {
      accountId,
      fromAccountId: status.accountId,
      type: "mention",
      statusId: status.id,
    });
  }
}

/** The accounts a status mentions (as stored: a mention across the author's block is not). */
export async function mentionedAccountIds(db: DatabaseLike, statusId: string): Promise<string[]> {
  return (
    await db
      .select({ accountId: statusMentions.accountId })
      .from(statusMentions)
      .where(eq(statusMentions.statusId, statusId))
  ).map((m) => m.accountId);
}

/**
 * Mastodon's rule: "<type>-<status id>" for favourites and boosts (reactions add their emoji), "follow"
 * for follows, then an hour bucket; the bucket of the group's previous notification is reused while it
 * is under 12 hours old, so a steady trickle of likes stays one group instead of splitting on every hour.
 */
async function groupKeyFor(
  db: DatabaseLike,
  input: NotificationInput,
  at: Date,
): Promise<string | null> {
  if (!GROUPABLE_TYPES.includes(input.type)) return null;
  if (input.type !== "follow" && !input.statusId) return null;
  if (input.type === "emoji_reaction" && !input.emoji) return null;
  const prefix =
    input.type === "follow"
      ? "follow"
      : input.type === "emoji_reaction"
        ? // The emoji in hex: the key goes in a URL path and is matched with LIKE, where a custom
          // emoji's "_" would be a wildcard.
          `${input.type}-${input.statusId}-${Buffer.from(input.emoji!).toString("hex")}`
        : `${input.type}-${input.statusId}`;
  let bucket = Math.floor(at.getTime() / 3_600_000);
  const previous = (
    await db
      .select({ groupKey: notifications.groupKey })
      .from(notifications)
      .where(
        and(
          eq(notifications.accountId, input.accountId),
          like(notifications.groupKey, `${prefix}-%`),
        ),
      )
      .orderBy(desc(notifications.id))
      .limit(1)
  )[0];
  const last = Number(previous?.groupKey?.slice(prefix.length + 1));
  if (Number.isInteger(last) && bucket >= last && bucket < last + MAXIMUM_GROUP_SPAN_HOURS) {
    bucket = last;
  }
  return `${prefix}-${bucket}`;
}

async function holdInRequest(db: DatabaseLike, input: NotificationInput, at: Date): Promise<void> {
  await db
    .insert(notificationRequests)
    .values({
      id: newId(at),
      accountId: input.accountId,
      fromAccountId: input.fromAccountId,
      lastStatusId: input.statusId ?? null,
      notificationsCount: 1,
      updatedAt: at,
    })
    .onConflictDoUpdate({
      target: [notificationRequests.accountId, notificationRequests.fromAccountId],
      set: {
        notificationsCount: sql`${notificationRequests.notificationsCount} + 1`,
        lastStatusId: sql`coalesce(${input.statusId ?? null}, ${notificationRequests.lastStatusId})`,
        updatedAt: at,
      },
    });
}
