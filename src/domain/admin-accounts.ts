// What a moderator does to an account through Mastodon's admin API: approve or reject a sign-up, disable
// and enable sign-in, suspend and unsuspend. Each is the same domain function the CLI and the admin pages
// call (registrations.ts, suspensions.ts); this module maps Mastodon's action names onto them and refuses,
// with a clear 422, the actions this server does not carry out yet (warnings, silencing, marking
// sensitive, suspending a remote account), rather than answering 200 for nothing.
import { eq, inArray } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { type AdminAccountRow, findAdminAccount } from "../db/queries/admin-accounts.ts";
import { type User, users, webSessions } from "../db/schema/index.ts";
import { conflict, notFound, unprocessable } from "../errors.ts";
import { endWebSessions } from "./credentials.ts";
import { approveSignUp, type DecisionMail, rejectSignUp } from "./registrations.ts";
import { suspendLocalAccount, unsuspendLocalAccount } from "./suspensions.ts";

/** Mastodon's POST /api/v1/admin/accounts/:id/action types. */
export const ACCOUNT_ACTIONS = ["none", "sensitive", "disable", "silence", "suspend"] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

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

/** Carries out an action on an account (Mastodon's "perform an action"); see the module comment. */
export async function actOnAccount(
  db: Database,
  id: string,
  action: AccountAction,
  text: string,
): Promise<void> {
  const row = await existing(db, id);
  switch (action) {
    case "suspend":
      if (row.user === null) {
        throw unprocessable("Suspending a remote account is not supported yet; block its domain");
      }
      await suspendLocalAccount(db, row.account.username);
      return;
    case "disable":
      await setSignInDisabled(db, id, true);
      return;
    case "none":
      // A bare warning: Mastodon e-mails it to the user; warnings are not kept here yet.
      throw unprocessable(
        text === ""
          ? "An action of type none is a warning, which this server does not send yet"
          : "Warnings are not sent by this server yet",
      );
    case "sensitive":
    case "silence":
      throw unprocessable(`The ${action} action is not supported by this server yet`);
  }
}

/** Disables or enables a local user's sign-in; disabling ends their web sessions (tokens answer 401). */
export async function setSignInDisabled(
  db: Database,
  id: string,
  disabled: boolean,
): Promise<void> {
  const row = await localOnly(db, id);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ disabledAt: disabled ? new Date() : null })
      .where(eq(users.accountId, row.account.id));
    if (disabled) await endWebSessions(tx, row.account.id);
  });
}

/** Lifts a local account's suspension (409 when it is not suspended). */
export async function unsuspendAccount(db: Database, id: string): Promise<void> {
  const row = await localOnly(db, id);
  await unsuspendLocalAccount(db, row.account.username);
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
