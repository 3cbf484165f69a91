// Conversations (Mastodon's /api/v1/conversations): each direct status, written here or received, joins
// the conversation of every local participant (its author and the accounts it mentions), one per thread
// and set of other participants, as Mastodon keys them, unread for all but its author. Reading and
// removing act on the caller's own.
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { returned } from "../db/returned.ts";
import {
  accounts,
  conversationStatuses,
  conversations,
  type Status,
  statuses,
} from "../db/schema/index.ts";
import { notFound } from "../errors.ts";
import { hasBlocked } from "./block-policy.ts";
import { mentionedAccountIds } from "./notification-records.ts";

/** How far up a reply chain the thread's first status is looked for (a longer chain starts its own). */
const MAX_THREAD_DEPTH = 64;

/**
 * The thread a status belongs to, named by its first status: the root of its reply chain as far as
 * it is stored (Mastodon's conversation_id, which a reply takes from its parent). A reply to a status
 * not stored here is named by that status's ActivityPub id.
 */
async function threadOf(db: DatabaseLike, status: Status): Promise<string> {
  let current: Pick<Status, "id" | "inReplyToId" | "inReplyToIri"> = status;
  for (let depth = 0; depth < MAX_THREAD_DEPTH; depth++) {
    if (current.inReplyToId === null) return current.inReplyToIri ?? current.id;
    const parent = (
      await db
        .select({
          id: statuses.id,
          inReplyToId: statuses.inReplyToId,
          inReplyToIri: statuses.inReplyToIri,
        })
        .from(statuses)
        .where(eq(statuses.id, current.inReplyToId))
        .limit(1)
    )[0];
    if (parent === undefined) return current.inReplyToIri ?? current.inReplyToId;
    current = parent;
  }
  return current.id;
}

/**
 * Adds a direct status to its local participants' conversations (in the caller's transaction, after
 * its mentions are stored). A participant who blocked the author gets nothing, as it gets no
 * notification; anything but a direct status is left alone.
 */
export async function addToConversations(db: DatabaseLike, status: Status): Promise<void> {
  if (status.visibility !== "direct" || status.reblogOfId !== null) return;
  const participants = [
    ...new Set([status.accountId, ...(await mentionedAccountIds(db, status.id))]),
  ];
  const local = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(inArray(accounts.id, participants), isNull(accounts.domain)));
  const thread = local.length === 0 ? "" : await threadOf(db, status);
  for (const { id: owner } of local) {
    if (owner !== status.accountId && (await hasBlocked(db, owner, status.accountId))) continue;
    const others = participants.filter((p) => p !== owner).sort();
    const unread = owner !== status.accountId;
    const conversation = returned(
      await db
        .insert(conversations)
        .values({
          id: newId(),
          accountId: owner,
          // One conversation per thread and set of other participants.
          participantKey: `${thread} ${others.join(" ")}`,
          participantIds: others,
          unread,
        })
        .onConflictDoUpdate({
          target: [conversations.accountId, conversations.participantKey],
          set: { unread },
        })
        .returning({ id: conversations.id }),
    );
    await db
      .insert(conversationStatuses)
      .values({ conversationId: conversation.id, statusId: status.id })
      .onConflictDoNothing();
  }
}

async function ownConversation(db: DatabaseLike, accountId: string, id: string): Promise<void> {
  const row = (
    await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.id, id), eq(conversations.accountId, accountId)))
      .limit(1)
  )[0];
  if (row === undefined) throw notFound();
}

/** Marks one of the account's conversations read; someone else's or an unknown one is a 404. */
export async function markConversationRead(
  db: DatabaseLike,
  accountId: string,
  id: string,
): Promise<void> {
  await ownConversation(db, accountId, id);
  await db.update(conversations).set({ unread: false }).where(eq(conversations.id, id));
}

/**
 * Removes one of the account's conversations from its list (the statuses stay); a later direct
 * status among the same participants starts a new one, as on Mastodon.
 */
export async function removeConversation(
  db: DatabaseLike,
  accountId: string,
  id: string,
): Promise<void> {
  await ownConversation(db, accountId, id);
  await db.delete(conversations).where(eq(conversations.id, id));
}
