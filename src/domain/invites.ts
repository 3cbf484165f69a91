// Invite links: administrators make them (`invite create`); a sign-up that carries a usable one is let
// in while registrations are invite-only and needs no approval, as Mastodon's invites do. A use is
// claimed atomically (one UPDATE bounded by the limit and the expiry), so two sign-ups racing for
// the last use cannot both have it.
import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { returned } from "../db/returned.ts";
import { type Invite, invites } from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";

export type { Invite };

const DAY_MS = 24 * 60 * 60 * 1000;
export const INVITE_MAX_DAYS = 365;
export const INVITE_MAX_USES = 1000;

/** The link that opens the sign-up form with the invite. */
export const inviteLink = (origin: string, code: string) => `${origin}/invite/${code}`;

/** Makes an invite: at most `maxUses` sign-ups (null: any number), valid `days` days (null: forever). */
export async function createInvite(
  db: DatabaseLike,
  input: { maxUses: number | null; days: number | null },
  now = new Date(),
): Promise<Invite> {
  const { maxUses, days } = input;
  if (
    maxUses !== null &&
    (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > INVITE_MAX_USES)
  ) {
    throw badRequest(`The number of uses must be a whole number from 1 to ${INVITE_MAX_USES}`);
  }
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > INVITE_MAX_DAYS)) {
    throw badRequest(`The number of days must be a whole number from 1 to ${INVITE_MAX_DAYS}`);
  }
  return returned(
    await db
      .insert(invites)
      .values({
        id: newId(),
        // 12 random bytes: short enough to type, far too many to guess.
        code: randomBytes(12).toString("base64url"),
        maxUses,
        expiresAt: days === null ? null : new Date(now.getTime() + days * DAY_MS),
      })
      .returning(),
  );
}

/** Every invite, newest first. */
export async function listInvites(db: DatabaseLike): Promise<Invite[]> {
  return await db.select().from(invites).orderBy(desc(invites.id));
}

/** Whether an invite can still be used at `now`. */
export const inviteUsable = (invite: Invite, now = new Date()) =>
  (invite.maxUses === null || invite.uses < invite.maxUses) &&
  (invite.expiresAt === null || invite.expiresAt.getTime() > now.getTime());

/** The invite `code` names if it can still be used, else undefined. */
export async function findUsableInvite(
  db: DatabaseLike,
  code: string,
  now = new Date(),
): Promise<Invite | undefined> {
  if (code === "" || code.length > 64) return undefined;
  const invite = (await db.select().from(invites).where(eq(invites.code, code)).limit(1))[0];
  return invite !== undefined && inviteUsable(invite, now) ? invite : undefined;
}

/** Takes one use of the invite if one is left; false when it is used up, expired or unknown. */
export async function claimInviteUse(db: DatabaseLike, code: string, now = new Date()) {
  const claimed = await db
    .update(invites)
    .set({ uses: sql`${invites.uses} + 1` })
    .where(
      and(
        eq(invites.code, code),
        or(isNull(invites.maxUses), lt(invites.uses, invites.maxUses)),
        or(isNull(invites.expiresAt), gt(invites.expiresAt, now)),
      ),
    )
    .returning({ id: invites.id });
  return claimed.length > 0;
}

/** Gives back a use claimed for a sign-up that then failed. */
export async function releaseInviteUse(db: DatabaseLike, code: string): Promise<void> {
  await db
    .update(invites)
    .set({ uses: sql`${invites.uses} - 1` })
    .where(and(eq(invites.code, code), gt(invites.uses, 0)));
}
