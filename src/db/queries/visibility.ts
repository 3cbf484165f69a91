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
// a status fetched directly (as Mastodon). A user's own domain blocks (account_domain_blocks) hide that
// domain's statuses, boosts of them, and notifications from it wherever mutes do, and in threads and
// search too; a status or profile opened directly stays reachable, as in Mastodon. The viewer is an
// account id, local or remote alike (follows and mentions are by account id), so one rule serves the
// client API and signed ActivityPub fetches.
// Search narrows it further, to what a viewer may search (inLibraryOf, publicAndIndexable), here too.
import { and, eq, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { DatabaseLike } from "../client.ts";
import { sqlTrue } from "../dialect.ts";
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

/**
 * The account a column names is not limited by moderators (Mastodon's "silence"), or the viewer is it or
 * follows it: what public timelines, search and suggestions leave out (domain/account-moderation.ts).
 */
export function authorNotLimitedFor(
  viewerId: Viewer,
  author: SQLiteColumn = statuses.accountId as SQLiteColumn,
): SQL {
  const limited = sql`exists (select 1 from accounts la where la.id = ${author} and la.limited_at is not null)`;
  if (viewerId === null) return sql`not ${limited}`;
  return sql`(not ${limited} or ${author} = ${viewerId} or exists (select 1 from follows lf
    where lf.account_id = ${viewerId} and lf.target_account_id = ${author} and lf.state = 'accepted'))`;
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

/**
 * The accounts on a domain `viewerId` blocked, as a subquery: it does not depend on the outer row, so
 * SQLite runs it once per statement and probes the result (empty for most viewers) for each status.
 */
function onDomainBlockedBy(viewerId: string | Placeholder): SQL {
  return sql`(select dba.id from accounts dba where dba.domain in
    (select adb.domain from account_domain_blocks adb where adb.account_id = ${viewerId}))`;
}

/**
 * Neither the status row's author nor, for a boost, the boosted status's author is on a domain the
 * viewer blocked (Mastodon's home feed drops both; its public feeds the first).
 */
export function notFromBlockedDomain(viewerId: Viewer): SQL {
  if (viewerId === null) return sql`1 = 1`;
  return sql`${statuses.accountId} not in ${onDomainBlockedBy(viewerId)}
    and (${statuses.reblogOfId} is null or not exists (select 1 from statuses dbo
      where dbo.id = ${statuses.reblogOfId} and dbo.account_id in ${onDomainBlockedBy(viewerId)}))`;
}

/**
 * Excludes statuses (and boosts) by accounts the viewer blocked or muted, or who blocked the viewer, and
 * those from a domain the viewer blocked (notFromBlockedDomain).
 */
export function notSilencedFor(viewerId: Viewer): SQL {
  if (viewerId === null) return sql`1 = 1`;
  return sql`${accountNotSilencedFor(viewerId, statuses.accountId)} and ${notFromBlockedDomain(viewerId)}`;
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
 * A boost is shown only when the boosted status is public or unlisted (Mastodon refuses other boosts), its
 * author is not suspended (nor on a blocked domain), and neither the viewer nor that author blocked the
 * other: boosting does not carry a blocked account's post past the block. In timelines and streams
 * (`mutes`), a boost of a muted account's post is hidden too, as Mastodon's feed filter does; a profile
 * shows it, as a single muted status stays visible.
 */
export function reblogTargetShareable(
  viewerId: Viewer = null,
  options: { mutes?: boolean } = {},
): SQL {
  const shareable = sql`o.visibility in ('public', 'unlisted')
    and not exists (select 1 from accounts oa
      where oa.id = o.account_id and oa.suspended_at is not null)`;
  const unblocked =
    viewerId === null
      ? sql``
      : sql` and not exists (select 1 from blocks ob where
          (ob.account_id = ${viewerId} and ob.target_account_id = o.account_id)
          or (ob.account_id = o.account_id and ob.target_account_id = ${viewerId}))`;
  const unmuted =
    viewerId === null || options.mutes !== true
      ? sql``
      : sql` and not exists (select 1 from mutes om
          where om.account_id = ${viewerId} and om.target_account_id = o.account_id)`;
  return sql`(${statuses.reblogOfId} is null or exists (select 1 from statuses o
    where o.id = ${statuses.reblogOfId} and ${shareable}${unblocked}${unmuted}))`;
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

/**
 * A public status (not a boost) carrying a hashtag the viewer follows: Mastodon puts those in home
 * whoever wrote them (its FanOutOnWriteService delivers only public statuses to tag followers). Per
 * status: the status's tags from the status_tags primary key, each probed in tag_follows' unique
 * (account_id, tag_name) index.
 */
export function carriesFollowedTag(viewerId: string | Placeholder): SQL {
  return sql`(${statuses.visibility} = 'public' and ${statuses.reblogOfId} is null
    and exists (select 1 from status_tags ht where ht.status_id = ${statuses.id}
      and exists (select 1 from tag_follows htf
        where htf.account_id = ${viewerId} and htf.tag_name = ht.tag_name)))`;
}

/**
 * Not a boost by an account the viewer follows with boosts hidden (Mastodon's `reblogs: false` on a
 * follow, which its feeds honour in home only): the viewer's own boosts always show.
 */
export function boostShownInHome(viewerId: string | Placeholder): SQL {
  return sql`(${statuses.reblogOfId} is null or ${statuses.accountId} = ${viewerId}
    or not exists (select 1 from follows fr where fr.account_id = ${viewerId}
      and fr.target_account_id = ${statuses.accountId} and fr.show_reblogs <> ${sqlTrue()}))`;
}

/**
 * The status row belongs to the viewer's home timeline: their own or a followed account's, or a public
 * one with a hashtag they follow. (What the viewer may see at all is visibleTo's and notSilencedFor's.)
 */
export function inHomeOf(viewerId: string | Placeholder): SQL {
  return sql`(${authoredOrFollowedBy(viewerId)} or ${carriesFollowedTag(viewerId)})`;
}

/** Public or unlisted: what search and boosts may show to anyone (Mastodon searches only these). */
export function listedVisibility(): SQL {
  return sql`${statuses.visibility} in ('public', 'unlisted')`;
}

/**
 * The viewer's library, as Mastodon's `searchable_by`: their own statuses and those they favourited,
 * boosted, bookmarked, replied to or were mentioned in.
 * What search may find of them is still decided by visibleTo (a favourite does not open a followers-only
 * post to someone who no longer follows).
 */
export function inLibraryOf(viewerId: string): SQL {
  return sql`(${statuses.accountId} = ${viewerId}
    or exists (select 1 from favourites f where f.account_id = ${viewerId} and f.status_id = ${statuses.id})
    or exists (select 1 from bookmarks b where b.account_id = ${viewerId} and b.status_id = ${statuses.id})
    or exists (select 1 from statuses rb where rb.account_id = ${viewerId} and rb.reblog_of_id = ${statuses.id})
    or exists (select 1 from statuses re where re.in_reply_to_id = ${statuses.id} and re.account_id = ${viewerId})
    or exists (select 1 from status_mentions sm where sm.status_id = ${statuses.id} and sm.account_id = ${viewerId}))`;
}

/**
 * Public (not unlisted) statuses of accounts that let themselves be indexed: what full-text search offers
 * beyond a viewer's own library, as Mastodon 4.2's public index (unlisted posts stay out of discovery).
 */
export function publicAndIndexable(viewerId: Viewer): SQL {
  return sql`(${statuses.visibility} = 'public' and exists (select 1 from accounts ia
    where ia.id = ${statuses.accountId} and ia.indexable = ${sqlTrue()})
    and ${authorNotLimitedFor(viewerId)})`;
}

/**
 * What `fromAccountId` (a column naming who caused it) sends `accountId` is shown: not from an account
 * they blocked, nor one they muted with notifications hidden, nor one on a domain they blocked, nor a
 * suspended account (or one on a domain the instance blocked). Notifications and the notification
 * requests a policy held back both use it.
 */
export function senderShownTo(accountId: string, fromAccountId: SQLiteColumn): SQL {
  return sql`not exists (select 1 from blocks b where b.account_id = ${accountId}
      and b.target_account_id = ${fromAccountId})
    and not exists (select 1 from mutes mu where mu.account_id = ${accountId}
      and mu.target_account_id = ${fromAccountId} and mu.hide_notifications = ${sqlTrue()})
    and not exists (select 1 from accounts na where na.id = ${fromAccountId}
      and (na.suspended_at is not null or na.domain in (select adb.domain
        from account_domain_blocks adb where adb.account_id = ${accountId})))`;
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

/**
 * A status shown in a thread around another (context ancestors and descendants): as on its own, and not
 * from a domain the viewer blocked (Mastodon's StatusFilter drops those from a context).
 */
export function visibleInThread(viewerId: Viewer): SQL {
  return sql`${visibleOnItsOwn(viewerId)} and ${notFromBlockedDomain(viewerId)}`;
}

async function statusMatches(
  db: DatabaseLike,
  statusId: string,
  conditions: SQL[],
): Promise<boolean> {
  return (
    (
      await db
        .select({ id: statuses.id })
        .from(statuses)
        .where(and(eq(statuses.id, statusId), ...conditions))
        .limit(1)
    )[0] !== undefined
  );
}

/**
 * Whether `viewerId` (null: anonymous) may see `status` fetched on its own: the visibility rule and no
 * block either way (a mute does not hide a status opened directly). Missing and hidden look the same.
 */
export async function canSee(
  db: DatabaseLike,
  status: Pick<Status, "id">,
  viewerId: string | null,
): Promise<boolean> {
  return await statusMatches(db, status.id, [visibleOnItsOwn(viewerId)]);
}

/**
 * Whether the status belongs in one of `viewerId`'s timelines or streams: what canSee allows, minus muted
 * authors, and a boost only of a public or unlisted status. `home` also asks that the status is in the
 * viewer's home (inHomeOf: the author is the viewer or someone they follow, or it is public with a
 * hashtag they follow).
 */
export async function canSeeInTimeline(
  db: DatabaseLike,
  statusId: string,
  viewerId: string | null,
  options: { home?: boolean; also?: readonly SQL[] } = {},
): Promise<boolean> {
  const conditions = [
    visibleTo(viewerId),
    notSilencedFor(viewerId),
    reblogTargetShareable(viewerId, { mutes: true }),
  ];
  if (options.home) {
    if (viewerId === null) return false;
    conditions.push(inHomeOf(viewerId), boostShownInHome(viewerId));
  }
  // What a particular timeline adds of its own (home: not a member of the viewer's exclusive lists).
  conditions.push(...(options.also ?? []));
  return await statusMatches(db, statusId, conditions);
}

/** Whether the account may be shown: it exists and is not suspended (nor on a blocked domain). */
export async function canSeeAccount(db: DatabaseLike, accountId: string): Promise<boolean> {
  const row = (
    await db
      .select({ suspendedAt: accounts.suspendedAt })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .limit(1)
  )[0];
  return row !== undefined && row.suspendedAt === null;
}
