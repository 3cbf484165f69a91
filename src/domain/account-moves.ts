// Moving out, as Mastodon does it: a local user lists the accounts they are "also known as" (aliases,
// sent as the actor's alsoKnownAs), and moves to another account that lists them in return. A move sets
// movedTo on the actor, sends a Move to the followers' servers and queues the move of the followers on
// this server (follower-moves.ts, the same job a remote actor's Move received here queues). A redirect
// only sets movedTo (the profile's "moved" notice), and cancelling one clears it (Mastodon's
// Settings::Migration::RedirectsController and MigrationsController#cancel).
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { findAccountById } from "../db/queries/accounts.ts";
import { returned } from "../db/returned.ts";
import { type Account, accounts } from "../db/schema/index.ts";
import { AppError, notFound } from "../errors.ts";
import { findLocalAccount } from "./accounts.ts";
import { recordEvent } from "./events.ts";
import { type FollowerMove, latestFollowerMove, queueFollowerMove } from "./follower-moves.ts";
import { parseHandle } from "./handles.ts";
import { checkCredentials } from "./sessions.ts";

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

/** The local account, once `password` is its own (the confirmation a move, a redirect or its end asks). */
async function confirmedAccount(
  db: Database,
  request: { accountId: string; password: string },
  unchanged: string,
): Promise<Account> {
  const account = await localAccount(db, request.accountId);
  if ((await checkCredentials(db, account.username, request.password)) === null) {
    throw new MoveRefused("wrong_password", `That password is not right; ${unchanged}.`);
  }
  return account;
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

/**
 * What Settings → Moving shows: where the profile points now (a Move's target, or a redirect's), the
 * last Move and its followers' progress, and until when the account cannot move again. The cooldown
 * counts from the last Move (`movedAt`), which neither a redirect nor cancelling one changes.
 */
export interface MigrationStatus {
  /** The moved-to account (`moved` on the Account entity); `byMove` when a Move set it. */
  redirect: { target: Account | null; byMove: boolean } | null;
  lastMove: { at: Date; followers: FollowerMove | null } | null;
  cooldownEnd: Date | null;
}

export async function migrationStatus(
  db: Database,
  account: Account,
  now = new Date(),
): Promise<MigrationStatus> {
  const job = (await latestFollowerMove(db, account.id)) ?? null;
  let redirect: MigrationStatus["redirect"] = null;
  if (account.movedToAccountId !== null) {
    const target = await findAccountById(db, account.movedToAccountId, { includeSuspended: true });
    // A redirect set after a Move to the same account reads as that Move (its followers moved there).
    const byMove =
      account.movedAt !== null &&
      (job === null || job.targetAccountId === account.movedToAccountId);
    redirect = { target: target ?? null, byMove };
  }
  return {
    redirect,
    lastMove: account.movedAt === null ? null : { at: account.movedAt, followers: job },
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
 * servers (`account.moved`), and the followers on this server are queued to follow the new account
 * instead (the worker moves them in batches; migrationStatus shows how far it got).
 */
export async function moveAccount(
  db: Database,
  resolve: AccountResolver,
  request: MoveRequest,
): Promise<Account> {
  const now = request.now ?? new Date();
  const account = await confirmedAccount(db, request, "your account was not moved");
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
    await queueFollowerMove(tx, updated, target);
    return updated;
  });
  return moved;
}

/** Sets or clears movedTo (not movedAt: the cooldown counts real Moves only); the actor's Update tells. */
async function setMovedTo(db: Database, account: Account, to: string | null): Promise<Account> {
  return await db.transaction(async (tx) => {
    const updated = returned(
      await tx
        .update(accounts)
        .set({ movedToAccountId: to, updatedAt: new Date() })
        .where(eq(accounts.id, account.id))
        .returning(),
    );
    await recordEvent(tx, { type: "account.updated", accountId: account.id });
    return updated;
  });
}

/**
 * Redirects the profile to another account without moving (Mastodon's Form::Redirect): the password
 * confirms it; the target, fetched fresh, must exist, not be this account, and not be the one already
 * moved to. No alias is needed and no Move is sent; followers stay. A redirect does not start a cooldown.
 */
export async function redirectAccount(
  db: Database,
  resolve: AccountResolver,
  request: Omit<MoveRequest, "now">,
): Promise<Account> {
  const account = await confirmedAccount(db, request, "your profile was not changed");
  const target = await resolveHandle(db, resolve, request.handle, true);
  if (target.id === account.id) {
    throw new MoveRefused("self", "You cannot redirect to the account you are redirecting from.");
  }
  if (account.movedToAccountId === target.id) {
    throw new MoveRefused("already_moved", "Your profile already points to that account.");
  }
  return await setMovedTo(db, account, target.id);
}

/**
 * Ends the redirect (Mastodon's MigrationsController#cancel): `moved` is cleared and an Update without
 * movedTo goes out; followers already moved stay where they are. The last Move's time stays, so
 * cancelling does not shorten its cooldown. Nothing changes when there is no redirect.
 */
export async function cancelRedirect(
  db: Database,
  request: { accountId: string; password: string },
): Promise<Account> {
  const account = await confirmedAccount(db, request, "your redirect was not cancelled");
  if (account.movedToAccountId === null) return account;
  return await setMovedTo(db, account, null);
}
