// Conversation reads: a local account's conversations, newest last status first, paged by that status's
// id as Mastodon pages them (its Link headers carry last_status_id), and the conversations a status went
// to, for the streaming API. The last status is the newest one still linked, so deleting a status
// needs no bookkeeping here.
import { and, asc, desc, eq, gt, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type Conversation, conversationStatuses, conversations } from "../schema/index.ts";
import { finishPage, type PageParams } from "./page.ts";

export interface ConversationRow {
  conversation: Conversation;
  /** The newest status of the conversation (the page key). */
  lastStatusId: string;
}

const lastStatusId = sql<string>`max(${conversationStatuses.statusId})`;

async function read(
  db: DatabaseLike,
  where: SQL | undefined,
  page?: PageParams,
): Promise<ConversationRow[]> {
  const bounds: SQL[] = [];
  if (page?.maxId !== undefined) bounds.push(lt(lastStatusId, page.maxId));
  if (page?.sinceId !== undefined) bounds.push(gt(lastStatusId, page.sinceId));
  if (page?.minId !== undefined) bounds.push(gt(lastStatusId, page.minId));
  const rows = await db
    .select({ conversation: conversations, lastStatusId })
    .from(conversations)
    .innerJoin(conversationStatuses, eq(conversationStatuses.conversationId, conversations.id))
    .where(where)
    .groupBy(conversations.id)
    .having(bounds.length > 0 ? and(...bounds) : undefined)
    .orderBy(page?.minId !== undefined ? asc(lastStatusId) : desc(lastStatusId))
    .limit(page?.limit ?? -1);
  return page ? finishPage(rows, page) : rows;
}

/** A page of the account's conversations (only those with a status left), newest first. */
export async function conversationsOf(
  db: DatabaseLike,
  accountId: string,
  page: PageParams,
): Promise<ConversationRow[]> {
  return await read(db, eq(conversations.accountId, accountId), page);
}

/** One of the account's conversations; undefined when unknown, someone else's, or left empty. */
export async function findConversation(
  db: DatabaseLike,
  accountId: string,
  id: string,
): Promise<ConversationRow | undefined> {
  return (await read(db, and(eq(conversations.id, id), eq(conversations.accountId, accountId))))[0];
}

/** Every account's conversation the status is part of (one per local participant). */
export async function conversationsWithStatus(
  db: DatabaseLike,
  statusId: string,
): Promise<ConversationRow[]> {
  const ids = (
    await db
      .select({ id: conversationStatuses.conversationId })
      .from(conversationStatuses)
      .where(eq(conversationStatuses.statusId, statusId))
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  return await read(db, inArray(conversations.id, ids));
}
