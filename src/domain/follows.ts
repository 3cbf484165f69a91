// Follows in both directions: local users following anyone, remote actors following local users (accepted
// at once, or held as a follow request when the account approves followers by hand), and the answers.
// Each change records an event; the federation outbox turns the ones that concern a remote actor into
// activities (Follow, Accept, Reject, Undo).
import { and, eq, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { largerOf } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { returned } from "../db/returned.ts";
import { type Account, accounts, type Follow, follows } from "../db/schema/index.ts";
import { badRequest, notFound } from "../errors.ts";
import {
  AcrossBlockError,
  hasBlocked,
  isOnDomainBlockedBy,
  refuseAcrossBlock,
} from "./block-policy.ts";
import { recordEvent } from "./events.ts";
import type { LocalUrls } from "./local-urls.ts";
import { addNotification } from "./notification-records.ts";

export async function findFollow(db: DatabaseLike, accountId: string, targetId: string) {
  return (
    await db
      .select()
      .from(follows)
      .where(and(eq(follows.accountId, accountId), eq(follows.targetAccountId, targetId)))
      .limit(1)
  )[0];
}

export async function findFollowByIri(db: DatabaseLike, iri: string): Promise<Follow | undefined> {
  return (await db.select().from(follows).where(eq(follows.iri, iri)).limit(1))[0];
}

export async function findFollowById(db: DatabaseLike, id: string): Promise<Follow | undefined> {
  return (await db.select().from(follows).where(eq(follows.id, id)).limit(1))[0];
}

async function countAccepted(tx: DatabaseLike, follow: Follow, delta: 1 | -1): Promise<void> {
  await tx
    .update(accounts)
    .set({ followingCount: sql`${largerOf()}(0, ${accounts.followingCount} + ${delta})` })
    .where(eq(accounts.id, follow.accountId));
  await tx
    .update(accounts)
    .set({ followersCount: sql`${largerOf()}(0, ${accounts.followersCount} + ${delta})` })
    .where(eq(accounts.id, follow.targetAccountId));
}

async function accept(tx: DatabaseLike, follow: Follow): Promise<Follow> {
  if (follow.state === "accepted") return follow;
  const updated = returned(
    await tx
      .update(follows)
      .set({ state: "accepted" })
      .where(eq(follows.id, follow.id))
      .returning(),
  );
  await countAccepted(tx, updated, 1);
  return updated;
}

/**
 * A local user follows `target`. A remote target gets a Follow and the follow stays pending until its
 * Accept arrives; a local one follows the same rules as a remote follower would. Refused (AcrossBlockError)
 * when either account blocks the other, or the target is on a domain the follower blocked.
 */
export async function followAccount(
  db: Database,
  urls: LocalUrls,
  follower: Account,
  target: Account,
): Promise<Follow> {
  if (follower.domain !== null) throw badRequest("Only local accounts can follow from here");
  if (follower.id === target.id) throw badRequest("You cannot follow yourself");
  await refuseAcrossBlock(db, follower.id, target.id);
  // Following into a domain one blocked is refused as Mastodon's FollowService refuses it (403).
  if (await isOnDomainBlockedBy(db, follower.id, target)) throw new AcrossBlockError();
  const existing = await findFollow(db, follower.id, target.id);
  if (existing !== undefined) return existing;
  const id = newId();
  const follow = await db.transaction(async (tx) => {
    let row = returned(
      await tx
        .insert(follows)
        // Boosts shown, as Mastodon's follow defaults to `reblogs: true` (the column's own default is false).
        .values({
          id,
          iri: urls.follow(id),
          accountId: follower.id,
          targetAccountId: target.id,
          showReblogs: true,
        })
        .returning(),
    );
    if (target.domain === null) {
      if (target.locked) {
        await addNotification(tx, {
          accountId: target.id,
          fromAccountId: follower.id,
          type: "follow_request",
        });
      } else {
        row = await accept(tx, row);
        await addNotification(tx, {
          accountId: target.id,
          fromAccountId: follower.id,
          type: "follow",
        });
      }
    }
    await recordEvent(tx, { type: "follow.requested", followId: row.id });
    return row;
  });
  return follow;
}

/** What a follower chose for a follow: boosts in their home timeline, a notification per post. */
export async function setFollowOptions(
  db: Database,
  follow: Follow,
  options: { showReblogs?: boolean; notify?: boolean },
): Promise<Follow> {
  const set = {
    ...(options.showReblogs !== undefined ? { showReblogs: options.showReblogs } : {}),
    ...(options.notify !== undefined ? { notify: options.notify } : {}),
  };
  if (Object.keys(set).length === 0) return follow;
  return returned(await db.update(follows).set(set).where(eq(follows.id, follow.id)).returning());
}

/**
 * A remote actor asks to follow a local account (an incoming Follow). Idempotent: the same Follow again
 * answers again (the sender may have missed our Accept) without counting twice. From a domain the target
 * blocked, nothing is stored and a Reject goes back (null), as Mastodon rejects it.
 */
export async function receiveFollow(
  db: Database,
  input: { iri: string; follower: Account; target: Account },
): Promise<Follow | null> {
  const { follower, target } = input;
  // Refused, as Mastodon does, from an account or a domain the target blocked: the follower's server
  // hears a Reject, so it does not show a follow that is not there.
  if (
    (await isOnDomainBlockedBy(db, target.id, follower)) ||
    (await hasBlocked(db, target.id, follower.id))
  ) {
    await db.transaction(
      async (tx) =>
        await recordEvent(tx, {
          type: "follow.rejected",
          // No row was stored: the id only names the Reject activity.
          followId: newId(),
          followIri: input.iri,
          accountId: follower.id,
          targetAccountId: target.id,
        }),
    );
    return null;
  }
  return await db.transaction(async (tx) => {
    let follow = await findFollow(tx, follower.id, target.id);
    if (follow === undefined) {
      follow = returned(
        await tx
          .insert(follows)
          .values({
            id: newId(),
            iri: input.iri,
            accountId: follower.id,
            targetAccountId: target.id,
          })
          .returning(),
      );
      await addNotification(tx, {
        accountId: target.id,
        fromAccountId: follower.id,
        type: target.locked ? "follow_request" : "follow",
      });
    } else if (follow.iri !== input.iri) {
      follow = returned(
        await tx
          .update(follows)
          .set({ iri: input.iri })
          .where(eq(follows.id, follow.id))
          .returning(),
      );
    }
    if (!target.locked || follow.state === "accepted") {
      follow = await accept(tx, follow);
      await recordEvent(tx, { type: "follow.accepted", followId: follow.id });
    }
    return follow;
  });
}

/** The local target approves a pending follow request. */
export async function acceptFollowRequest(
  db: Database,
  target: Account,
  follower: Account,
): Promise<Follow> {
  return await db.transaction(async (tx) => {
    const follow = await findFollow(tx, follower.id, target.id);
    if (follow === undefined) throw notFound("No such follow request");
    const accepted = await accept(tx, follow);
    await recordEvent(tx, { type: "follow.accepted", followId: accepted.id });
    return accepted;
  });
}

/** The local target turns down (or removes) a follower. */
export async function rejectFollowRequest(
  db: Database,
  target: Account,
  follower: Account,
): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const follow = await findFollow(tx, follower.id, target.id);
    if (follow === undefined) return false;
    await removeFollow(tx, follow);
    await recordEvent(tx, {
      type: "follow.rejected",
      followId: follow.id,
      followIri: follow.iri,
      accountId: follow.accountId,
      targetAccountId: follow.targetAccountId,
    });
    return true;
  });
}

/** A remote actor accepted a Follow sent by a local user. */
export async function markFollowAccepted(db: Database, follow: Follow): Promise<Follow> {
  return await db.transaction(async (tx) => await accept(tx, follow));
}

/** A remote actor rejected (or later removed) a local user's follow. */
export async function markFollowRejected(db: Database, follow: Follow): Promise<void> {
  await db.transaction(async (tx) => await removeFollow(tx, follow));
}

/** A local user stops following `target` (an Undo(Follow) goes out for a remote target). */
export async function unfollowAccount(
  db: Database,
  follower: Account,
  target: Account,
): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const follow = await findFollow(tx, follower.id, target.id);
    if (follow === undefined) return false;
    await removeFollow(tx, follow);
    await recordEvent(tx, {
      type: "follow.undone",
      followId: follow.id,
      followIri: follow.iri,
      accountId: follow.accountId,
      targetAccountId: follow.targetAccountId,
    });
    return true;
  });
}

/** Deletes a follow row and keeps the counters right (used by Undo, Reject, blocks, 410 Gone). */
export async function removeFollow(tx: DatabaseLike, follow: Follow): Promise<void> {
  const deleted = (await tx.delete(follows).where(eq(follows.id, follow.id)).returning())[0];
  if (deleted?.state === "accepted") await countAccepted(tx, deleted, -1);
}

/** Removes every follow between remote accounts whose inbox is `inboxUrl` and local accounts. */
export async function removeFollowersByInbox(db: Database, inboxUrl: string): Promise<number> {
  return await db.transaction(async (tx) => {
    const gone = await tx
      .select({ follow: follows })
      .from(follows)
      .innerJoin(accounts, eq(accounts.id, follows.accountId))
      .where(sql`${accounts.inboxUrl} = ${inboxUrl} or ${accounts.sharedInboxUrl} = ${inboxUrl}`);
    for (const { follow } of gone) await removeFollow(tx, follow);
    return gone.length;
  });
}
