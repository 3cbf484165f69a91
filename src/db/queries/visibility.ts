// Who may see a status, as SQL conditions on the statuses table: public and unlisted for everyone;
// followers-only for the author's accepted followers; direct (and any status) for the mentioned accounts
// and the author. Timelines also drop what the viewer blocked or muted, and authors who blocked the viewer.
import { type Placeholder, type SQL, sql } from "drizzle-orm";
import { statuses } from "../schema/index.ts";

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
  if (viewerId === null) return sql`1 = 1`;
  return sql`not exists (select 1 from blocks b where
      (b.account_id = ${viewerId} and b.target_account_id = ${statuses.accountId})
      or (b.account_id = ${statuses.accountId} and b.target_account_id = ${viewerId}))
    and not exists (select 1 from mutes mu
      where mu.account_id = ${viewerId} and mu.target_account_id = ${statuses.accountId})`;
}

/** A boost is shown only when the boosted status is public or unlisted (Mastodon refuses other boosts). */
export function reblogTargetShareable(): SQL {
  return sql`(${statuses.reblogOfId} is null or exists (select 1 from statuses o
    where o.id = ${statuses.reblogOfId} and o.visibility in ('public', 'unlisted')))`;
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
