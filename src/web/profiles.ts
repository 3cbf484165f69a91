// The account a profile path names and how the viewer relates to it, read through db/queries and the
// domain's handle rules (the client API asks the same functions).
import type { Database } from "../db/client.ts";
import { findAccountByUsername, relationships } from "../db/queries/accounts.ts";
import type { Account } from "../db/queries/rows.ts";
import * as handles from "../domain/handles.ts";

/**
 * The account a profile path names: `@alice` (local), `@alice@host` (remote, or local when host is ours).
 * Suspended accounts are not found. Hono has already percent-decoded the path parameter.
 */
export async function findAccountByHandle(
  db: Database,
  handle: string,
  localDomain: string,
): Promise<Account | undefined> {
  // Profile paths always start with '@' (a bare name is some other page).
  if (!handle.startsWith("@")) return undefined;
  return await handles.findAccountByHandle(db, handle, localDomain);
}

/** Whether a profile path names a local account its owner deleted (its page answers 410 Gone). */
export async function isDeletedLocalHandle(
  db: Database,
  handle: string,
  localDomain: string,
): Promise<boolean> {
  if (!handle.startsWith("@")) return false;
  const parsed = handles.parseHandle(handle);
  if (parsed === null || !handles.isLocalHandle(parsed, localDomain)) return false;
  const row = await findAccountByUsername(db, parsed.username, null, { includeSuspended: true });
  return row?.deletedAt != null;
}

export type Relationship = "anonymous" | "self" | "following" | "requested" | "none";

/** How `viewerId` relates to `target` for the follow button: the API's relationship, summed up. */
export async function relationshipOf(
  db: Database,
  viewerId: string | null,
  target: Account,
): Promise<Relationship> {
  if (viewerId === null) return "anonymous";
  if (viewerId === target.id) return "self";
  const rel = (await relationships(db, viewerId, [target.id]))[0]!;
  if (rel.following !== null) return "following";
  return rel.requested ? "requested" : "none";
}
