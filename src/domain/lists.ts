// Lists, as Mastodon 4.3 keeps them: up to 50 per local account, each a title, a replies policy and an
// `exclusive` flag (members' statuses then leave the owner's home timeline). Members are accounts the
// owner follows or asked to follow (or the owner), and leave the list when that follow ends: the
// membership row references the follow and goes with it (db/schema/lists.ts).
import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { returned } from "../db/returned.ts";
import { follows, type List, listAccounts, lists, type RepliesPolicy } from "../db/schema/index.ts";
import { notFound, unprocessable } from "../errors.ts";

/** Mastodon's List::PER_ACCOUNT_LIMIT. */
export const LISTS_PER_ACCOUNT = 50;
/** Titles are short labels; a bound keeps one request from storing an arbitrarily long one. */
export const LIST_TITLE_MAX = 256;
export const REPLIES_POLICIES: readonly RepliesPolicy[] = ["followed", "list", "none"];

export interface ListInput {
  title?: string | undefined;
  repliesPolicy?: string | undefined;
  exclusive?: boolean | undefined;
}

function checkTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed === "") throw unprocessable("Validation failed: Title can't be blank");
  if (trimmed.length > LIST_TITLE_MAX) {
    throw unprocessable(
      `Validation failed: Title is too long (maximum is ${LIST_TITLE_MAX} characters)`,
    );
  }
  return trimmed;
}

function checkPolicy(policy: string): RepliesPolicy {
  if (!(REPLIES_POLICIES as readonly string[]).includes(policy)) {
    throw unprocessable("Validation failed: Replies policy is not included in the list");
  }
  return policy as RepliesPolicy;
}

/** The owner's list by id, or 404 for anyone else's (Mastodon does not tell them apart). */
export async function ownList(db: DatabaseLike, ownerId: string, listId: string): Promise<List> {
  const list = (
    await db
      .select()
      .from(lists)
      .where(and(eq(lists.id, listId), eq(lists.accountId, ownerId)))
      .limit(1)
  )[0];
  if (list === undefined) throw notFound();
  return list;
}

/** The owner's lists, oldest first (Mastodon's order). */
export async function listsOf(db: DatabaseLike, ownerId: string): Promise<List[]> {
  return await db.select().from(lists).where(eq(lists.accountId, ownerId)).orderBy(asc(lists.id));
}

/** The owner's lists that hold `accountId`. */
export async function listsContaining(
  db: DatabaseLike,
  ownerId: string,
  accountId: string,
): Promise<List[]> {
  return await db
    .select(
      // Only the list's columns: the join is a filter.
      {
        id: lists.id,
        accountId: lists.accountId,
        title: lists.title,
        repliesPolicy: lists.repliesPolicy,
        exclusive: lists.exclusive,
        createdAt: lists.createdAt,
      },
    )
    .from(listAccounts)
    .innerJoin(lists, eq(lists.id, listAccounts.listId))
    .where(and(eq(listAccounts.accountId, accountId), eq(lists.accountId, ownerId)))
    .orderBy(asc(lists.id));
}

export async function createList(db: Database, ownerId: string, input: ListInput): Promise<List> {
  const title = checkTitle(input.title ?? "");
  const repliesPolicy = checkPolicy(input.repliesPolicy ?? "list");
  return await db.transaction(async (tx) => {
    const held = (
      await tx.select({ n: count() }).from(lists).where(eq(lists.accountId, ownerId)).limit(1)
    )[0];
    if ((held?.n ?? 0) >= LISTS_PER_ACCOUNT) {
      throw unprocessable("Validation failed: You have reached the maximum number of lists");
    }
    return returned(
      await tx
        .insert(lists)
        .values({
          id: newId(),
          accountId: ownerId,
          title,
          repliesPolicy,
          exclusive: input.exclusive ?? false,
        })
        .returning(),
    );
  });
}

/** Changes what `input` names; a title, when given, must not be blank. */
export async function updateList(
  db: Database,
  ownerId: string,
  listId: string,
  input: ListInput,
): Promise<List> {
  const list = await ownList(db, ownerId, listId);
  const set: Partial<Pick<List, "title" | "repliesPolicy" | "exclusive">> = {};
  if (input.title !== undefined) set.title = checkTitle(input.title);
  if (input.repliesPolicy !== undefined) set.repliesPolicy = checkPolicy(input.repliesPolicy);
  if (input.exclusive !== undefined) set.exclusive = input.exclusive;
  if (Object.keys(set).length === 0) return list;
  return (await db.update(lists).set(set).where(eq(lists.id, list.id)).returning())[0] ?? list;
}

/** Deletes the list; its memberships go with it (cascade). */
export async function deleteList(db: Database, ownerId: string, listId: string): Promise<void> {
  const list = await ownList(db, ownerId, listId);
  await db.delete(lists).where(eq(lists.id, list.id));
}

/**
 * Adds accounts to the owner's list, all or none: each must be followed (or requested) by the owner, or
 * be the owner, and not be on the list already — Mastodon's ListAccount validations and messages.
 * Unknown accounts are the caller's 404 (it resolves ids to accounts first).
 */
export async function addListAccounts(
  db: Database,
  ownerId: string,
  listId: string,
  accountIds: readonly string[],
): Promise<void> {
  const list = await ownList(db, ownerId, listId);
  const wanted = [...new Set(accountIds)];
  if (wanted.length === 0) return;
  await db.transaction(async (tx) => {
    const followIds = new Map(
      (
        await tx
          .select({ id: follows.id, target: follows.targetAccountId })
          .from(follows)
          .where(and(eq(follows.accountId, ownerId), inArray(follows.targetAccountId, wanted)))
      ).map((f) => [f.target, f.id]),
    );
    const present = new Set(
      (
        await tx
          .select({ accountId: listAccounts.accountId })
          .from(listAccounts)
          .where(and(eq(listAccounts.listId, list.id), inArray(listAccounts.accountId, wanted)))
      ).map((m) => m.accountId),
    );
    for (const accountId of wanted) {
      if (present.has(accountId)) {
        throw unprocessable("Validation failed: Account has already been taken");
      }
      const followId = followIds.get(accountId) ?? null;
      if (followId === null && accountId !== ownerId) {
        throw unprocessable("Validation failed: Account follow relationship missing");
      }
      await tx.insert(listAccounts).values({ id: newId(), listId: list.id, accountId, followId });
    }
  });
}

/** Removes accounts from the owner's list (those not on it are ignored, as Mastodon does). */
export async function removeListAccounts(
  db: Database,
  ownerId: string,
  listId: string,
  accountIds: readonly string[],
): Promise<void> {
  const list = await ownList(db, ownerId, listId);
  if (accountIds.length === 0) return;
  await db
    .delete(listAccounts)
    .where(and(eq(listAccounts.listId, list.id), inArray(listAccounts.accountId, [...accountIds])));
}
