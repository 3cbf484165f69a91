// Deleting a local account at its owner's (or an administrator's) request: everything the account made
// or set goes, in one transaction with the `account.deleted` event; the accounts row stays as a tombstone
// (the username stays reserved, the actor URL answers 410 Gone) and keeps its signing keys until the
// outbox has signed the Delete(Person) its followers' servers need, then discardActorKeys drops them.
import { and, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { largerOf, rawRun } from "../db/dialect.ts";
import {
  accountDomainBlocks,
  accounts,
  actorKeys,
  announcementDismissals,
  announcementReactions,
  blocks,
  bookmarks,
  datasetConsentEvents,
  emojiReactions,
  favourites,
  filters,
  follows,
  generationJobs,
  lists,
  loginWeeks,
  markers,
  mediaAttachments,
  mutes,
  notifications,
  oauthAccessTokens,
  oauthAuthorizationCodes,
  statuses,
  suggestionDismissals,
  tagFollows,
  users,
  webSessions,
} from "../db/schema/index.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { logger } from "../logging.ts";
import { usedMediaKeys } from "../media/prune.ts";
import type { MediaStore } from "../media/store.ts";
import { findLocalAccount } from "./accounts.ts";
import { recordEvent } from "./events.ts";

const log = logger("domain", "account-deletion");

/** A remote actor that must hear of the deletion (the rows that named it are gone by delivery time). */
export interface DeletedActorRecipient {
  iri: string;
  inboxUrl: string;
  sharedInboxUrl: string | null;
}

export interface DeletedLocalAccount {
  accountId: string;
  username: string;
  iri: string;
  recipients: DeletedActorRecipient[];
  /** Media files removed from the store (not shared with another row). */
  filesRemoved: number;
}

/**
 * Remote followers and followed actors of `accountId`: the servers that hold a copy of this actor and
 * its posts. Mastodon sends Delete(Person) to every server it knows; these are the ones that care.
 */
async function recipientsOf(tx: DatabaseLike, accountId: string): Promise<DeletedActorRecipient[]> {
  const rows = await tx
    .select({
      iri: accounts.iri,
      inboxUrl: accounts.inboxUrl,
      sharedInboxUrl: accounts.sharedInboxUrl,
    })
    .from(accounts)
    .where(
      and(
        isNotNull(accounts.domain),
        isNotNull(accounts.inboxUrl),
        or(
          inArray(
            accounts.id,
            tx
              .select({ id: follows.accountId })
              .from(follows)
              .where(eq(follows.targetAccountId, accountId)),
          ),
          inArray(
            accounts.id,
            tx
              .select({ id: follows.targetAccountId })
              .from(follows)
              .where(eq(follows.accountId, accountId)),
          ),
        ),
      ),
    );
  return rows.map((r) => ({ iri: r.iri, inboxUrl: r.inboxUrl!, sharedInboxUrl: r.sharedInboxUrl }));
}

/** Keeps the counters of other accounts and statuses true once this account's rows are gone. */
async function adjustCounters(tx: DatabaseLike, accountId: string): Promise<void> {
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
  await rawRun(
    tx,
    sql`update statuses set favourites_count = ${largerOf()}(0, favourites_count - 1)
    where id in (select status_id from favourites where account_id = ${accountId})`,
  );
  await rawRun(
    tx,
    sql`update statuses set reblogs_count = ${largerOf()}(0, reblogs_count - 1)
    where id in (select reblog_of_id from statuses where account_id = ${accountId} and reblog_of_id is not null)`,
  );
  // One account may have replied to a post many times; each reply counted once.
  await rawRun(
    tx,
    sql`update statuses set replies_count = ${largerOf()}(0, replies_count - (select count(*) from statuses r
      where r.in_reply_to_id = statuses.id and r.account_id = ${accountId}))
    where account_id != ${accountId}
      and id in (select in_reply_to_id from statuses where account_id = ${accountId} and in_reply_to_id is not null)`,
  );
}

/**
 * Deletes the local account `username`: its statuses (and boosts), media, follows both ways, likes,
 * bookmarks, blocks, mutes, domain blocks, followed tags, notifications, sessions, OAuth tokens and
 * generation jobs, and its credentials. Records `account.deleted` with the recipients of the Delete(Person);
 * the keys stay until
 * the outbox has used them. Files no other row names are then removed from `store`. Generation spending
 * stays (it is the instance's bookkeeping, not the user's content). Refuses the last administrator.
 */
export async function deleteLocalAccount(
  db: Database,
  store: MediaStore | null,
  username: string,
): Promise<DeletedLocalAccount> {
  const { result, fileKeys } = await db.transaction(async (tx) => {
    const account = await findLocalAccount(tx, username);
    const user =
      account === undefined
        ? undefined
        : (await tx.select().from(users).where(eq(users.accountId, account.id)).limit(1))[0];
    if (account === undefined || account.deletedAt !== null || user === undefined) {
      throw notFound(`No local user named "${username}"`);
    }
    if (user.admin) {
      const admins = await tx
        .select({ id: users.accountId })
        .from(users)
        .where(eq(users.admin, true));
      if (admins.length <= 1) {
        throw conflict(
          "This is the only administrator: make another user an administrator before deleting it.",
        );
      }
    }
    const id = account.id;
    const recipients = await recipientsOf(tx, id);
    await recordEvent(tx, {
      type: "account.deleted",
      accountId: id,
      iri: account.iri,
      local: { username: account.username, recipients },
    });
    await adjustCounters(tx, id);
    const media = await tx
      .select({
        a: mediaAttachments.originalKey,
        b: mediaAttachments.displayKey,
        c: mediaAttachments.thumbnailKey,
      })
      .from(mediaAttachments)
      .where(eq(mediaAttachments.accountId, id));
    // Statuses cascade to their attachments, mentions, tags, edits, likes, boosts and notifications.
    await tx.delete(statuses).where(eq(statuses.accountId, id));
    await tx.delete(mediaAttachments).where(eq(mediaAttachments.accountId, id));
    await tx.delete(generationJobs).where(eq(generationJobs.accountId, id));
    await tx.delete(follows).where(or(eq(follows.accountId, id), eq(follows.targetAccountId, id)));
    await tx.delete(blocks).where(or(eq(blocks.accountId, id), eq(blocks.targetAccountId, id)));
    await tx.delete(mutes).where(or(eq(mutes.accountId, id), eq(mutes.targetAccountId, id)));
    await tx.delete(accountDomainBlocks).where(eq(accountDomainBlocks.accountId, id));
    await tx.delete(favourites).where(eq(favourites.accountId, id));
    await tx.delete(emojiReactions).where(eq(emojiReactions.accountId, id));
    await tx.delete(bookmarks).where(eq(bookmarks.accountId, id));
    await tx
      .delete(notifications)
      .where(or(eq(notifications.accountId, id), eq(notifications.fromAccountId, id)));
    await tx.delete(markers).where(eq(markers.accountId, id));
    // Endorsements end with the follows (a trigger); reactions and dismissals of announcements, and
    // dismissed suggestions (either side), go here.
    await tx.delete(announcementReactions).where(eq(announcementReactions.accountId, id));
    await tx.delete(announcementDismissals).where(eq(announcementDismissals.accountId, id));
    await tx
      .delete(suggestionDismissals)
      .where(
        or(eq(suggestionDismissals.accountId, id), eq(suggestionDismissals.targetAccountId, id)),
      );
    await tx.delete(loginWeeks).where(eq(loginWeeks.accountId, id));
    // Its own lists; its memberships in others' lists went with the follows above.
    await tx.delete(lists).where(eq(lists.accountId, id));
    await tx.delete(tagFollows).where(eq(tagFollows.accountId, id));
    // Its filters, with their keywords and picked statuses (cascade).
    await tx.delete(filters).where(eq(filters.accountId, id));
    await tx.delete(webSessions).where(eq(webSessions.accountId, id));
    await tx.delete(oauthAccessTokens).where(eq(oauthAccessTokens.accountId, id));
    await tx.delete(oauthAuthorizationCodes).where(eq(oauthAuthorizationCodes.accountId, id));
    // The consent history goes with the user: nothing of theirs can be exported any more.
    await tx.delete(datasetConsentEvents).where(eq(datasetConsentEvents.accountId, id));
    await tx.delete(users).where(eq(users.accountId, id));
    const now = new Date();
    await tx
      .update(accounts)
      .set({
        displayName: "",
        note: "",
        fields: [],
        avatarUrl: null,
        headerUrl: null,
        avatarMediaId: null,
        headerMediaId: null,
        alsoKnownAs: [],
        followersCount: 0,
        followingCount: 0,
        statusesCount: 0,
        lastStatusAt: null,
        discoverable: false,
        indexable: false,
        updatedAt: now,
        suspendedAt: now,
        deletedAt: now,
      })
      .where(eq(accounts.id, id));
    const keys = new Set<string>();
    for (const m of media) for (const k of [m.a, m.b, m.c]) if (k !== null) keys.add(k);
    return {
      result: { accountId: id, username: account.username, iri: account.iri, recipients },
      fileKeys: [...keys],
    };
  });
  log.info("Deleted local account {username}; {count} servers to tell.", {
    username: result.username,
    count: result.recipients.length,
  });
  return {
    ...result,
    filesRemoved: store === null ? 0 : await removeUnusedFiles(db, store, fileKeys),
  };
}

/** Removes the files among `keys` that no attachment row names any more (files are shared by hash). */
async function removeUnusedFiles(db: Database, store: MediaStore, keys: string[]): Promise<number> {
  const used = await usedMediaKeys(db);
  let removed = 0;
  for (const key of keys) {
    if (used.has(key)) continue;
    try {
      await store.delete(key);
      removed++;
    } catch (error) {
      // A file left behind is found by the media prune later; the account is deleted regardless.
      log.warning("Could not remove media file {key}: {error}", { key, error });
    }
  }
  return removed;
}

/**
 * Drops the signing keys of a deleted local account, once the outbox no longer needs them (its
 * Delete(Person) is queued with the key material it was signed with). Refuses a live account.
 */
export async function discardActorKeys(db: Database, accountId: string): Promise<void> {
  const account = (
    await db
      .select({ deletedAt: accounts.deletedAt })
      .from(accounts)
      .where(and(eq(accounts.id, accountId), isNull(accounts.domain)))
      .limit(1)
  )[0];
  if (account === undefined || account.deletedAt === null) {
    throw badRequest("Only a deleted account's keys can be discarded.");
  }
  await db.delete(actorKeys).where(eq(actorKeys.accountId, accountId));
}
