// Bookmarks: a private list of saved statuses (never federated, so no event is recorded).
import { and, eq } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { bookmarks } from "../db/schema/index.ts";

/** Saves a status for the account; bookmarking twice is a no-op. */
export async function bookmarkStatus(
  db: DatabaseLike,
  accountId: string,
  statusId: string,
): Promise<void> {
  await db.insert(bookmarks).values({ id: newId(), accountId, statusId }).onConflictDoNothing();
}

/** Removes a bookmark, if any. */
export async function unbookmarkStatus(
  db: DatabaseLike,
  accountId: string,
  statusId: string,
): Promise<void> {
  await db
    .delete(bookmarks)
    .where(and(eq(bookmarks.accountId, accountId), eq(bookmarks.statusId, statusId)));
}
