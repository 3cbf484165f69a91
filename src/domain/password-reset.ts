// "Forgot password": an e-mailed link, single use and valid for an hour, that sets a new password and
// ends every web session and OAuth token of the user (whoever knew the old password is out). Only a
// sha256 of the link's secret is stored. Asking gives the same answer whether or not the address has an
// account, so the form cannot be used to learn who is registered here.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { accounts, users } from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";
import { logger } from "../logging.ts";
import type { Mailer } from "../mail/mailer.ts";
import { passwordResetMessage } from "./account-mail.ts";
import { endAllCredentials } from "./credentials.ts";
import { hashPassword, passwordProblem } from "./passwords.ts";
import { EMAIL_MAX_LENGTH } from "./sign-up.ts";

const log = logger("domain", "password-reset");

export const RESET_VALID_MS = 60 * 60 * 1000;
// One e-mail a minute per user at most: the form cannot be used to flood someone's inbox.
const RESEND_AFTER_MS = 60 * 1000;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface AccountMailContext {
  db: Database;
  mailer: Mailer;
  config: { instanceName: string; origin: string };
}

/**
 * Sends a password-reset link to `email` if a local user has that address (the previous link stops
 * working). Says nothing either way.
 */
export async function requestPasswordReset(
  ctx: AccountMailContext,
  email: string,
  now = new Date(),
): Promise<void> {
  const address = email.trim().toLowerCase();
  if (address === "" || address.length > EMAIL_MAX_LENGTH) return;
  const token = randomBytes(32).toString("base64url");
  const rows = await ctx.db
    .update(users)
    .set({ resetPasswordTokenHash: sha256(token), resetPasswordSentAt: now })
    .where(
      and(
        sql`lower(${users.email}) = ${address}`,
        or(
          isNull(users.resetPasswordSentAt),
          lt(users.resetPasswordSentAt, new Date(now.getTime() - RESEND_AFTER_MS)),
        ),
      ),
    )
    .returning({ accountId: users.accountId, email: users.email, locale: users.locale });
  const row = rows[0];
  if (row === undefined || row.email === null) return;
  const account = (
    await ctx.db
      .select({ username: accounts.username, deletedAt: accounts.deletedAt })
      .from(accounts)
      .where(eq(accounts.id, row.accountId))
      .limit(1)
  )[0];
  if (account === undefined || account.deletedAt !== null) return;
  const link = `${ctx.config.origin}/auth/password/edit?token=${encodeURIComponent(token)}`;
  try {
    await ctx.mailer.send(
      passwordResetMessage({
        instanceName: ctx.config.instanceName,
        to: row.email,
        locale: row.locale,
        username: account.username,
        link,
        validMinutes: RESET_VALID_MS / 60_000,
      }),
    );
  } catch (error) {
    // The answer stays the same; the user may ask again in a minute.
    log.error("Could not send the password-reset e-mail to {to}: {error}", {
      to: row.email,
      error,
    });
  }
}

const tokenCondition = (token: string, now: Date) =>
  and(
    eq(users.resetPasswordTokenHash, sha256(token)),
    gt(users.resetPasswordSentAt, new Date(now.getTime() - RESET_VALID_MS)),
  );

/** Whether a reset link's token may still be used (for showing the form, or saying it expired). */
export async function passwordResetTokenValid(
  db: Database,
  token: string,
  now = new Date(),
): Promise<boolean> {
  if (token.length === 0 || token.length > 100) return false;
  const rows = await db
    .select({ id: users.accountId })
    .from(users)
    .where(tokenCondition(token, now))
    .limit(1);
  return rows.length > 0;
}

/**
 * Sets a new password with a reset link's token (the same strength rules as everywhere), uses the token
 * up and ends every session and token of the user, in one transaction. Returns false when the token is
 * unknown, used or expired; a password the rules refuse is a 400 and keeps the token.
 */
export async function resetPassword(
  db: Database,
  token: string,
  password: string,
  now = new Date(),
): Promise<boolean> {
  if (token.length === 0 || token.length > 100) return false;
  const problem = passwordProblem(password);
  if (problem !== null) throw badRequest(problem.description);
  const passwordHash = await hashPassword(password);
  return await db.transaction(async (tx) => {
    const rows = await tx
      .update(users)
      .set({ passwordHash, resetPasswordTokenHash: null, resetPasswordSentAt: null })
      .where(tokenCondition(token, now))
      .returning({ accountId: users.accountId });
    const accountId = rows[0]?.accountId;
    if (accountId === undefined) return false;
    await endAllCredentials(tx, accountId);
    return true;
  });
}
