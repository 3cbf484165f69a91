// Signing up: one rule for every door (POST /api/v1/accounts, the web sign-up page). It checks the
// registration mode and each field (naming each problem in Mastodon's codes, so the API answers its 422
// `details` and the page shows the error beside the field), creates the account through
// createLocalUser (unconfirmed, and unapproved in approval mode) and sends the confirmation e-mail.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { RegistrationMode } from "../config.ts";
import type { Database } from "../db/client.ts";
import { findAccountById } from "../db/queries/accounts.ts";
import { users } from "../db/schema/index.ts";
import { AppError, forbidden } from "../errors.ts";
import { logger } from "../logging.ts";
import type { Mailer } from "../mail/mailer.ts";
import { confirmationMessage, pendingSignUpMessage } from "./account-mail.ts";
import {
  createLocalUser,
  EmailTaken,
  emailInUse,
  type FieldProblem,
  findLocalAccount,
  type LocalUser,
  usernameProblem,
} from "./accounts.ts";
import { emailDomainBlockOf, recordRefusedSignUp } from "./email-domain-blocks.ts";
import { claimInviteUse, findUsableInvite, releaseInviteUse } from "./invites.ts";
import type { LocalUrls } from "./local-urls.ts";
import { passwordProblem } from "./passwords.ts";
import { registrationMode, signUpAllowed } from "./registrations.ts";
import type { SignUpThrottle } from "./sign-up-throttle.ts";

const log = logger("domain", "sign-up");

/**
 * Names nobody may sign up with, beyond those no account may have (accounts.ts): they would pass for the
 * instance's staff. An administrator can still make them with `user create` (the first one is "admin").
 */
const STAFF_USERNAMES = new Set([
  "admin",
  "administrator",
  "moderator",
  "mod",
  "staff",
  "help",
  "info",
  "system",
  "official",
  "atelier",
  "mail",
  "noreply",
  "no-reply",
  "notifications",
  "owner",
]);

export const EMAIL_MAX_LENGTH = 254;
export const REASON_MAX_LENGTH = 500;
// One @, something on each side, a dot in the domain: the address is proven by the confirmation link.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export interface SignUpInput {
  username: string;
  email: string;
  password: string;
  /** The instance rules (and terms) were accepted. */
  agreement: boolean;
  locale?: string;
  /** Why the applicant wants to join; read by administrators in approval mode. */
  reason?: string;
  /** The code of an invite link (domain/invites.ts). */
  inviteCode?: string;
  /**
   * Whether public prompts and images may go into datasets (docs on /about/data). Asked plainly on the
   * web form, off by default; Mastodon's API has no such field, so apps' sign-ups leave it off.
   */
  aiDataConsent?: boolean;
  /** Where the request came from (behind trusted proxies): sign-ups are throttled per address. */
  address: string;
}

export interface SignUpContext {
  db: Database;
  urls: LocalUrls;
  mailer: Mailer;
  signUpThrottle: SignUpThrottle;
  config: { registrations: RegistrationMode; instanceName: string; origin: string };
}

/** A sign-up refused for what was entered: each field's problems, Mastodon's 422 `details`. */
export class SignUpInvalid extends AppError {
  readonly fields: Record<string, FieldProblem[]>;
  constructor(fields: Record<string, FieldProblem[]>) {
    const text = Object.values(fields)
      .flat()
      .map((p) => p.description)
      .join(", ");
    super("unprocessable", `Validation failed: ${text}`, { details: fields });
    this.name = "SignUpInvalid";
    this.fields = fields;
  }
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * Why an address cannot be an account's (empty, too long, not an address, at a blocked domain,
 * another user's), in Mastodon's codes; null when it can. Asked at sign-up and when an address is changed in settings.
 */
export async function emailProblem(
  db: Database,
  input: string,
  /** Given at sign-up: a refusal for a blocked domain is counted for that block's history. */
  address?: string,
): Promise<FieldProblem | null> {
  const email = input.trim();
  if (email === "") return { error: "ERR_BLANK", description: "E-mail must not be empty" };
  if (email.length > EMAIL_MAX_LENGTH) {
    return { error: "ERR_TOO_LONG", description: "E-mail address is too long" };
  }
  if (!EMAIL_PATTERN.test(email)) {
    return { error: "ERR_INVALID", description: "This is not an e-mail address" };
  }
  const blocked = await emailDomainBlockOf(db, email);
  if (blocked !== null) {
    if (address !== undefined) await recordRefusedSignUp(db, blocked, address);
    return { error: "ERR_BLOCKED", description: "This e-mail provider is not allowed" };
  }
  if (await emailInUse(db, email)) {
    return { error: "ERR_TAKEN", description: "This e-mail address is already in use" };
  }
  return null;
}

async function fieldProblems(db: Database, input: SignUpInput, needsReason: boolean) {
  const fields: Record<string, FieldProblem[]> = {};
  const add = (field: string, problem: FieldProblem | null) => {
    if (problem !== null) fields[field] = [...(fields[field] ?? []), problem];
  };
  const username = input.username.trim();
  const nameProblem = usernameProblem(username);
  add("username", nameProblem);
  if (nameProblem === null) {
    if (STAFF_USERNAMES.has(username.toLowerCase())) {
      add("username", { error: "ERR_RESERVED", description: `Username "${username}" is reserved` });
    } else if ((await findLocalAccount(db, username)) !== undefined) {
      add("username", {
        error: "ERR_TAKEN",
        description: `Username "${username}" is already taken`,
      });
    }
  }
  add("email", await emailProblem(db, input.email, input.address));
  add("password", passwordProblem(input.password));
  if (!input.agreement) {
    add("agreement", { error: "ERR_ACCEPTED", description: "The rules must be accepted" });
  }
  if (input.locale !== undefined && input.locale !== "" && !LOCALE_PATTERN.test(input.locale)) {
    add("locale", { error: "ERR_INCLUSION", description: "Not a known language" });
  }
  if ((input.reason ?? "").length > REASON_MAX_LENGTH) {
    add("reason", {
      error: "ERR_TOO_LONG",
      description: `The reason is too long: at most ${REASON_MAX_LENGTH} characters`,
    });
  }
  if (needsReason && (input.reason ?? "").trim() === "") {
    add("reason", {
      error: "ERR_BLANK",
      description: "Tell the administrators why you want to join",
    });
  }
  return fields;
}

/**
 * Signs up a new user. Refused with 429 (SignUpThrottled) past the address's limits, with 403 when the
 * registration mode lets no one in (closed, or invite without an invite), with SignUpInvalid (422) for
 * the fields. The account cannot act until its e-mail address is confirmed (the link in the e-mail
 * sent here) and, in approval mode, an administrator approves it.
 */
export async function signUp(ctx: SignUpContext, input: SignUpInput): Promise<LocalUser> {
  ctx.signUpThrottle.attempt(input.address);
  const mode = await registrationMode(ctx.db, ctx.config.registrations);
  const code = input.inviteCode ?? "";
  const invited = (await findUsableInvite(ctx.db, code)) !== undefined;
  if (!signUpAllowed(mode, invited)) throw forbidden("This action is not allowed");
  // An invited person needs no approval, so is not asked why they want to join.
  const fields = await fieldProblems(ctx.db, input, mode === "approval" && !invited);
  if (Object.keys(fields).length > 0) throw new SignUpInvalid(fields);
  // The use is taken now (the invite may have been used up meanwhile) and given back on failure.
  const claimed = invited && (await claimInviteUse(ctx.db, code));
  if (!signUpAllowed(mode, claimed)) throw forbidden("This action is not allowed");
  const token = randomBytes(32).toString("base64url");
  let created: LocalUser;
  try {
    created = await createLocalUser(ctx.db, ctx.urls, {
      username: input.username.trim(),
      password: input.password,
      email: input.email.trim(),
      signUp: {
        confirmationTokenHash: sha256(token),
        approved: mode !== "approval" || claimed,
        reason: (input.reason ?? "").trim(),
        locale: input.locale || "en",
        aiDataConsent: input.aiDataConsent === true,
      },
    });
  } catch (error) {
    if (claimed) await releaseInviteUse(ctx.db, code);
    // The same address or name signed up a moment ago, between the check and the write.
    if (error instanceof EmailTaken) {
      throw new SignUpInvalid({ email: [{ error: "ERR_TAKEN", description: error.message }] });
    }
    if (error instanceof AppError && error.status === 409) {
      throw new SignUpInvalid({
        username: [{ error: "ERR_TAKEN", description: error.message }],
      });
    }
    throw error;
  }
  ctx.signUpThrottle.created(input.address);
  await sendConfirmation(ctx, {
    username: created.account.username,
    to: input.email.trim(),
    locale: created.user.locale,
    token,
  });
  if (created.user.approvedAt === null) await tellAdministrators(ctx, created);
  return created;
}

/** E-mails every administrator with an address: a sign-up waits for their approval. */
async function tellAdministrators(ctx: SignUpContext, created: LocalUser): Promise<void> {
  const admins = await ctx.db
    .select({ email: users.email, locale: users.locale })
    .from(users)
    .where(and(eq(users.admin, true), isNotNull(users.email)));
  for (const { email, locale } of admins) {
    try {
      await ctx.mailer.send(
        pendingSignUpMessage({
          instanceName: ctx.config.instanceName,
          to: email!,
          locale,
          username: created.account.username,
          reason: created.user.signUpReason,
          link: `${ctx.config.origin}/admin/registrations`,
        }),
      );
    } catch (error) {
      log.error("Could not tell {to} of a sign-up: {error}", { to: email, error });
    }
  }
}

async function sendConfirmation(
  ctx: SignUpContext,
  recipient: { username: string; to: string; locale: string | null; token: string },
): Promise<void> {
  const { username, to, locale, token } = recipient;
  const link = `${ctx.config.origin}/auth/confirmation?token=${encodeURIComponent(token)}`;
  try {
    await ctx.mailer.send(
      confirmationMessage({ instanceName: ctx.config.instanceName, username, to, locale, link }),
    );
  } catch (error) {
    // The account stays; the e-mail can be sent again. A mail server that is down must not lose it.
    log.error("Could not send the confirmation e-mail to {to}: {error}", { to, error });
  }
}

/**
 * Sends a new confirmation link to `email` if an unconfirmed account has it (the old link stops
 * working). Says nothing either way, so the form cannot tell who has an account here.
 */
export async function resendConfirmation(ctx: SignUpContext, email: string): Promise<void> {
  const address = email.trim().toLowerCase();
  if (address === "" || address.length > EMAIL_MAX_LENGTH) return;
  const token = randomBytes(32).toString("base64url");
  const rows = await ctx.db
    .update(users)
    .set({ confirmationTokenHash: sha256(token), confirmationSentAt: new Date() })
    .where(and(sql`lower(${users.email}) = ${address}`, isNull(users.confirmedAt)))
    .returning({ accountId: users.accountId, email: users.email, locale: users.locale });
  const row = rows[0];
  if (row === undefined || row.email === null) return;
  const account = await findAccountById(ctx.db, row.accountId, { includeSuspended: true });
  if (account === undefined) return;
  await sendConfirmation(ctx, {
    username: account.username,
    to: row.email,
    locale: row.locale,
    token,
  });
}

/**
 * Confirms the e-mail address whose link carried `token` (single use). Returns the account's username,
 * or null when no account waits for that token.
 */
export async function confirmEmail(db: Database, token: string): Promise<string | null> {
  if (token.length === 0 || token.length > 100) return null;
  const rows = await db
    .update(users)
    .set({ confirmedAt: new Date(), confirmationTokenHash: null })
    .where(eq(users.confirmationTokenHash, sha256(token)))
    .returning({ accountId: users.accountId });
  const accountId = rows[0]?.accountId;
  if (accountId === undefined) return null;
  return (await findAccountById(db, accountId, { includeSuspended: true }))?.username ?? null;
}
