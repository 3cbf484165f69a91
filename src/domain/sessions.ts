// Signing in to the web pages: checking credentials and keeping browser sessions. The cookie holds a random
// token; the database holds only its SHA-256, so a database leak gives no usable session.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { changedRows } from "../db/dialect.ts";
import {
  type Account,
  accounts,
  loginWeeks,
  type User,
  users,
  webSessions,
} from "../db/schema/index.ts";
import { findLocalAccount } from "./accounts.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

/** How long a session lives without use. */
export const SESSION_IDLE_MS = 30 * 24 * 60 * 60 * 1000;
// Touching lastSeenAt on every request would write on every page view; once a minute is enough.
const TOUCH_EVERY_MS = 60 * 1000;

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

// Checked against when the username is unknown, so a wrong name costs as much time as a wrong password
// and response times do not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;

export interface SignedInUser {
  account: Account;
  user: User;
}

/**
 * Checks a username and password for signing in. Unknown names and wrong passwords are one answer
 * ("wrong"), on purpose; only someone who knows the password learns that the account is suspended or
 * disabled, and is told so rather than left guessing.
 */
export async function checkSignIn(
  db: Database,
  username: string,
  password: string,
): Promise<
  | { kind: "ok"; signedIn: SignedInUser }
  | { kind: "wrong" }
  | { kind: "suspended" | "disabled" | "unconfirmed" | "pending" }
> {
  const account = username.length <= 64 ? await findLocalAccount(db, username) : undefined;
  const user =
    account === undefined || account.deletedAt !== null
      ? undefined
      : (await db.select().from(users).where(eq(users.accountId, account.id)).limit(1))[0];
  if (account === undefined || user === undefined) {
    dummyHash ??= hashPassword("not a real password");
    await verifyPassword(password, await dummyHash);
    return { kind: "wrong" };
  }
  if (!(await verifyPassword(password, user.passwordHash))) return { kind: "wrong" };
  if (account.suspendedAt !== null) return { kind: "suspended" };
  if (user.disabledAt !== null) return { kind: "disabled" };
  // A new account signs in once its address is confirmed and its sign-up approved (domain/sign-up.ts).
  if (user.confirmedAt === null) return { kind: "unconfirmed" };
  if (user.approvedAt === null) return { kind: "pending" };
  return { kind: "ok", signedIn: { account, user } };
}

/**
 * The owner of a suspended account, by its password: until the account is deleted (suspension-cleanup.ts)
 * its owner may still download the archive, as Mastodon lets a suspended user export their data. Null
 * for anything else (a wrong password, an account not suspended, or deleted).
 */
export async function suspendedOwner(
  db: Database,
  username: string,
  password: string,
): Promise<SignedInUser | null> {
  if ((await checkSignIn(db, username, password)).kind !== "suspended") return null;
  const account = await findLocalAccount(db, username);
  if (account === undefined) return null;
  const user = (await db.select().from(users).where(eq(users.accountId, account.id)).limit(1))[0];
  return user === undefined ? null : { account, user };
}

/** What a refused sign-in tells someone who gave the right password, as Mastodon words it. */
export const SIGN_IN_REFUSED = {
  suspended: "Your account has been suspended by the administrator of this server.",
  disabled: "Your login is currently disabled.",
  unconfirmed:
    "Your e-mail address is not confirmed yet: follow the link in the e-mail this server sent you.",
  pending: "Your sign-up is waiting for an administrator's approval.",
} as const;

/**
 * Checks a username and password. Returns the user, or null for an unknown name, a wrong password, a
 * disabled user or a suspended account (for confirming an action, where the reason does not matter).
 */
export async function checkCredentials(
  db: Database,
  username: string,
  password: string,
): Promise<SignedInUser | null> {
  const result = await checkSignIn(db, username, password);
  return result.kind === "ok" ? result.signedIn : null;
}

export interface NewSession {
  /** The secret for the cookie; never stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Starts a session for a signed-in user and records the sign-in time. */
export async function createSession(
  db: Database,
  accountId: string,
  meta: { userAgent?: string; ip?: string } = {},
  now = new Date(),
): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await db.transaction(async (tx) => {
    await tx.insert(webSessions).values({
      tokenHash: sha256(token),
      accountId,
      csrfToken,
      userAgent: (meta.userAgent ?? "").slice(0, 300),
      ip: (meta.ip ?? "").slice(0, 64),
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    await recordSignIn(tx, accountId, now);
  });
  return { token, csrfToken, expiresAt };
}

/** Monday 00:00 UTC of the week `at` falls in (Mastodon's activity weeks start on Monday). */
export function weekStart(at: Date): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day;
}

/**
 * A successful sign-in (web or the OAuth form): the user's last sign-in time, and this week among their
 * login weeks, which /api/v1/instance/activity counts.
 */
export async function recordSignIn(
  db: DatabaseLike,
  accountId: string,
  now = new Date(),
): Promise<void> {
  await db.update(users).set({ lastSignInAt: now }).where(eq(users.accountId, accountId));
  await db
    .insert(loginWeeks)
    .values({ accountId, week: weekStart(now) })
    .onConflictDoNothing();
}

export interface ActiveSession extends SignedInUser {
  csrfToken: string;
  tokenHash: string;
}

/**
 * The session a cookie token names, if it is still valid and its user may still sign in; extends its
 * lifetime (sliding expiry).
 */
export async function findSession(
  db: Database,
  token: string,
  now = new Date(),
): Promise<ActiveSession | undefined> {
  if (token.length === 0 || token.length > 100) return undefined;
  const tokenHash = sha256(token);
  const row = (
    await db
      .select({ session: webSessions, account: accounts, user: users })
      .from(webSessions)
      .innerJoin(accounts, eq(accounts.id, webSessions.accountId))
      .innerJoin(users, eq(users.accountId, webSessions.accountId))
      .where(and(eq(webSessions.tokenHash, tokenHash), gt(webSessions.expiresAt, now)))
      .limit(1)
  )[0];
  if (row === undefined) return undefined;
  if (row.user.disabledAt !== null || row.account.suspendedAt !== null) return undefined;
  if (now.getTime() - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(webSessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS) })
      .where(eq(webSessions.tokenHash, tokenHash));
  }
  return {
    account: row.account,
    user: row.user,
    csrfToken: row.session.csrfToken,
    tokenHash,
  };
}

/** Ends the session a cookie token names (signing out). */
export async function destroySession(db: Database, token: string): Promise<void> {
  await db.delete(webSessions).where(eq(webSessions.tokenHash, sha256(token)));
}

/** Removes expired sessions; returns how many. */
export async function pruneSessions(db: Database, now = new Date()): Promise<number> {
  return changedRows(await db.delete(webSessions).where(lt(webSessions.expiresAt, now)));
}

/** Compares a submitted CSRF token with the expected one in constant time. */
export function csrfTokenMatches(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== "string" || submitted.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
