// Changing the e-mail address in settings: the password is asked, the new address gets a confirmation
// link (only its sha256 is stored) and becomes the account's only when that link is followed; until then
// the old address stays in effect, and it is told of the change, so a stolen session cannot quietly
// take the account's address (and with it, password resets).
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNotNull } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { accounts, users } from "../db/schema/index.ts";
import { AppError, notFound, unprocessable } from "../errors.ts";
import { logger } from "../logging.ts";
import { emailChangeMessage, emailChangeNoticeMessage } from "./account-mail.ts";
import type { AccountMailContext } from "./password-reset.ts";
import { verifyPassword } from "./passwords.ts";
import { emailProblem } from "./sign-up.ts";

const log = logger("domain", "email-change");

export const EMAIL_CHANGE_VALID_MS = 24 * 60 * 60 * 1000;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * Asks to change the account's address to `email`: 401 for a wrong password, 422 for an address that
 * cannot be used (the same rule as sign-up's). Sends the confirmation link to the new address and a
 * notice to the old one.
 */
export async function requestEmailChange(
  ctx: AccountMailContext,
  accountId: string,
  input: { password: string; email: string },
  now = new Date(),
): Promise<void> {
  const row = (
    await ctx.db
      .select({ user: users, username: accounts.username })
      .from(users)
      .innerJoin(accounts, eq(accounts.id, users.accountId))
      .where(eq(users.accountId, accountId))
      .limit(1)
  )[0];
  if (row === undefined) throw notFound("No such local user");
  if (!(await verifyPassword(input.password, row.user.passwordHash))) {
    throw new AppError("unauthorized", "Your password is not right; nothing was changed.");
  }
  const email = input.email.trim();
  const problem = await emailProblem(ctx.db, email);
  if (problem !== null) throw unprocessable(problem.description, { email: [problem] });
  const token = randomBytes(32).toString("base64url");
  await ctx.db
    .update(users)
    .set({ unconfirmedEmail: email, emailChangeTokenHash: sha256(token), emailChangeSentAt: now })
    .where(eq(users.accountId, accountId));
  const { instanceName, origin } = ctx.config;
  const send = async (message: Parameters<typeof ctx.mailer.send>[0]) => {
    try {
      await ctx.mailer.send(message);
    } catch (error) {
      // The request stands; the user can ask again, which sends a new link.
      log.error("Could not send {subject} to {to}: {error}", {
        subject: message.subject,
        to: message.to,
        error,
      });
    }
  };
  await send(
    emailChangeMessage({
      instanceName,
      to: email,
      locale: row.user.locale,
      username: row.username,
      link: `${origin}/auth/email_change?token=${encodeURIComponent(token)}`,
    }),
  );
  if (row.user.email !== null) {
    await send(
      emailChangeNoticeMessage({
        instanceName,
        to: row.user.email,
        locale: row.user.locale,
        username: row.username,
        newAddress: email,
        link: `${origin}/settings/security`,
      }),
    );
  }
}

/**
 * Follows a change link: the new address becomes the account's (and counts as confirmed, the link
 * having proved it). Returns the username, or null for an unknown, used or expired link, or when the
 * address was taken by another account meanwhile.
 */
export async function confirmEmailChange(
  db: Database,
  token: string,
  now = new Date(),
): Promise<string | null> {
  if (token.length === 0 || token.length > 100) return null;
  const condition = and(
    eq(users.emailChangeTokenHash, sha256(token)),
    gt(users.emailChangeSentAt, new Date(now.getTime() - EMAIL_CHANGE_VALID_MS)),
    isNotNull(users.unconfirmedEmail),
  );
  const user = (await db.select().from(users).where(condition).limit(1))[0];
  if (user === undefined || user.unconfirmedEmail === null) return null;
  if ((await emailProblem(db, user.unconfirmedEmail)) !== null) return null;
  let rows: { accountId: string }[];
  try {
    rows = await db
      .update(users)
      .set({
        email: user.unconfirmedEmail,
        confirmedAt: user.confirmedAt ?? now,
        unconfirmedEmail: null,
        emailChangeTokenHash: null,
        emailChangeSentAt: null,
      })
      .where(condition)
      .returning({ accountId: users.accountId });
  } catch (error) {
    // Another account took the address between the check and the write (the unique index said no).
    log.info("E-mail change not applied: {error}", { error });
    return null;
  }
  if (rows.length === 0) return null;
  const account = (
    await db
      .select({ username: accounts.username })
      .from(accounts)
      .where(eq(accounts.id, user.accountId))
      .limit(1)
  )[0];
  return account?.username ?? null;
}
