// Pinned statuses: a local account features up to five of its own posts at the top of its profile (as
// Mastodon's StatusPinValidator: not someone else's, not a boost, not a direct post). Pinning and
// unpinning record events the outbox turns into Add/Remove on the actor's featured collection. Remote
// accounts' pins are what their featured collection (or their Add/Remove) says, within a bound.
import { and, count, eq, notInArray } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { canSee } from "../db/queries/visibility.ts";
import { returned } from "../db/returned.ts";
import { type Account, type Status, type StatusPin, statusPins } from "../db/schema/index.ts";
import { notFound, unprocessable } from "../errors.ts";
import { recordEvent } from "./events.ts";

/** How many statuses a local account may pin (Mastodon's limit). */
export const MAX_PINS = 5;
/** How many pins of a remote account are kept: what its featured collection may fill. */
export const MAX_REMOTE_PINS = 20;

async function pinOf(
  db: DatabaseLike,
  accountId: string,
  statusId: string,
): Promise<StatusPin | undefined> {
  return (
    await db
      .select()
      .from(statusPins)
      .where(and(eq(statusPins.accountId, accountId), eq(statusPins.statusId, statusId)))
      .limit(1)
  )[0];
}

async function pinCount(db: DatabaseLike, accountId: string): Promise<number> {
  return (
    (
      await db
        .select({ n: count() })
        .from(statusPins)
        .where(eq(statusPins.accountId, accountId))
        .limit(1)
    )[0]?.n ?? 0
  );
}

/** Why `status` cannot be featured by its author `account`, or null when it can. */
function pinRefusal(account: Account, status: Status): string | null {
  if (status.accountId !== account.id) return "Someone else's post cannot be pinned";
  if (status.reblogOfId !== null) return "A boost cannot be pinned";
  if (status.visibility === "direct") {
    return "Posts that are only visible to mentioned users cannot be pinned";
  }
  return null;
}

/**
 * Local `account` pins `status`. Idempotent (pinning a pinned status returns its pin). A status the
 * account may not see is unknown (404); someone else's, a boost, a direct post or a sixth pin is
 * refused with Mastodon's 422 message.
 */
export async function pinStatus(
  db: Database,
  account: Account,
  status: Status,
): Promise<StatusPin> {
  if (account.domain !== null) throw new Error("pinStatus is for local accounts");
  if (!(await canSee(db, status, account.id))) throw notFound();
  const refusal = pinRefusal(account, status);
  if (refusal !== null) throw unprocessable(`Validation failed: ${refusal}`);
  return await db.transaction(async (tx) => {
    const existing = await pinOf(tx, account.id, status.id);
    if (existing !== undefined) return existing;
    if ((await pinCount(tx, account.id)) >= MAX_PINS) {
      throw unprocessable("Validation failed: You have already pinned the maximum number of posts");
    }
    const pin = returned(
      await tx
        .insert(statusPins)
        .values({ id: newId(), accountId: account.id, statusId: status.id })
        .returning(),
    );
    await recordEvent(tx, { type: "status.pinned", pinId: pin.id });
    return pin;
  });
}

/** Local `account` unpins `status`; false when it was not pinned (nothing recorded then). */
export async function unpinStatus(
  db: Database,
  account: Account,
  status: Status,
): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const pin = (
      await tx
        .delete(statusPins)
        .where(and(eq(statusPins.accountId, account.id), eq(statusPins.statusId, status.id)))
        .returning()
    )[0];
    if (pin === undefined) return false;
    if (account.domain === null) {
      await recordEvent(tx, {
        type: "status.unpinned",
        pinId: pin.id,
        accountId: account.id,
        statusId: status.id,
      });
    }
    return true;
  });
}

/**
 * A remote actor's Add of one of its statuses to its featured collection. Only its own, non-boost,
 * non-direct statuses; beyond MAX_REMOTE_PINS the oldest pin makes room. False when refused.
 */
export async function addRemotePin(
  db: Database,
  account: Account,
  status: Status,
): Promise<boolean> {
  if (account.domain === null || pinRefusal(account, status) !== null) return false;
  return await db.transaction(async (tx) => {
    if ((await pinOf(tx, account.id, status.id)) !== undefined) return true;
    await tx.insert(statusPins).values({ id: newId(), accountId: account.id, statusId: status.id });
    await trimRemotePins(tx, account.id);
    return true;
  });
}

async function trimRemotePins(tx: DatabaseLike, accountId: string): Promise<void> {
  const keep = (
    await tx
      .select({ id: statusPins.id })
      .from(statusPins)
      .where(eq(statusPins.accountId, accountId))
      .orderBy(statusPins.id)
  )
    .map((r) => r.id)
    .slice(-MAX_REMOTE_PINS);
  await tx
    .delete(statusPins)
    .where(and(eq(statusPins.accountId, accountId), notInArray(statusPins.id, keep)));
}

/**
 * Replaces a remote account's pins with what its featured collection lists (newest pin first, as
 * Mastodon orders it), keeping only its own pinnable statuses, at most MAX_REMOTE_PINS.
 */
export async function replaceRemotePins(
  db: Database,
  account: Account,
  pinned: Status[],
): Promise<void> {
  if (account.domain === null) return;
  const kept = pinned
    .filter((s) => pinRefusal(account, s) === null)
    .filter((s, i, all) => all.findIndex((o) => o.id === s.id) === i)
    .slice(0, MAX_REMOTE_PINS);
  await db.transaction(async (tx) => {
    await tx.delete(statusPins).where(eq(statusPins.accountId, account.id));
    // Inserted oldest first, so the first listed gets the newest (greatest) pin id.
    for (const status of [...kept].reverse()) {
      await tx
        .insert(statusPins)
        .values({ id: newId(), accountId: account.id, statusId: status.id });
    }
  });
}
