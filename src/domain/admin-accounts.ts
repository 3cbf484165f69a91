// What a moderator does to a sign-up through Mastodon's admin API (approve, reject: the same functions as
// the CLI and the admin pages, registrations.ts), disabling sign-in, and who is an administrator. The
// account actions (warn, limit, mark sensitive, suspend) are account-moderation.ts's.
import { eq, inArray } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { type AdminAccountRow, findAdminAccount } from "../db/queries/admin-accounts.ts";
import { type User, users, webSessions } from "../db/schema/index.ts";
import { conflict, notFound, unprocessable } from "../errors.ts";
import { endWebSessions } from "./credentials.ts";
import { accountLabel, type ModeratorRef, recordModeration } from "./moderation-log.ts";
import { approveSignUp, type DecisionMail, rejectSignUp } from "./registrations.ts";

async function existing(db: DatabaseLike, id: string): Promise<AdminAccountRow> {
  const row = await findAdminAccount(db, id);
  if (row === undefined) throw notFound();
  return row;
}

async function localOnly(db: DatabaseLike, id: string): Promise<AdminAccountRow & { user: User }> {
  const row = await existing(db, id);
  if (row.user === null) throw unprocessable("This action applies to local accounts only");
  return { account: row.account, user: row.user };
}

/** Disables or enables a local user's sign-in; disabling ends their web sessions (tokens answer 401). */
export async function setSignInDisabled(
  db: DatabaseLike,
  id: string,
  disabled: boolean,
  by: ModeratorRef,
): Promise<void> {
  const row = await localOnly(db, id);
  await db.transaction(async (tx) => {
    await recordModeration(tx, {
      ...by,
      action: disabled ? "account.disable" : "account.enable",
      targetType: "account",
      targetId: row.account.id,
      targetLabel: accountLabel(row.account),
    });
    await tx
      .update(users)
      .set({ disabledAt: disabled ? new Date() : null })
      .where(eq(users.accountId, row.account.id));
    if (disabled) await endWebSessions(tx, row.account.id);
  });
}

/** Approves a waiting sign-up; 409 when it is not waiting. */
export async function approveAccount(db: Database, id: string, mail: DecisionMail): Promise<void> {
  const row = await localOnly(db, id);
  if (row.user.approvedAt !== null) throw conflict("This account is not waiting for approval");
  await approveSignUp(db, row.account.username, mail);
}

/** Rejects (deletes) a waiting sign-up; 409 when it is not waiting. */
export async function rejectAccount(db: Database, id: string, mail: DecisionMail): Promise<void> {
  const row = await localOnly(db, id);
  if (row.user.approvedAt !== null) throw conflict("This account is not waiting for approval");
  await rejectSignUp(db, row.account.username, mail);
}

/** The addresses local users signed in from, newest first per account (their live web sessions). */
export async function signInAddresses(
  db: DatabaseLike,
  accountIds: readonly string[],
): Promise<Map<string, { ip: string; usedAt: Date }[]>> {
  const out = new Map<string, { ip: string; usedAt: Date }[]>();
  if (accountIds.length === 0) return out;
  const rows = await db
    .select({ accountId: webSessions.accountId, ip: webSessions.ip, at: webSessions.lastSeenAt })
    .from(webSessions)
    .where(inArray(webSessions.accountId, [...accountIds]));
  for (const r of rows.sort((a, b) => b.at.getTime() - a.at.getTime())) {
    if (r.ip === "") continue;
    const list = out.get(r.accountId) ?? [];
    if (!list.some((e) => e.ip === r.ip)) list.push({ ip: r.ip, usedAt: r.at });
    out.set(r.accountId, list);
  }
  return out;
}

/** Whether a local account is an administrator (who may use the admin API and pages). */
export async function isAdministrator(db: DatabaseLike, accountId: string): Promise<boolean> {
  const row = (
    await db
      .select({ admin: users.admin })
      .from(users)
      .where(eq(users.accountId, accountId))
      .limit(1)
  )[0];
  return row?.admin === true;
}
