// Two-factor sign-in: a TOTP authenticator app (RFC 6238, 6 digits every 30 seconds, as Mastodon's) and
// ten single-use recovery codes. Setting it up, turning it off, checking a second factor, and the short
// ticket that carries a password-checked sign-in to the page asking for the code.
//
// The TOTP secret is stored as it is, since checking a code needs it; it is shown only while being set
// up (before a code confirms it) and never again. Recovery codes are stored as sha256 hashes only: each
// has 80 random bits, so a fast hash is enough (no dictionary to try).
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import type { Database } from "../db/client.ts";
import { changedRows } from "../db/dialect.ts";
import { accounts, type User, users } from "../db/schema/index.ts";
import { AppError, conflict, notFound } from "../errors.ts";
import { verifyPassword } from "./passwords.ts";

const PERIOD_S = 30;
const DIGITS = 6;
export const RECOVERY_CODE_COUNT = 10;
// How long the code page stays valid after the password was right.
const TICKET_TTL_MS = 5 * 60 * 1000;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

function totpOf(secret: string, issuer = "", label = ""): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: "SHA1",
    digits: DIGITS,
    period: PERIOD_S,
    secret: Secret.fromBase32(secret),
  });
}

async function userOf(db: Database, accountId: string): Promise<User> {
  const user = (await db.select().from(users).where(eq(users.accountId, accountId)).limit(1))[0];
  if (user === undefined) throw notFound("No such local user");
  return user;
}

/** Whether signing in as this user asks for a second factor after the password. */
export function needsSecondFactor(user: Pick<User, "otpSecret">): boolean {
  return user.otpSecret !== null;
}

export interface TwoFactorSetup {
  /** Base32, for typing into an authenticator app. */
  secret: string;
  /** otpauth://totp/… for a QR code. */
  uri: string;
}

/**
 * The secret to set up an authenticator with: the one already offered if the user reloads the page,
 * else a new one (160 bits, RFC 4226's recommendation). Refused while two-factor sign-in is on.
 */
export async function beginTwoFactorSetup(
  db: Database,
  accountId: string,
  names: { issuer: string; label: string },
): Promise<TwoFactorSetup> {
  const user = await userOf(db, accountId);
  if (needsSecondFactor(user)) throw conflict("Two-factor sign-in is already on");
  let secret = user.otpPendingSecret;
  if (secret === null) {
    secret = new Secret({ size: 20 }).base32;
    await db.update(users).set({ otpPendingSecret: secret }).where(eq(users.accountId, accountId));
  }
  return { secret, uri: totpOf(secret, names.issuer, names.label).toString() };
}

/** The TOTP time step `code` was made in (this one or the one either side, for clock drift). */
function matchingStep(secret: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secret).validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return TOTP.counter({ period: PERIOD_S, timestamp: now.getTime() }) + delta;
}

function newRecoveryCodes(): { codes: string[]; stored: string } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const hex = randomBytes(10).toString("hex");
    return `${hex.slice(0, 10)}-${hex.slice(10)}`;
  });
  return { codes, stored: codes.map((c) => sha256(normalizeRecoveryCode(c))).join(" ") };
}

const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[\s-]+/g, "");

const wrongCode = () =>
  new AppError("unauthorized", "That code is not right (or was used already).");

/**
 * Turns two-factor sign-in on when `code` was made with the secret offered by beginTwoFactorSetup.
 * Returns the recovery codes, to be shown once.
 */
export async function confirmTwoFactor(
  db: Database,
  accountId: string,
  code: string,
  now = new Date(),
): Promise<string[]> {
  const user = await userOf(db, accountId);
  if (needsSecondFactor(user)) throw conflict("Two-factor sign-in is already on");
  if (user.otpPendingSecret === null) throw conflict("Start the setup again");
  const step = matchingStep(user.otpPendingSecret, code, now);
  if (step === null) throw wrongCode();
  const { codes, stored } = newRecoveryCodes();
  const done = await db
    .update(users)
    .set({
      otpSecret: user.otpPendingSecret,
      otpPendingSecret: null,
      otpEnabledAt: now,
      otpLastStep: step,
      otpRecoveryCodes: stored,
    })
    .where(and(eq(users.accountId, accountId), isNull(users.otpSecret)));
  if (changedRows(done) === 0) throw conflict("Two-factor sign-in is already on");
  return codes;
}

/**
 * Checks a second factor: a TOTP code not used before (a code, or one of an earlier step, is accepted
 * once: the step is moved forward in the same statement that checks it, so two requests cannot both
 * pass), or an unused recovery code, which is used up. False for anything else.
 */
export async function checkSecondFactor(
  db: Database,
  accountId: string,
  code: string,
  now = new Date(),
): Promise<boolean> {
  if (code.length > 64) return false;
  const user = await userOf(db, accountId);
  if (user.otpSecret === null) return false;
  const step = matchingStep(user.otpSecret, code, now);
  if (step !== null) {
    const moved = await db
      .update(users)
      .set({ otpLastStep: step })
      .where(
        and(
          eq(users.accountId, accountId),
          eq(users.otpSecret, user.otpSecret),
          or(isNull(users.otpLastStep), lt(users.otpLastStep, step)),
        ),
      );
    return changedRows(moved) > 0;
  }
  const hash = sha256(normalizeRecoveryCode(code));
  const left = user.otpRecoveryCodes.split(" ").filter((h) => h !== "");
  if (!left.some((h) => sameHex(h, hash))) return false;
  // Compare-and-set on the list read above: of two requests with the same code, one wins.
  const used = await db
    .update(users)
    .set({ otpRecoveryCodes: left.filter((h) => !sameHex(h, hash)).join(" ") })
    .where(
      and(
        eq(users.accountId, accountId),
        eq(users.otpRecoveryCodes, user.otpRecoveryCodes),
        isNotNull(users.otpSecret),
      ),
    );
  return changedRows(used) > 0;
}

function sameHex(a: string, b: string): boolean {
  // Compared as bytes: a string of the right length with a non-ASCII character is longer in UTF-8,
  // and timingSafeEqual throws on buffers of different lengths.
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** How many recovery codes are left unused. */
export function recoveryCodesLeft(user: Pick<User, "otpRecoveryCodes">): number {
  return user.otpRecoveryCodes.split(" ").filter((h) => h !== "").length;
}

/** Turns two-factor sign-in off; asks for the password and a second factor, so a stolen session cannot. */
export async function disableTwoFactor(
  db: Database,
  accountId: string,
  input: { password: string; code: string },
  now = new Date(),
): Promise<void> {
  const user = await userOf(db, accountId);
  if (!needsSecondFactor(user)) throw conflict("Two-factor sign-in is not on");
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    throw new AppError("unauthorized", "Your password is not right; nothing was changed.");
  }
  if (!(await checkSecondFactor(db, accountId, input.code, now))) throw wrongCode();
  await db
    .update(users)
    .set({ ...TWO_FACTOR_OFF, otpPendingSecret: null })
    .where(eq(users.accountId, accountId));
}

/**
 * Turns two-factor sign-in off for an administrator (`user two-factor-off`), for a user who lost both
 * their authenticator and their recovery codes. Returns false when it was not on.
 */
export async function removeTwoFactor(db: Database, accountId: string): Promise<boolean> {
  const done = await db
    .update(users)
    .set({ ...TWO_FACTOR_OFF, otpPendingSecret: null })
    .where(and(eq(users.accountId, accountId), isNotNull(users.otpSecret)));
  return changedRows(done) > 0;
}

const TWO_FACTOR_OFF = {
  otpSecret: null,
  otpEnabledAt: null,
  otpLastStep: null,
  otpRecoveryCodes: "",
} as const;

/** New recovery codes in place of every old one; asks for a current code. Returns them, to show once. */
export async function regenerateRecoveryCodes(
  db: Database,
  accountId: string,
  code: string,
  now = new Date(),
): Promise<string[]> {
  const user = await userOf(db, accountId);
  if (!needsSecondFactor(user)) throw conflict("Two-factor sign-in is not on");
  if (!(await checkSecondFactor(db, accountId, code, now))) throw wrongCode();
  const { codes, stored } = newRecoveryCodes();
  await db.update(users).set({ otpRecoveryCodes: stored }).where(eq(users.accountId, accountId));
  return codes;
}

// The ticket: "<accountId>.<expiry>.<mac>". Its key is derived from the user's password hash and TOTP
// secret, which only the server knows: any process of the instance can check it, with no table and no
// shared key, and it stops working when either changes.
const ticketMac = (user: User, payload: string) =>
  createHmac("sha256", `${user.passwordHash}\n${user.otpSecret ?? ""}`)
    .update(`second-factor ${payload}`)
    .digest("base64url");

/** A ticket saying `user` gave the right password just now, for the page that asks for the code. */
export function issueSecondFactorTicket(user: User, now = new Date()): string {
  const payload = `${user.accountId}.${now.getTime() + TICKET_TTL_MS}`;
  return `${payload}.${ticketMac(user, payload)}`;
}

/**
 * Who a ticket was issued for (their account id and username, the throttle's key), or null when it is
 * forged, expired or outdated, or the user may no longer sign in.
 */
export async function readSecondFactorTicket(
  db: Database,
  ticket: string,
  now = new Date(),
): Promise<{ accountId: string; username: string } | null> {
  const [accountId, expiry, mac] = ticket.length <= 200 ? ticket.split(".") : [];
  if (!accountId || !expiry || !mac || Number(expiry) < now.getTime()) return null;
  const row = (
    await db
      .select({ user: users, username: accounts.username, suspendedAt: accounts.suspendedAt })
      .from(users)
      .innerJoin(accounts, eq(accounts.id, users.accountId))
      .where(eq(users.accountId, accountId))
      .limit(1)
  )[0];
  if (row === undefined || !needsSecondFactor(row.user)) return null;
  if (row.user.disabledAt !== null || row.suspendedAt !== null) return null;
  const expected = ticketMac(row.user, `${accountId}.${expiry}`);
  return sameHex(expected, mac) ? { accountId, username: row.username } : null;
}
