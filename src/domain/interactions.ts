// Interactions by any account on any status: favourites (Like), boosts (Announce) and blocks (emoji
// reactions: emoji-reactions.ts). Local users' actions record events the federation outbox sends; the
// same functions store what arrives from remote actors (with the activity's id), so both directions share one set of rules.
import { and, eq, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { largerOf } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { canSee } from "../db/queries/visibility.ts";
import { returned } from "../db/returned.ts";
import {
  type Account,
  blocks,
  type Favourite,
  favourites,
  follows,
  type Status,
  statuses,
} from "../db/schema/index.ts";
import { badRequest, notFound } from "../errors.ts";
import { refuseAcrossBlock } from "./block-policy.ts";
import { recordEvent } from "./events.ts";
import { removeFollow } from "./follows.ts";
import type { LocalUrls } from "./local-urls.ts";
import { addNotification, withdrawNotification } from "./notification-records.ts";

/**
 * Only a status `account` may see can be favourited or reacted to: one it may not see (followers-only
 * and not a follower, direct and not mentioned) is refused as if it did not exist, so nothing is
 * stored, counted or notified.
 */
export async function requireVisible(
  db: DatabaseLike,
  account: Account,
  status: Status,
): Promise<void> {
  if (!(await canSee(db, status, account.id))) throw notFound("Record not found");
}

async function bump(
  tx: DatabaseLike,
  statusId: string,
  column: "favourites" | "reblogs",
  delta: 1 | -1,
) {
  const col = column === "favourites" ? statuses.favouritesCount : statuses.reblogsCount;
  await tx
    .update(statuses)
    .set({ [`${column}Count`]: sql`${largerOf()}(0, ${col} + ${delta})` })
    .where(eq(statuses.id, statusId));
}

/**
 * `account` favourites `status`. `iri` is the Like's id when it came from elsewhere; a local favourite
 * gets one of ours. Idempotent: a second favourite returns the first. Refused (AcrossBlockError) when the
 * author and `account` are on two sides of a block.
 */
export async function favouriteStatus(
  db: Database,
  urls: LocalUrls,
  account: Account,
  status: Status,
  iri?: string,
): Promise<Favourite> {
  await requireVisible(db, account, status);
  await refuseAcrossBlock(db, account.id, status.accountId);
  const existing = (
    await db
      .select()
      .from(favourites)
      .where(and(eq(favourites.accountId, account.id), eq(favourites.statusId, status.id)))
      .limit(1)
  )[0];
  if (existing !== undefined) return existing;
  return await db.transaction(async (tx) => {
    const id = newId();
    const favourite = returned(
      await tx
        .insert(favourites)
        .values({ id, iri: iri ?? urls.favourite(id), accountId: account.id, statusId: status.id })
        .returning(),
    );
    await bump(tx, status.id, "favourites", 1);
    await addNotification(tx, {
      accountId: status.accountId,
      fromAccountId: account.id,
      type: "favourite",
      statusId: status.id,
    });
    await recordEvent(tx, { type: "favourite.created", favouriteId: favourite.id });
    return favourite;
  });
}

/** Removes `account`'s favourite of `status`, if any. */
export async function unfavouriteStatus(
  db: Database,
  account: Account,
  status: Status,
): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const favourite = (
      await tx
        .delete(favourites)
        .where(and(eq(favourites.accountId, account.id), eq(favourites.statusId, status.id)))
        .returning()
    )[0];
    if (favourite === undefined) return false;
    await bump(tx, status.id, "favourites", -1);
    await withdrawNotification(tx, {
      type: "favourite",
      fromAccountId: account.id,
      statusId: status.id,
    });
    await recordEvent(tx, {
      type: "favourite.undone",
      favouriteId: favourite.id,
      favouriteIri: favourite.iri,
      accountId: account.id,
      statusId: status.id,
    });
    return true;
  });
}

/** Removes a favourite by its Like id, if `account` made it (an incoming Undo(Like)). */
export async function unfavouriteByIri(
  db: Database,
  account: Account,
  iri: string,
): Promise<boolean> {
  const favourite = (await db.select().from(favourites).where(eq(favourites.iri, iri)).limit(1))[0];
  if (favourite === undefined || favourite.accountId !== account.id) return false;
  const status = (
    await db.select().from(statuses).where(eq(statuses.id, favourite.statusId)).limit(1)
  )[0];
  return status !== undefined && (await unfavouriteStatus(db, account, status));
}

/**
 * `account` boosts `status`: a status row with reblogOfId. `iri` is the Announce id for remote boosts; a
 * local boost's id is its own status URL. Idempotent per account and status. Refused (AcrossBlockError)
 * when the author and `account` are on two sides of a block.
 */
export async function boostStatus(
  db: Database,
  urls: LocalUrls,
  account: Account,
  status: Status,
  input: { iri?: string; published?: Date | null } = {},
): Promise<Status> {
  if (status.reblogOfId !== null) throw badRequest("A boost cannot be boosted");
  if (status.visibility === "private" || status.visibility === "direct") {
    throw badRequest("Only public and unlisted statuses can be boosted");
  }
  await refuseAcrossBlock(db, account.id, status.accountId);
  const existing = (
    await db
      .select()
      .from(statuses)
      .where(and(eq(statuses.accountId, account.id), eq(statuses.reblogOfId, status.id)))
      .limit(1)
  )[0];
  if (existing !== undefined) return existing;
  return await db.transaction(async (tx) => {
    const at = input.published ?? new Date();
    const id = newId(Math.min(at.getTime(), Date.now()));
    const boost = returned(
      await tx
        .insert(statuses)
        .values({
          id,
          iri: input.iri ?? urls.status(id),
          url: input.iri ?? urls.status(id),
          accountId: account.id,
          local: account.domain === null,
          reblogOfId: status.id,
          visibility: status.visibility,
          createdAt: at,
        })
        .returning(),
    );
    await bump(tx, status.id, "reblogs", 1);
    await addNotification(tx, {
      accountId: status.accountId,
      fromAccountId: account.id,
      type: "reblog",
      statusId: status.id,
    });
    await recordEvent(tx, { type: "reblog.created", statusId: boost.id });
    return boost;
  });
}

/** Removes `account`'s boost of `status` (an Undo(Announce) goes out for a local account). */
export async function unboostStatus(
  db: Database,
  account: Account,
  status: Status,
): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const boost = (
      await tx
        .delete(statuses)
        .where(and(eq(statuses.accountId, account.id), eq(statuses.reblogOfId, status.id)))
        .returning()
    )[0];
    if (boost === undefined) return false;
    await bump(tx, status.id, "reblogs", -1);
    await withdrawNotification(tx, {
      type: "reblog",
      fromAccountId: account.id,
      statusId: status.id,
    });
    await recordEvent(tx, {
      type: "status.deleted",
      statusId: boost.id,
      iri: boost.iri,
      accountId: account.id,
      visibility: boost.visibility,
      mentionedAccountIds: [],
      reblogOfId: status.id,
    });
    return true;
  });
}

/** Removes a boost by its Announce id, if `account` made it (an incoming Undo(Announce)). */
export async function unboostByIri(db: Database, account: Account, iri: string): Promise<boolean> {
  const boost = (await db.select().from(statuses).where(eq(statuses.iri, iri)).limit(1))[0];
  if (boost === undefined || boost.accountId !== account.id || boost.reblogOfId === null)
    return false;
  return await db.transaction(async (tx) => {
    await tx.delete(statuses).where(eq(statuses.id, boost.id));
    await bump(tx, boost.reblogOfId!, "reblogs", -1);
    await withdrawNotification(tx, {
      type: "reblog",
      fromAccountId: account.id,
      statusId: boost.reblogOfId!,
    });
    return true;
  });
}

/** `account` blocks `target`: follows in both directions end. Idempotent. */
export async function blockAccount(
  db: Database,
  urls: LocalUrls,
  account: Account,
  target: Account,
  iri?: string,
): Promise<boolean> {
  if (account.id === target.id) throw badRequest("You cannot block yourself");
  return await db.transaction(async (tx) => {
    const id = newId();
    const inserted = (
      await tx
        .insert(blocks)
        .values({
          id,
          iri: iri ?? urls.block(id),
          accountId: account.id,
          targetAccountId: target.id,
        })
        .onConflictDoNothing()
        .returning()
    )[0];
    if (inserted === undefined) return false;
    const between = await tx
      .select()
      .from(follows)
      .where(
        sql`(${follows.accountId} = ${account.id} and ${follows.targetAccountId} = ${target.id})
          or (${follows.accountId} = ${target.id} and ${follows.targetAccountId} = ${account.id})`,
      );
    for (const f of between) await removeFollow(tx, f);
    await recordEvent(tx, { type: "block.created", blockId: inserted.id });
    return true;
  });
}

/** `account` lifts its block of `target` (an Undo(Block) goes out for a remote target). */
export async function unblockAccount(
  db: Database,
  account: Account,
  target: Account,
): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const removed = (
      await tx
        .delete(blocks)
        .where(and(eq(blocks.accountId, account.id), eq(blocks.targetAccountId, target.id)))
        .returning()
    )[0];
    if (removed === undefined) return false;
    await recordEvent(tx, {
      type: "block.undone",
      blockId: removed.id,
      blockIri: removed.iri,
      accountId: account.id,
      targetAccountId: target.id,
    });
    return true;
  });
}

/** Removes a block by its activity id, if `account` made it (an incoming Undo(Block)). */
export async function unblockByIri(db: Database, account: Account, iri: string): Promise<boolean> {
  const removed = (
    await db
      .delete(blocks)
      .where(and(eq(blocks.iri, iri), eq(blocks.accountId, account.id)))
      .returning()
  )[0];
  return removed !== undefined;
}
