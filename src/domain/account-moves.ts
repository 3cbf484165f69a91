// Moving out, as Mastodon does it: a local user lists the accounts they are "also known as" (aliases,
// sent as the actor's alsoKnownAs), and moves to another account that lists them in return. A move sets
// movedTo on the actor, sends a Move to the followers' servers and moves the followers on this server;
// the same follower move serves a remote actor's Move received here (remote-accounts.ts).
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { findAccountById } from "../db/queries/accounts.ts";
import { returned } from "../db/returned.ts";
import { type Account, accounts, follows } from "../db/schema/index.ts";
import { AppError, notFound } from "../errors.ts";
import { logger } from "../logging.ts";
import { findLocalAccount } from "./accounts.ts";
import { AcrossBlockError } from "./block-policy.ts";
import { recordEvent } from "./events.ts";
import { followAccount, unfollowAccount } from "./follows.ts";
import { parseHandle } from "./handles.ts";
import type { LocalUrls } from "./local-urls.ts";
import { checkCredentials } from "./sessions.ts";

const log = logger("domain", "account-moves");

/** As many aliases as a remote actor's alsoKnownAs we keep (remote-accounts.ts), so all of them federate. */
export const ALIASES_MAX = 20;
/** Mastodon's AccountMigration cooldown: one move per 30 days. */
export const MOVE_COOLDOWN_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Finds the account a full handle (`user@host`) names, asking its server when it is not stored (or, with
 * `fresh`, even when it is); null when nothing answers. Federation's lookup, given by the composition root.
 */
export type AccountResolver = (
  handle: string,
  options: { fresh: boolean },
) => Promise<Account | null>;

export type MoveRefusal =
  | "unknown_target"
  | "self"
  | "missing_alias"
  | "already_moved"
  | "cooldown"
  | "wrong_password"
  | "duplicate_alias"
  | "too_many_aliases";

/** Why an alias or a move was refused, with a message the settings pages show next to the form. */
export class MoveRefused extends AppError {
  readonly reason: MoveRefusal;

  constructor(reason: MoveRefusal, message: string) {
    super(reason === "wrong_password" ? "unauthorized" : "unprocessable", message);
    this.reason = reason;
  }
}

async function resolveHandle(
  db: Database,
  resolve: AccountResolver,
  handle: string,
  fresh: boolean,
): Promise<Account> {
  const parsed = parseHandle(handle.trim());
  if (parsed === null) {
    throw new MoveRefused(
      "unknown_target",
      "Enter the account's full handle, such as @you@example.social.",
    );
  }
  const found =
    parsed.host === null
      ? ((await findLocalAccount(db, parsed.username)) ?? null)
      : await resolve(`${parsed.username}@${parsed.host}`, { fresh });
  if (found === null || found.suspendedAt !== null || found.deletedAt !== null) {
    throw new MoveRefused("unknown_target", "No account with that handle could be found.");
  }
  return found;
}

async function localAccount(db: Database, accountId: string): Promise<Account> {
  const account = await findAccountById(db, accountId);
  if (account === undefined || account.domain !== null) throw notFound("No such local account");
  return account;
}

async function setAliases(db: Database, account: Account, aliases: string[]): Promise<Account> {
  return await db.transaction(async (tx) => {
    const updated = returned(
      await tx
        .update(accounts)
        .set({ alsoKnownAs: aliases, updatedAt: new Date() })
        .where(and(eq(accounts.id, account.id), isNull(accounts.domain)))
        .returning(),
    );
    // The actor's Update carries the new alsoKnownAs to the followers' servers.
    await recordEvent(tx, { type: "account.updated", accountId: account.id });
    return updated;
  });
}

/**
 * Adds the account `handle` names (resolved through its server) to the local account's aliases, as
 * Mastodon's AccountAlias: it must exist, not be the account itself, and not be listed already.
 */
export async function addAlias(
  db: Database,
  resolve: AccountResolver,
  accountId: string,
  handle: string,
): Promise<Account> {
  const account = await localAccount(db, accountId);
  const target = await resolveHandle(db, resolve, handle, false);
  if (target.id === account.id) {
    throw new MoveRefused("self", "Your own account cannot be one of your aliases.");
  }
  if (account.alsoKnownAs.includes(target.iri)) {
    throw new MoveRefused("duplicate_alias", "That account is already one of your aliases.");
  }
  if (account.alsoKnownAs.length >= ALIASES_MAX) {
    throw new MoveRefused("too_many_aliases", `You can have at most ${ALIASES_MAX} aliases.`);
  }
  return await setAliases(db, account, [...account.alsoKnownAs, target.iri]);
}

/** Removes an alias (by the actor IRI stored); removing one that is not there changes nothing. */
export async function removeAlias(db: Database, accountId: string, iri: string): Promise<Account> {
  const account = await localAccount(db, accountId);
  if (!account.alsoKnownAs.includes(iri)) return account;
  return await setAliases(
    db,
    account,
    account.alsoKnownAs.filter((a) => a !== iri),
  );
}

/** An alias as the settings page lists it: the actor IRI stored, and its account when we know it. */
export interface Alias {
  iri: string;
  account: Account | null;
}

/** The local account's aliases, in the order they were added. */
export async function aliasesOf(db: Database, account: Account): Promise<Alias[]> {
  if (account.alsoKnownAs.length === 0) return [];
  const known = await db.select().from(accounts).where(inArray(accounts.iri, account.alsoKnownAs));
  const byIri = new Map(known.map((a) => [a.iri, a]));
  return account.alsoKnownAs.map((iri) => ({ iri, account: byIri.get(iri) ?? null }));
}

/** Where the account moved, when, and until when it cannot move again; null when it never moved. */
export interface CurrentMove {
  target: Account | null;
  movedAt: Date | null;
  cooldownEnd: Date | null;
}

export async function currentMove(
  db: Database,
  account: Account,
  now = new Date(),
): Promise<CurrentMove | null> {
  if (account.movedToAccountId === null) return null;
  const target = await findAccountById(db, account.movedToAccountId, { includeSuspended: true });
  return {
    target: target ?? null,
    movedAt: account.movedAt,
    cooldownEnd: moveCooldownEnd(account, now),
  };
}

/** The moment the account may move again, or null when it may now. */
export function moveCooldownEnd(account: Account, now = new Date()): Date | null {
  if (account.movedAt === null) return null;
  const end = new Date(account.movedAt.getTime() + MOVE_COOLDOWN_MS);
  return end > now ? end : null;
}

export interface MoveRequest {
  accountId: string;
  /** The new account's handle, as typed. */
  handle: string;
  /** The current password, confirming the move. */
  password: string;
  now?: Date;
}

/**
 * Moves a local account to another one (Mastodon's AccountMigration and MoveService): the password
 * confirms it; one move per 30 days; the target, fetched fresh from its server, must list this account
 * in its alsoKnownAs. Then movedTo is set (the actor's Update carries it), a Move goes to the followers'
 * servers (`account.moved`), and the followers on this server follow the new account instead.
 */
export async function moveAccount(
  db: Database,
  urls: LocalUrls,
  resolve: AccountResolver,
  request: MoveRequest,
): Promise<Account> {
  const now = request.now ?? new Date();
  const account = await localAccount(db, request.accountId);
  if ((await checkCredentials(db, account.username, request.password)) === null) {
    throw new MoveRefused(
      "wrong_password",
      "That password is not right; your account was not moved.",
    );
  }
  const until = moveCooldownEnd(account, now);
  if (until !== null) {
    throw new MoveRefused(
      "cooldown",
      `You moved less than 30 days ago; you can move again after ${until.toISOString().slice(0, 10)}.`,
    );
  }
  const target = await resolveHandle(db, resolve, request.handle, true);
  if (target.id === account.id) {
    throw new MoveRefused("self", "You cannot move to the account you are moving from.");
  }
  if (account.movedToAccountId === target.id) {
    throw new MoveRefused("already_moved", "Your account has already moved to that account.");
  }
  if (!target.alsoKnownAs.includes(account.iri)) {
    throw new MoveRefused(
      "missing_alias",
      "That account does not list this one as an alias: add it there first, then try again.",
    );
  }
  const moved = await db.transaction(async (tx) => {
    const updated = returned(
      await tx
        .update(accounts)
        .set({ movedToAccountId: target.id, movedAt: now, updatedAt: now })
        .where(eq(accounts.id, account.id))
        .returning(),
    );
    await recordEvent(tx, { type: "account.updated", accountId: account.id });
    await recordEvent(tx, {
      type: "account.moved",
      accountId: account.id,
      targetAccountId: target.id,
    });
    return updated;
  });
  await moveLocalFollowers(db, urls, moved, target);
  return moved;
}

/**
 * The local followers of `from` follow `to` instead (Mastodon's MoveWorker): each follows the new
 * account (a Follow goes out when it is remote), then stops following the old one. A follower the new
 * account blocks (or who blocks it) keeps following the old one, as Mastodon leaves a failed re-follow.
 */
export async function moveLocalFollowers(
  db: Database,
  urls: LocalUrls,
  from: Account,
  to: Account,
): Promise<number> {
  const rows = await db
    .select({ accountId: follows.accountId })
    .from(follows)
    .innerJoin(accounts, eq(accounts.id, follows.accountId))
    .where(
      and(
        eq(follows.targetAccountId, from.id),
        eq(follows.state, "accepted"),
        isNull(accounts.domain),
      ),
    );
  let moved = 0;
  for (const { accountId } of rows) {
    if (accountId === to.id) continue;
    const follower = await findAccountById(db, accountId);
    if (follower === undefined) continue;
    try {
      await followAccount(db, urls, follower, to);
    } catch (error) {
      if (!(error instanceof AcrossBlockError)) throw error;
      log.info("Not moving {follower}'s follow to {to}: a block stands between them.", {
        follower: follower.id,
        to: to.id,
      });
      continue;
    }
    await unfollowAccount(db, follower, from);
    moved++;
  }
  return moved;
}
