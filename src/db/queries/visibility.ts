// The one visibility rule: which statuses and accounts a viewer may see, for every door (API, pages,
// streaming, federation dispatchers, the inbox, the domain's reply, remix and favourite checks). It is
// SQL conditions on the statuses table, which lists compose into their queries, and predicates for one
// loaded row (canSee, canSeeInTimeline, canSeeAccount) built on the same conditions, so a single status
// and a list can never disagree. It lives in db/ because queries compose it and db/ imports nothing above.
//
// The rule: public and unlisted for everyone; followers-only for the author's accepted followers;
// direct (and any status) for the mentioned accounts and the author; never a suspended author's
// (an instance domain block suspends the domain's accounts, domain/moderation.ts, so this covers it).
// Blocks hide in both directions, everywhere. Mutes apply to timelines, streams and notifications, not to
// a status fetched directly (as Mastodon). The viewer is an account id, local or remote alike (follows and
// mentions are by account id), so one rule serves the client API and signed ActivityPub fetches.
import { and, eq, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { DatabaseLike } from "../client.ts";
import { accounts, notifications, type Status, statuses } from "../schema/index.ts";

/** The viewer: an account id, a placeholder for one (prepared statements), or null for anonymous. */
export type Viewer = string | Placeholder | null;

/**
 * The author of the status row is not suspended: a suspended account's posts are hidden from everyone
 * while it lasts (domain/suspensions.ts) and come back when it is lifted.
 */
export function authorNotSuspended(): SQL {
  return sql`not exists (select 1 from accounts sa
    where sa.id = ${statuses.accountId} and sa.suspended_at is not null)`;
}

/** The status row (`statuses`) is visible to `viewerId` (null: anonymous); never a suspended author's. */
export function visibleTo(viewerId: Viewer): SQL {
  if (viewerId === null) {
    return sql`${statuses.visibility} in ('public', 'unlisted') and ${authorNotSuspended()}`;
  }
  return sql`${authorNotSuspended()} and (${statuses.visibility} in ('public', 'unlisted')
    or ${statuses.accountId} = ${viewerId}
    or (${statuses.visibility} = 'private' and exists (select 1 from follows f
        where f.account_id = ${viewerId} and f.target_account_id = ${statuses.accountId}
        and f.state = 'accepted'))
    or exists (select 1 from status_mentions m
        where m.status_id = ${statuses.id} and m.account_id = ${viewerId}))`;
}

/** Excludes statuses (and boosts) by accounts the viewer blocked or muted, or who blocked the viewer. */
export function notSilencedFor(viewerId: Viewer): SQL {
  return accountNotSilencedFor(viewerId, statuses.accountId);
}

/**
 * The account a column names is neither blocked by nor blocking the viewer, nor muted by them: what a
 * timeline leaves out, and who is never suggested to follow.
 */
export function accountNotSilencedFor(viewerId: Viewer, accountId: SQLiteColumn): SQL {
  if (viewerId === null) return sql`1 = 1`;
  return sql`not exists (select 1 from blocks b where
      (b.account_id = ${viewerId} and b.target_account_id = ${accountId})
      or (b.account_id = ${accountId} and b.target_account_id = ${viewerId}))
    and not exists (select 1 from mutes mu
      where mu.account_id = ${viewerId} and mu.target_account_id = ${accountId})`;
}

/**
 * A boost is shown only when the boosted status is public or unlisted (Mastodon refuses other boosts) and
 * its author is not suspended (nor on a blocked domain).
 */
export function reblogTargetShareable(): SQL {
  return sql`(${statuses.reblogOfId} is null or exists (select 1 from statuses o
    where o.id = ${statuses.reblogOfId} and o.visibility in ('public', 'unlisted')
    and not exists (select 1 from accounts oa
      where oa.id = o.account_id and oa.suspended_at is not null)))`;
}

/** Statuses that carry at least one media attachment. */
export function hasMedia(): SQL {
  return sql`exists (select 1 from media_attachments ma where ma.status_id = ${statuses.id})`;
}

/** Not a reply, or a reply to the author's own status (a thread), as Mastodon's without_replies. */
export function notReplyToOthers(): SQL {
  return sql`(${statuses.inReplyToId} is null and ${statuses.inReplyToIri} is null
    or ${statuses.inReplyToAccountId} = ${statuses.accountId})`;
}

/** Neither side blocked the other (a single status stays visible when muted, not when blocked). */
export function notBlockedWith(viewerId: Viewer): SQL {
  if (viewerId === null) return sql`1 = 1`;
  return sql`not exists (select 1 from blocks b where
      (b.account_id = ${viewerId} and b.target_account_id = ${statuses.accountId})
      or (b.account_id = ${statuses.accountId} and b.target_account_id = ${viewerId}))`;
}

/** The account that wrote the status row is the viewer or one they follow (accepted): a home timeline. */
export function authoredOrFollowedBy(viewerId: string | Placeholder): SQL {
  return sql`(${statuses.accountId} = ${viewerId} or exists (select 1 from follows f
    where f.account_id = ${viewerId} and f.target_account_id = ${statuses.accountId}
    and f.state = 'accepted'))`;
}

/** Public or unlisted: what search and boosts may show to anyone (Mastodon searches only these). */
export function listedVisibility(): SQL {
  return sql`${statuses.visibility} in ('public', 'unlisted')`;
}

/**
 * What `fromAccountId` (a column naming who caused it) sends `accountId` is shown: not from an account
 * they blocked, nor one they muted with notifications hidden, nor a suspended account (or one on a
 * blocked domain). Notifications and the notification requests a policy held back both use it.
 */
export function senderShownTo(accountId: string, fromAccountId: SQLiteColumn): SQL {
  return sql`not exists (select 1 from blocks b where b.account_id = ${accountId}
      and b.target_account_id = ${fromAccountId})
    and not exists (select 1 from mutes mu where mu.account_id = ${accountId}
      and mu.target_account_id = ${fromAccountId} and mu.hide_notifications = 1)
    and not exists (select 1 from accounts na where na.id = ${fromAccountId}
      and na.suspended_at is not null)`;
}

/** A notification row (`notifications`) of `accountId` is shown (senderShownTo). */
export function notificationShownTo(accountId: string): SQL {
  return senderShownTo(accountId, notifications.fromAccountId);
}

/** The author of the status row does not block the viewer (what a report may name, as Mastodon). */
export function authorNotBlocking(viewerId: Viewer): SQL {
  if (viewerId === null) return sql`1 = 1`;
  return sql`not exists (select 1 from blocks b
    where b.account_id = ${statuses.accountId} and b.target_account_id = ${viewerId})`;
}

/** A status opened on its own (GET /api/v1/statuses/:id, a page, a fetch): visible, no block either way. */
export function visibleOnItsOwn(viewerId: Viewer): SQL {
  return sql`${visibleTo(viewerId)} and ${notBlockedWith(viewerId)}`;
}

function statusMatches(db: DatabaseLike, statusId: string, conditions: SQL[]): boolean {
  return (
    db
      .select({ id: statuses.id })
      .from(statuses)
      .where(and(eq(statuses.id, statusId), ...conditions))
      .get() !== undefined
  );
}

/**
 * Whether `viewerId` (null: anonymous) may see `status` fetched on its own: the visibility rule and no
 * block either way (a mute does not hide a status opened directly). Missing and hidden look the same.
 */
export function canSee(
  db: DatabaseLike,
  status: Pick<Status, "id">,
  viewerId: string | null,
): boolean {
  return statusMatches(db, status.id, [visibleOnItsOwn(viewerId)]);
}

/**
 * Whether the status belongs in one of `viewerId`'s timelines or streams: what canSee allows, minus muted
 * authors, and a boost only of a public or unlisted status. `home` also asks that the author is the viewer
 * or someone they follow.
 */
export function canSeeInTimeline(
  db: DatabaseLike,
  statusId: string,
  viewerId: string | null,
  options: { home?: boolean; also?: readonly SQL[] } = {},
): boolean {
  const conditions = [visibleTo(viewerId), notSilencedFor(viewerId), reblogTargetShareable()];
  if (options.home) {
    if (viewerId === null) return false;
    conditions.push(authoredOrFollowedBy(viewerId));
  }
  // What a particular timeline adds of its own (home: not a member of the viewer's exclusive lists).
  conditions.push(...(options.also ?? []));
  return statusMatches(db, statusId, conditions);
}

/** Whether the account may be shown: it exists and is not suspended (nor on a blocked domain). */
export function canSeeAccount(db: DatabaseLike, accountId: string): boolean {
  const row = db
    .select({ suspendedAt: accounts.suspendedAt })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  return row !== undefined && row.suspendedAt === null;
}
