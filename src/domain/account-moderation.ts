// What a moderator does to one account, as Mastodon's account actions: warn (none), mark sensitive,
// disable sign-in, limit ("silence") and suspend, on local and remote accounts, and their undoing. Each
// action is kept as a warning (Mastodon's AccountWarning, a "strike") and, for a local account, told to
// its owner with the moderator's note: a `moderation_warning` notification and an e-mail. Each is written
// to the audit log (moderation-log.ts), and an action taken on a report resolves it.
//
// What each state does lives where the reads are: a suspended author is hidden by the one visibility rule
// (db/queries/visibility.ts); a limited one is left out of public timelines, trends and search for those
// who do not follow it (the same module's authorNotLimitedFor); a sensitized one's new posts with media are
// marked sensitive where statuses are written (statuses.ts, remote-statuses.ts: forcedSensitive).
import { eq, inArray, or } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { type AdminAccountRow, findAdminAccount } from "../db/queries/admin-accounts.ts";
import {
  type Account,
  type AccountAction,
  type AccountWarning,
  accounts,
  accountWarnings,
  follows,
  reports,
} from "../db/schema/index.ts";
import { conflict, notFound, unprocessable } from "../errors.ts";
import type { Mailer } from "../mail/mailer.ts";
import { warningMessage } from "./account-mail.ts";
import { setSignInDisabled } from "./admin-accounts.ts";
import { recordEvent } from "./events.ts";
import { removeFollow } from "./follows.ts";
import { coveringDomainBlock } from "./moderation.ts";
import { accountLabel, type ModeratorRef, recordModeration } from "./moderation-log.ts";
import { addNotification } from "./notification-records.ts";
import { setReportResolved } from "./reports.ts";
import { suspendLocalAccount, unsuspendLocalAccount } from "./suspensions.ts";

export const WARNING_TEXT_MAX_LENGTH = 5000;

export interface AccountActionInput {
  /** The moderator; null for the command line (the user is then told by e-mail only). */
  moderatorId: string | null;
  targetId: string;
  action: AccountAction;
  /** The moderator's note to the user (may be empty). */
  text: string;
  /** The report this action answers: it is resolved, and its statuses are named in the warning. */
  reportId?: string | undefined;
  /** Whether the user is told (Mastodon's send_email_notification; default true). */
  notify?: boolean | undefined;
}

export interface ModerationMail {
  mailer: Mailer;
  instanceName: string;
  origin: string;
}

async function existing(db: DatabaseLike, id: string): Promise<AdminAccountRow> {
  const row = await findAdminAccount(db, id);
  if (row === undefined || row.account.deletedAt !== null) throw notFound();
  return row;
}

/** Carries out an action on an account (Mastodon's "perform an action"); see the module comment. */
export async function actOnAccount(
  db: Database,
  input: AccountActionInput,
  mail?: ModerationMail,
): Promise<AccountWarning> {
  if (input.text.length > WARNING_TEXT_MAX_LENGTH) {
    throw unprocessable(`The note is too long: at most ${WARNING_TEXT_MAX_LENGTH} characters`);
  }
  const { account, user } = await existing(db, input.targetId);
  if (account.id === input.moderatorId && input.action !== "none") {
    throw unprocessable("A moderator cannot act on their own account");
  }
  const report = input.reportId === undefined ? undefined : await reportOf(db, input.reportId);
  if (report !== undefined && report.targetAccountId !== account.id) {
    throw unprocessable("The report is about another account");
  }
  const now = new Date();
  const by = { moderatorId: input.moderatorId, text: input.text.trim() };
  // One transaction: the action, its warning, the log entry, the report's resolution and the notice all
  // happen, or none does (the sub-actions' own transactions become savepoints of this one).
  const warning = await db.transaction(async (tx) => {
    // Suspending and disabling a local account write their own log entry (the CLI and pages call them).
    let logged = false;
    switch (input.action) {
      case "suspend":
        if (account.suspendedAt !== null)
          throw conflict(`${accountLabel(account)} is already suspended`);
        if (user !== null) {
          await suspendLocalAccount(tx, account.username, by, now);
          logged = true;
        } else {
          await suspendRemoteAccount(tx, account, now);
        }
        break;
      case "disable":
        if (user === null) throw unprocessable("Only a local account's sign-in can be disabled");
        await setSignInDisabled(tx, account.id, true, by);
        logged = true;
        break;
      case "silence":
        await tx.update(accounts).set({ limitedAt: now }).where(eq(accounts.id, account.id));
        break;
      case "sensitive":
        await tx.update(accounts).set({ sensitizedAt: now }).where(eq(accounts.id, account.id));
        break;
      case "none":
        break;
    }
    const made = (
      await tx
        .insert(accountWarnings)
        .values({
          id: newId(now),
          targetAccountId: account.id,
          accountId: input.moderatorId,
          action: input.action,
          text: input.text.trim(),
          reportId: report?.id ?? null,
          statusIds: report?.statusIds ?? [],
          createdAt: now,
        })
        .returning()
    )[0]!;
    if (!logged) {
      await recordModeration(tx, {
        ...by,
        action: `account.${input.action === "none" ? "warn" : input.action}`,
        targetType: "account",
        targetId: account.id,
        targetLabel: accountLabel(account),
      });
    }
    if (report !== undefined && report.resolvedAt === null) {
      await setReportResolved(tx, report.id, true, by);
    }
    if (user !== null && input.notify !== false && input.moderatorId !== null) {
      await addNotification(tx, {
        accountId: account.id,
        fromAccountId: input.moderatorId,
        type: "moderation_warning",
        warningId: made.id,
      });
    }
    return made;
  });
  // The e-mail once the action is committed: never a message about an action that was undone.
  if (user !== null && input.notify !== false) {
    if (mail !== undefined && user.email !== null) {
      await mail.mailer.send(
        warningMessage({
          instanceName: mail.instanceName,
          to: user.email,
          locale: user.locale,
          username: account.username,
          action: input.action,
          text: warning.text,
          link: new URL("/notifications", mail.origin).href,
        }),
      );
    }
  }
  return warning;
}

async function reportOf(db: DatabaseLike, id: string) {
  const found = /^\d{1,20}$/.test(id)
    ? (await db.select().from(reports).where(eq(reports.id, id)).limit(1))[0]
    : undefined;
  if (found === undefined) throw unprocessable("There is no such report");
  return found;
}

/**
 * Suspends one remote account: hidden like a suspended local one (the visibility rule), its follows with
 * local accounts removed, nothing accepted from it (the inbox) and nothing delivered to it (the outbox).
 * Its follows of local accounts end with a Reject, as Mastodon's reject_remote_follows!: its own server
 * does not know of the suspension, and would otherwise keep feeding it the posts a follower of another
 * account there still brings in (one shared inbox) as if it still followed.
 */
async function suspendRemoteAccount(db: DatabaseLike, account: Account, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ suspendedAt: now }).where(eq(accounts.id, account.id));
    const affected = await tx
      .select()
      .from(follows)
      .where(or(eq(follows.accountId, account.id), eq(follows.targetAccountId, account.id)));
    for (const f of affected) {
      await removeFollow(tx, f);
      if (f.accountId !== account.id) continue;
      await recordEvent(tx, {
        type: "follow.rejected",
        followId: f.id,
        followIri: f.iri,
        accountId: f.accountId,
        targetAccountId: f.targetAccountId,
      });
    }
  });
}

export type UndoAction = "unsuspend" | "unsilence" | "unsensitive" | "enable";

/** Undoes an action (Mastodon's unsuspend, unsilence, unsensitive, enable); 409 when it is not in force. */
export async function undoAccountAction(
  db: Database,
  by: ModeratorRef,
  targetId: string,
  undo: UndoAction,
): Promise<void> {
  const { account, user } = await existing(db, targetId);
  const notInForce = (what: string) => conflict(`${accountLabel(account)} is not ${what}`);
  switch (undo) {
    case "unsuspend":
      if (account.suspendedAt === null) throw notInForce("suspended");
      if (user !== null) {
        await unsuspendLocalAccount(db, account.username, by);
        return;
      } else {
        const block = await coveringDomainBlock(db, account.domain!);
        if (block !== undefined) {
          throw conflict(`${accountLabel(account)} stays suspended: ${block.domain} is blocked`);
        }
        await db.update(accounts).set({ suspendedAt: null }).where(eq(accounts.id, account.id));
      }
      break;
    case "unsilence":
      if (account.limitedAt === null) throw notInForce("limited");
      await db.update(accounts).set({ limitedAt: null }).where(eq(accounts.id, account.id));
      break;
    case "unsensitive":
      if (account.sensitizedAt === null) throw notInForce("marked sensitive");
      await db.update(accounts).set({ sensitizedAt: null }).where(eq(accounts.id, account.id));
      break;
    case "enable":
      if (user === null) throw unprocessable("Only a local account's sign-in can be enabled");
      await setSignInDisabled(db, account.id, false, by);
      return;
  }
  await recordModeration(db, {
    ...by,
    action: `account.${undo}`,
    targetType: "account",
    targetId: account.id,
    targetLabel: accountLabel(account),
  });
}

/** The warnings an account received, newest first (its owner's "strikes"). */
export async function warningsOf(db: DatabaseLike, accountId: string): Promise<AccountWarning[]> {
  return await db
    .select()
    .from(accountWarnings)
    .where(eq(accountWarnings.targetAccountId, accountId))
    .orderBy(accountWarnings.id);
}

/** Warnings by id, for notifications that name them. */
export async function warningsByIds(
  db: DatabaseLike,
  ids: readonly string[],
): Promise<Map<string, AccountWarning>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(accountWarnings)
    .where(inArray(accountWarnings.id, [...ids]));
  return new Map(rows.map((w) => [w.id, w]));
}

/** Whether new posts by this account must be sensitive (a moderator marked it so). */
export async function forcedSensitive(db: DatabaseLike, accountId: string): Promise<boolean> {
  const row = (
    await db
      .select({ at: accounts.sensitizedAt })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .limit(1)
  )[0];
  return row?.at != null;
}
