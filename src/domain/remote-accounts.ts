// Remote accounts: storing and refreshing actors fetched from other servers (sanitizing what they say about
// themselves), and what happens when such an actor is deleted or moves.
import { eq, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { largerOf, rawRun, takeTurns } from "../db/dialect.ts";
import { newId } from "../db/ids.ts";
import { preparedPerHandle } from "../db/prepared.ts";
import { findAccountByUsername } from "../db/queries/accounts.ts";
import { returned } from "../db/returned.ts";
import {
  type Account,
  type ActorType,
  accounts,
  follows,
  type ProfileField,
} from "../db/schema/index.ts";
import { unprocessable } from "../errors.ts";
import { logger } from "../logging.ts";
import { linkAccountEmojis, profileTexts } from "./custom-emojis.ts";
import { recordEvent } from "./events.ts";
import { queueFollowerMove } from "./follower-moves.ts";
import { htmlToText, sanitizeRemoteHtml } from "./html-sanitizer.ts";
import { domainSuspension } from "./moderation.ts";
import { addNotification } from "./notification-records.ts";
import { persistRemoteEmojis, type RemoteEmojiInput, usedEmojiInputs } from "./remote-emojis.ts";

const log = logger("domain", "remote-accounts");

/** How long a fetched actor is trusted before it is fetched again. */
export const REMOTE_ACCOUNT_TTL_MS = 24 * 60 * 60 * 1000;

const LIMITS = { displayName: 200, note: 20_000, fields: 16, fieldName: 255 };

// Mastodon's patterns for what other servers name: a remote username (Account's USERNAME_RE; no length
// limit there for remote accounts, a generous bound here) and a custom emoji's shortcode. A handle
// outside them (spaces, "@", control or look-alike characters, markup) would break or spoof mentions,
// WebFinger and the pages, so such an actor is not stored and such an emoji is dropped.
const REMOTE_USERNAME = /^[a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?$/i;
const REMOTE_USERNAME_MAX_LENGTH = 2048;

/** Whether a remote actor's preferredUsername is one Mastodon would store. */
export function isValidRemoteUsername(username: string): boolean {
  return username.length <= REMOTE_USERNAME_MAX_LENGTH && REMOTE_USERNAME.test(username);
}

// The shortcode rule lives with the emojis; the inbox's reaction handler asks it here too.
export { isValidEmojiShortcode } from "./custom-emojis.ts";

export interface RemoteAccountInput {
  iri: string;
  username: string;
  /** host[:port] of the actor's id. */
  domain: string;
  url?: string | null;
  type: ActorType;
  displayName?: string | null;
  /** Bio as HTML, as received (sanitized here). */
  note?: string | null;
  avatarUrl?: string | null;
  headerUrl?: string | null;
  inboxUrl: string | null;
  sharedInboxUrl?: string | null;
  outboxUrl?: string | null;
  followersUrl?: string | null;
  followingUrl?: string | null;
  featuredUrl?: string | null;
  featuredTagsUrl?: string | null;
  locked?: boolean;
  bot?: boolean;
  discoverable?: boolean;
  indexable?: boolean;
  fields?: ProfileField[];
  /** The actor's `Emoji` tags (only those its name, bio and fields use are kept). */
  emojis?: RemoteEmojiInput[];
  alsoKnownAs?: string[];
  movedToIri?: string | null;
}

const accountByIri = preparedPerHandle((db) =>
  db
    .select()
    .from(accounts)
    .where(eq(accounts.iri, sql.placeholder("iri")))
    .prepare(),
);

export async function findAccountByIri(
  db: DatabaseLike,
  iri: string,
): Promise<Account | undefined> {
  return await accountByIri(db).get({ iri });
}

/** A remote account by handle (username@domain), case-insensitively (a suspended one too). */
export async function findRemoteAccountByHandle(
  db: DatabaseLike,
  username: string,
  domain: string,
): Promise<Account | undefined> {
  return await findAccountByUsername(db, username, domain.toLowerCase(), {
    includeSuspended: true,
  });
}

/** Whether a stored remote account should be fetched again. */
export function isRemoteAccountStale(account: Account, now = Date.now()): boolean {
  return (
    account.domain !== null && (account.fetchedAt?.getTime() ?? 0) + REMOTE_ACCOUNT_TTL_MS < now
  );
}

const bounded = (s: string | null | undefined, max: number) => (s ?? "").slice(0, max);

/**
 * Stores a remote actor, or refreshes the stored one with the same id. Everything it says about itself is
 * bounded and sanitized; its id decides which row it is, never its handle.
 */
export async function upsertRemoteAccount(
  db: Database,
  input: RemoteAccountInput,
): Promise<Account> {
  if (!isValidRemoteUsername(input.username)) {
    throw unprocessable("The actor's preferredUsername is not a valid username");
  }
  const values = {
    username: input.username,
    domain: input.domain.toLowerCase(),
    iri: input.iri,
    url: input.url ?? null,
    type: input.type,
    displayName: htmlToText(bounded(input.displayName, LIMITS.displayName)),
    note: sanitizeRemoteHtml(bounded(input.note, LIMITS.note)),
    avatarUrl: input.avatarUrl ?? null,
    headerUrl: input.headerUrl ?? null,
    inboxUrl: input.inboxUrl,
    sharedInboxUrl: input.sharedInboxUrl ?? null,
    outboxUrl: input.outboxUrl ?? null,
    followersUrl: input.followersUrl ?? null,
    followingUrl: input.followingUrl ?? null,
    featuredUrl: input.featuredUrl ?? null,
    featuredTagsUrl: input.featuredTagsUrl ?? null,
    locked: input.locked ?? false,
    bot: input.bot ?? (input.type === "Service" || input.type === "Application"),
    discoverable: input.discoverable ?? false,
    indexable: input.indexable ?? false,
    fields: (input.fields ?? []).slice(0, LIMITS.fields).map((f) => ({
      name: htmlToText(bounded(f.name, LIMITS.fieldName)),
      value: sanitizeRemoteHtml(bounded(f.value, 2000)),
    })),
    alsoKnownAs: (input.alsoKnownAs ?? []).slice(0, 20),
    fetchedAt: new Date(),
    updatedAt: new Date(),
  };
  return await db.transaction(async (tx) => {
    // Two handlers meeting a new actor at once (the inbox's parallel slots, a search resolving it)
    // would both find no row and both insert it; on PostgreSQL the second then fails on the unique iri.
    await takeTurns(tx, `remote-account:${input.iri}`);
    const existing = await findAccountByIri(tx, input.iri);
    let account: Account;
    if (existing !== undefined) {
      if (existing.domain === null)
        throw new Error(`Refusing to overwrite local actor ${input.iri}`);
      account = returned(
        await tx.update(accounts).set(values).where(eq(accounts.id, existing.id)).returning(),
      );
    } else {
      // Another actor may have held this handle before (an account re-created on its server); the
      // handle goes to the newest actor, and the old row keeps its history under a renamed handle.
      const clash = await findRemoteAccountByHandle(tx, values.username, values.domain);
      if (clash !== undefined) {
        await tx
          .update(accounts)
          .set({ username: `${clash.username}~${clash.id}` })
          .where(eq(accounts.id, clash.id));
      }
      account = returned(
        await tx
          .insert(accounts)
          // An actor of a blocked domain first seen now is suspended like those the block found.
          .values({
            id: newId(),
            ...values,
            suspendedAt: await domainSuspension(tx, values.domain),
          })
          .returning(),
      );
    }
    if (input.movedToIri) {
      const target = await findAccountByIri(tx, input.movedToIri);
      if (target !== undefined && target.id !== account.id) {
        await tx
          .update(accounts)
          .set({ movedToAccountId: target.id })
          .where(eq(accounts.id, account.id));
      }
    }
    // Emojis of the actor's own server only, and only those its profile uses.
    await persistRemoteEmojis(
      tx,
      values.domain,
      usedEmojiInputs(input.emojis ?? [], profileTexts(account)),
    );
    await linkAccountEmojis(tx, account);
    if (existing !== undefined)
      await recordEvent(tx, { type: "account.updated", accountId: account.id });
    return account;
  });
}

/** Removes a remote actor that deleted itself, with everything of it (statuses, follows, likes). */
export async function deleteRemoteAccount(db: Database, iri: string): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const account = await findAccountByIri(tx, iri);
    if (account === undefined || account.domain === null) return false;
    await adjustFollowCountsBeforeRemoval(tx, account.id);
    // Foreign keys cascade to statuses, media, follows, favourites, notifications.
    await tx.delete(accounts).where(eq(accounts.id, account.id));
    await recordEvent(tx, { type: "account.deleted", accountId: account.id, iri });
    log.info("Deleted remote account {iri}.", { iri });
    return true;
  });
}

async function adjustFollowCountsBeforeRemoval(tx: DatabaseLike, accountId: string): Promise<void> {
  await rawRun(
    tx,
    sql`update accounts set followers_count = ${largerOf()}(0, followers_count - 1)
    where id in (select target_account_id from follows where account_id = ${accountId} and state = 'accepted')`,
  );
  await rawRun(
    tx,
    sql`update accounts set following_count = ${largerOf()}(0, following_count - 1)
    where id in (select account_id from follows where target_account_id = ${accountId} and state = 'accepted')`,
  );
}

/**
 * A remote actor moved to another one that lists it in alsoKnownAs (and is not suspended): local followers
 * of the old actor are told (a "moved" notification) and follow the new one instead, as Mastodon's
 * MoveWorker re-follows them (queued in the same transaction, run by the worker: follower-moves.ts).
 */
export async function moveRemoteAccount(
  db: Database,
  from: Account,
  to: Account,
): Promise<boolean> {
  if (!to.alsoKnownAs.includes(from.iri) || to.suspendedAt !== null || to.id === from.id) {
    return false;
  }
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ movedToAccountId: to.id }).where(eq(accounts.id, from.id));
    const localFollowers = await tx
      .select({ accountId: follows.accountId })
      .from(follows)
      .where(eq(follows.targetAccountId, from.id));
    for (const f of localFollowers) {
      await addNotification(tx, { accountId: f.accountId, fromAccountId: from.id, type: "moved" });
    }
    await queueFollowerMove(tx, from, to);
  });
  return true;
}
