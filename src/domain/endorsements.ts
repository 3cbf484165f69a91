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
export function endorseAccount(db: Database, account: Account, target: Account): void {
  db.transaction((tx) => {
    if (account.id === target.id) throw badRequest("You cannot feature yourself");
    if (findFollow(tx, account.id, target.id)?.state !== "accepted") {
      throw badRequest("You must be already following the person you want to feature");
    }
    const existing = tx
      .select({ id: endorsements.id })
      .from(endorsements)
      .where(
        and(eq(endorsements.accountId, account.id), eq(endorsements.targetAccountId, target.id)),
      )
      .get();
    if (existing !== undefined) return;
    const count =
      tx
        .select({ n: sql<number>`count(*)` })
        .from(endorsements)
        .where(eq(endorsements.accountId, account.id))
        .get()?.n ?? 0;
    if (count >= MAX_ENDORSEMENTS) {
      throw badRequest(`You can feature at most ${MAX_ENDORSEMENTS} accounts`);
    }
    tx.insert(endorsements)
      .values({ id: newId(), accountId: account.id, targetAccountId: target.id })
      .run();
  });
}

/** `account` stops featuring `target`, if they did. */
export function unendorseAccount(db: Database, account: Account, target: Account): boolean {
  const removed = db
    .delete(endorsements)
    .where(and(eq(endorsements.accountId, account.id), eq(endorsements.targetAccountId, target.id)))
    .returning()
    .get();
  return removed !== undefined;
}
