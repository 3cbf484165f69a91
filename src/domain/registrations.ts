// The registration mode: how new accounts are made. REGISTRATIONS sets the default; an administrator's
// choice on the admin page is stored (instance_settings) and wins, so every process and door reads
// the same answer from the store. The API's instance entities, NodeInfo, the sign-up page and
// POST /api/v1/accounts all ask registrationMode.
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { REGISTRATION_MODES, type RegistrationMode } from "../config.ts";
import type { DatabaseLike } from "../db/client.ts";
import { accounts, instanceSettings, users } from "../db/schema/index.ts";
import { badRequest, notFound } from "../errors.ts";
import { logger } from "../logging.ts";
import type { Mailer } from "../mail/mailer.ts";
import { decisionMessage } from "./account-mail.ts";

const log = logger("domain", "registrations");

const SETTING = "registrations";

/** The mode in force: the administrator's choice, else the configured default. */
export async function registrationMode(
  db: DatabaseLike,
  configured: RegistrationMode,
): Promise<RegistrationMode> {
  const row = (
    await db
      .select({ value: instanceSettings.value })
      .from(instanceSettings)
      .where(eq(instanceSettings.name, SETTING))
      .limit(1)
  )[0];
  const stored = row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  return REGISTRATION_MODES.includes(stored as RegistrationMode)
    ? (stored as RegistrationMode)
    : configured;
}

/** Stores an administrator's choice of mode. */
export async function setRegistrationMode(db: DatabaseLike, mode: string): Promise<void> {
  if (!REGISTRATION_MODES.includes(mode as RegistrationMode)) {
    throw badRequest(`The registration mode must be one of ${REGISTRATION_MODES.join(", ")}`);
  }
  const value = JSON.stringify(mode);
  const updatedAt = new Date();
  await db
    .insert(instanceSettings)
    .values({ name: SETTING, value, updatedAt })
    .onConflictDoUpdate({ target: instanceSettings.name, set: { value, updatedAt } });
}

/** Whether anyone may ask for an account without an invite (Mastodon's `registrations`). */
export const signUpOpen = (mode: RegistrationMode) => mode === "open" || mode === "approval";

/** Whether a sign-up may go ahead in `mode`, with or without a usable invite. */
export const signUpAllowed = (mode: RegistrationMode, invited: boolean) =>
  signUpOpen(mode) || (mode === "invite" && invited);

/** What the sign-up page, the about page and the API say of each mode. */
export const REGISTRATION_MESSAGES: Record<RegistrationMode, string> = {
  open: "Anyone may sign up.",
  approval: "Anyone may ask for an account; an administrator approves each one.",
  invite: "New accounts need an invite from this server.",
  closed: "This server is not taking new accounts.",
};

/** A sign-up waiting for an administrator's approval. */
export interface PendingAccount {
  accountId: string;
  username: string;
  email: string | null;
  reason: string;
  /** Whether the applicant confirmed the e-mail address yet. */
  confirmed: boolean;
  createdAt: Date;
}

/** Sign-ups waiting for approval, oldest first. */
export async function listPendingAccounts(db: DatabaseLike): Promise<PendingAccount[]> {
  const rows = await db
    .select({
      accountId: users.accountId,
      username: accounts.username,
      email: users.email,
      reason: users.signUpReason,
      confirmedAt: users.confirmedAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .where(isNull(users.approvedAt))
    .orderBy(asc(users.createdAt));
  return rows.map(({ confirmedAt, ...r }) => ({ ...r, confirmed: confirmedAt !== null }));
}

/** How a decision reaches the applicant: by e-mail, with the instance's name and sign-in link. */
export interface DecisionMail {
  mailer: Mailer;
  instanceName: string;
  origin: string;
}

async function pendingAccount(db: DatabaseLike, username: string) {
  const row = (
    await db
      .select({
        id: users.accountId,
        approvedAt: users.approvedAt,
        username: accounts.username,
        email: users.email,
        locale: users.locale,
      })
      .from(users)
      .innerJoin(accounts, eq(accounts.id, users.accountId))
      .where(
        and(sql`lower(${accounts.username}) = ${username.toLowerCase()}`, isNull(accounts.domain)),
      )
      .limit(1)
  )[0];
  if (row === undefined) throw notFound(`No local user named "${username}"`);
  if (row.approvedAt !== null) throw badRequest(`@${username} is not waiting for approval`);
  return row;
}

async function tell(
  mail: DecisionMail | undefined,
  row: { username: string; email: string | null; locale: string | null },
  approved: boolean,
) {
  if (mail === undefined || row.email === null) return;
  try {
    await mail.mailer.send(
      decisionMessage({
        instanceName: mail.instanceName,
        to: row.email,
        locale: row.locale,
        username: row.username,
        approved,
        link: `${mail.origin}/auth/sign_in`,
      }),
    );
  } catch (error) {
    // The decision stands; only the e-mail about it was lost.
    log.error("Could not e-mail {to} about the sign-up decision: {error}", {
      to: row.email,
      error,
    });
  }
}

/** Approves a waiting sign-up: once its e-mail address is confirmed too, the account may act. */
export async function approveSignUp(
  db: DatabaseLike,
  username: string,
  mail?: DecisionMail,
): Promise<void> {
  const row = await pendingAccount(db, username);
  await db.update(users).set({ approvedAt: new Date() }).where(eq(users.accountId, row.id));
  await tell(mail, row, true);
}

/**
 * Rejects a waiting sign-up: the account is deleted outright (it never posted nor federated, so no
 * tombstone is kept) and its name may be signed up for again, as Mastodon does.
 */
export async function rejectSignUp(
  db: DatabaseLike,
  username: string,
  mail?: DecisionMail,
): Promise<void> {
  const row = await pendingAccount(db, username);
  // users, keys and tokens go with it (their foreign keys cascade).
  await db.delete(accounts).where(eq(accounts.id, row.id));
  await tell(mail, row, false);
}
