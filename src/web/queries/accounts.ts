// Reads of accounts for the pages: finding a profile by its handle, counts, and the viewer's relationship.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { findAccountByUsername } from "../../db/queries/accounts.ts";
import { type Account, follows } from "../../db/schema/index.ts";
import * as handles from "../../domain/handles.ts";

/**
 * The account a profile path names: `@alice` (local), `@alice@host` (remote, or local when host is ours).
 * Suspended accounts are not found. Hono has already percent-decoded the path parameter.
 */
export function findAccountByHandle(
  db: Database,
  handle: string,
  localDomain: string,
): Account | undefined {
  // Profile paths always start with '@' (a bare name is some other page).
  if (!handle.startsWith("@")) return undefined;
  return handles.findAccountByHandle(db, handle, localDomain);
}

/** Whether a profile path names a local account its owner deleted (its page answers 410 Gone). */
export function isDeletedLocalHandle(db: Database, handle: string, localDomain: string): boolean {
  if (!handle.startsWith("@")) return false;
  const parsed = handles.parseHandle(handle);
  if (parsed === null || !handles.isLocalHandle(parsed, localDomain)) return false;
  const row = findAccountByUsername(db, parsed.username, null, { includeSuspended: true });
  return row?.deletedAt != null;
}

/** Accepted follows in each direction, counted (local accounts); remote ones use their own counters. */
export function followCounts(db: Database, a: Account): { followers: number; following: number } {
  if (a.domain !== null) return { followers: a.followersCount, following: a.followingCount };
  const count = (column: typeof follows.accountId) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(follows)
      .where(and(eq(column, a.id), eq(follows.state, "accepted")))
      .get()?.n ?? 0;
  return { followers: count(follows.targetAccountId), following: count(follows.accountId) };
}

/** How `viewerId` relates to `target`: their own, following, requested, or none. */
export function relationshipOf(
  db: Database,
  viewerId: string | null,
  target: Account,
): "anonymous" | "self" | "following" | "requested" | "none" {
  if (viewerId === null) return "anonymous";
  if (viewerId === target.id) return "self";
  const follow = db
    .select({ state: follows.state })
    .from(follows)
    .where(and(eq(follows.accountId, viewerId), eq(follows.targetAccountId, target.id)))
    .get();
  if (follow === undefined) return "none";
  return follow.state === "accepted" ? "following" : "requested";
}
