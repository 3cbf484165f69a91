// Local accounts: creating users (with their actor row and key pairs), listing them, changing passwords,
// and the first administrator an empty instance gets.
import { asc, count, eq, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { takeTurns } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { findAccountByUsername } from "../db/queries/accounts.ts";
import { returned } from "../db/returned.ts";
import { type Account, accounts, actorKeys, type User, users } from "../db/schema/index.ts";
import { AppError, badRequest, conflict, notFound } from "../errors.ts";
import { endAllCredentials } from "./credentials.ts";
import { recordInitialDatasetChoices } from "./datasets/choices.ts";
import { generateActorKeyPairs } from "./keys.ts";
import type { LocalUrls } from "./local-urls.ts";
import { hashPassword, randomPassword, validatePassword, verifyPassword } from "./passwords.ts";

export const USERNAME_MAX_LENGTH = 30;
// Mastodon's rule: letters, digits and underscores, with dots and dashes allowed inside.
const USERNAME_PATTERN = /^[a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?$/i;
// Names that would be confusing or that impersonate the server's own addresses.
const RESERVED_USERNAMES = new Set([
  "abuse",
  "hostmaster",
  "postmaster",
  "webmaster",
  "root",
  "security",
  "support",
  "instance",
  "actor",
  "inbox",
  "api",
  "oauth",
  "settings",
  "explore",
  "well-known",
]);

/**
 * What is wrong with one field of a new account, in Mastodon's terms (its 422 `details`: ERR_BLANK,
 * ERR_TOO_LONG, ERR_INVALID, ERR_RESERVED, ERR_TAKEN…) with a sentence for people.
 */
export interface FieldProblem {
  error: string;
  description: string;
}

/** Why `username` cannot be a local account name, or null when it can (taken or not). */
export function usernameProblem(username: string): FieldProblem | null {
  if (username.length === 0)
    return { error: "ERR_BLANK", description: "Username must not be empty" };
  if (username.length > USERNAME_MAX_LENGTH) {
    return {
      error: "ERR_TOO_LONG",
      description: `Username is too long: at most ${USERNAME_MAX_LENGTH} characters`,
    };
  }
  if (!USERNAME_PATTERN.test(username)) {
    return {
      error: "ERR_INVALID",
      description:
        "Username may contain only letters, digits and underscores, with dots or dashes only between them",
    };
  }
  if (RESERVED_USERNAMES.has(username.toLowerCase())) {
    return { error: "ERR_RESERVED", description: `Username "${username}" is reserved` };
  }
  return null;
}

/** Throws a clear error if `username` cannot be a local account name. */
export function validateUsername(username: string): void {
  const problem = usernameProblem(username);
  if (problem !== null) throw badRequest(problem.description);
}

export interface CreateLocalUserInput {
  username: string;
  password: string;
  admin?: boolean;
  email?: string | null;
  displayName?: string;
  /**
   * For a self sign-up: the account is not confirmed (its e-mail address must be) and, in approval
   * mode, not approved. An administrator's users are both from the start.
   */
  signUp?: {
    confirmationTokenHash: string;
    approved: boolean;
    reason: string;
    locale: string;
    /** The answer to the AI-data question (off unless the person said yes). */
    aiDataConsent: boolean;
  };
}

export interface LocalUser {
  account: Account;
  user: User;
}

/** Finds a local account by username, case-insensitively (a suspended one too). */
export async function findLocalAccount(
  db: DatabaseLike,
  username: string,
): Promise<Account | undefined> {
  return await findAccountByUsername(db, username, null, { includeSuspended: true });
}

/** The e-mail address belongs to another user already (compared case-insensitively, as the index does). */
export class EmailTaken extends AppError {
  constructor() {
    super("conflict", "This e-mail address is already in use");
    this.name = "EmailTaken";
  }
}

/** Whether a user has this e-mail address (case-insensitively). */
export async function emailInUse(db: DatabaseLike, email: string): Promise<boolean> {
  const rows = await db
    .select({ id: users.accountId })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return rows.length > 0;
}

/**
 * Creates a local user: its account (a full actor with URLs on this instance), its RSA and Ed25519 key
 * pairs, and its credentials. Fails with a conflict if the name is taken (case-insensitively).
 */
export async function createLocalUser(
  db: Database,
  urls: LocalUrls,
  input: CreateLocalUserInput,
): Promise<LocalUser> {
  validateUsername(input.username);
  validatePassword(input.password);
  if ((await findLocalAccount(db, input.username)) !== undefined) {
    throw conflict(`Username "${input.username}" is already taken`);
  }
  // Slow work (hashing, key generation) happens before the write transaction, which stays short.
  const [passwordHash, keyPairs] = await Promise.all([
    hashPassword(input.password),
    generateActorKeyPairs(),
  ]);
  const username = input.username;
  const accountId = newId();
  const now = new Date();
  return await db.transaction(async (tx) => {
    // Checked again in turn: two sign-ups at once on PostgreSQL both passed the checks above, and the
    // second then failed on a unique index (a 500 instead of "taken"). SQLite's write lock already serialises.
    await takeTurns(tx, "local-user");
    if ((await findLocalAccount(tx, username)) !== undefined) {
      throw conflict(`Username "${username}" is already taken`);
    }
    if (input.email != null && (await emailInUse(tx, input.email))) {
      throw new EmailTaken();
    }
    const account = returned(
      await tx
        .insert(accounts)
        .values({
          id: accountId,
          username,
          domain: null,
          iri: urls.actor(username),
          url: urls.profile(username),
          displayName: input.displayName ?? "",
          inboxUrl: urls.inbox(username),
          sharedInboxUrl: urls.sharedInbox(),
          outboxUrl: urls.outbox(username),
          followersUrl: urls.followers(username),
          followingUrl: urls.following(username),
          featuredUrl: urls.featured(username),
          featuredTagsUrl: urls.featuredTags(username),
          discoverable: true,
          indexable: true,
        })
        .returning(),
    );
    await tx.insert(actorKeys).values(keyPairs.map((k) => ({ accountId, ...k })));
    const user = returned(
      await tx
        .insert(users)
        .values({
          accountId,
          passwordHash,
          admin: input.admin ?? false,
          email: input.email ?? null,
          ...(input.signUp === undefined
            ? { confirmedAt: now, approvedAt: now }
            : {
                confirmationTokenHash: input.signUp.confirmationTokenHash,
                confirmationSentAt: now,
                approvedAt: input.signUp.approved ? now : null,
                signUpReason: input.signUp.reason,
                locale: input.signUp.locale,
                // The language one signs up in is the one posts are marked with until changed.
                defaultLanguage: input.signUp.locale.split("-")[0]!,
                aiDataConsent: input.signUp.aiDataConsent,
                agreedAt: now,
              }),
        })
        .returning(),
    );
    // The answer given at sign-up opens the consent history (a "no" is the default, not an event).
    await recordInitialDatasetChoices(
      tx,
      accountId,
      {
        consent: user.aiDataConsent,
        license: user.datasetLicense,
        attribution: user.datasetAttribution,
      },
      "sign_up",
    );
    return { account, user };
  });
}

export interface LocalUserSummary {
  id: string;
  username: string;
  admin: boolean;
  createdAt: Date;
  statusesCount: number;
  /** When an administrator suspended it (domain/suspensions.ts), or null. */
  suspendedAt: Date | null;
  /** A sign-up's e-mail confirmation and approval (domain/sign-up.ts); null while waiting. */
  confirmedAt: Date | null;
  approvedAt: Date | null;
}

/** All local users, oldest first. */
export async function listLocalUsers(db: Database): Promise<LocalUserSummary[]> {
  return await db
    .select({
      id: accounts.id,
      username: accounts.username,
      admin: users.admin,
      createdAt: users.createdAt,
      statusesCount: accounts.statusesCount,
      suspendedAt: accounts.suspendedAt,
      confirmedAt: users.confirmedAt,
      approvedAt: users.approvedAt,
    })
    .from(users)
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .orderBy(asc(accounts.id));
}

export async function countLocalUsers(db: Database): Promise<number> {
  return (await db.select({ n: count() }).from(users).limit(1))[0]?.n ?? 0;
}

/**
 * Sets a local user's password (the administrator's reset) and ends everything the user was signed in
 * with: every web session, every OAuth token and pending authorization code.
 */
export async function setUserPassword(
  db: Database,
  username: string,
  password: string,
): Promise<void> {
  validatePassword(password);
  const account = await findLocalAccount(db, username);
  if (account === undefined) throw notFound(`No local user named "${username}"`);
  await storePassword(db, account.id, await hashPassword(password));
}

/**
 * A user changing their own password: the current one must be right (else 401, nothing changes). Every
 * other web session and every OAuth grant ends; the session that made the change (`keepSessionHash`)
 * stays signed in.
 */
export async function changeOwnPassword(
  db: Database,
  accountId: string,
  input: { current: string; password: string; keepSessionHash: string },
): Promise<void> {
  const user = (await db.select().from(users).where(eq(users.accountId, accountId)).limit(1))[0];
  if (user === undefined) throw notFound("No such local user");
  if (!(await verifyPassword(input.current, user.passwordHash))) {
    throw new AppError("unauthorized", "Your current password is not right; nothing was changed.");
  }
  validatePassword(input.password);
  await storePassword(db, accountId, await hashPassword(input.password), input.keepSessionHash);
}

// One transaction: the new hash and the end of the old credentials land together or not at all.
async function storePassword(
  db: Database,
  accountId: string,
  passwordHash: string,
  keepSessionHash?: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.accountId, accountId));
    await endAllCredentials(tx, accountId, keepSessionHash);
  });
}

export const FIRST_ADMIN_USERNAME = "admin";

/**
 * On an instance with no users, creates an administrator with a random password and returns its
 * credentials (to be shown once); returns null when users already exist.
 */
export async function ensureFirstAdmin(
  db: Database,
  urls: LocalUrls,
): Promise<{ username: string; password: string } | null> {
  if ((await countLocalUsers(db)) > 0) return null;
  const password = randomPassword();
  try {
    await createLocalUser(db, urls, { username: FIRST_ADMIN_USERNAME, password, admin: true });
  } catch (error) {
    // Another process (a second start, the CLI) created a user meanwhile: nothing to do.
    if ((await countLocalUsers(db)) > 0) return null;
    throw error;
  }
  return { username: FIRST_ADMIN_USERNAME, password };
}
