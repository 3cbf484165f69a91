// Endorsements (Mastodon's "feature on profile", account pins): a local user features accounts they
// follow. The follow is required when endorsing; when it ends the endorsement goes with it (a trigger on
// follows, migrations/0010_social.sql, so no way of ending a follow can forget it).
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { type Account, endorsements } from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";
import { findFollow } from "./follows.ts";

/** How many accounts one profile may feature (Mastodon sets no limit; a page must stay bounded). */
export const MAX_ENDORSEMENTS = 40;

/** `account` features `target` on their profile; repeating it is harmless. */
export async function endorseAccount(
  db: Database,
  account: Account,
  target: Account,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (account.id === target.id) throw badRequest("You cannot feature yourself");
    if ((await findFollow(tx, account.id, target.id))?.state !== "accepted") {
      throw badRequest("You must be already following the person you want to feature");
    }
    const existing = (
      await tx
        .select({ id: endorsements.id })
        .from(endorsements)
        .where(
          and(eq(endorsements.accountId, account.id), eq(endorsements.targetAccountId, target.id)),
        )
        .limit(1)
    )[0];
    if (existing !== undefined) return;
    const count =
      (
        await tx
          .select({ n: sql<number>`count(*)`.mapWith(Number) })
          .from(endorsements)
          .where(eq(endorsements.accountId, account.id))
          .limit(1)
      )[0]?.n ?? 0;
    if (count >= MAX_ENDORSEMENTS) {
      throw badRequest(`You can feature at most ${MAX_ENDORSEMENTS} accounts`);
    }
    await tx
      .insert(endorsements)
      .values({ id: newId(), accountId: account.id, targetAccountId: target.id });
  });
}

/** `account` stops featuring `target`, if they did. */
export async function unendorseAccount(
  db: Database,
  account: Account,
  target: Account,
): Promise<boolean> {
  const removed = (
    await db
      .delete(endorsements)
      .where(
        and(eq(endorsements.accountId, account.id), eq(endorsements.targetAccountId, target.id)),
      )
      .returning()
  )[0];
  return removed !== undefined;
}
