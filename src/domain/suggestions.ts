// Dismissed follow suggestions: an account a user removed from their suggestions is never suggested to
// them again (db/queries/suggestions.ts leaves it out).
import type { DatabaseLike } from "../db/client.ts";
import { suggestionDismissals } from "../db/schema/index.ts";

/** `accountId` no longer wants `targetId` suggested; repeating it is harmless. */
export async function dismissSuggestion(
  db: DatabaseLike,
  accountId: string,
  targetId: string,
): Promise<void> {
  await db
    .insert(suggestionDismissals)
    .values({ accountId, targetAccountId: targetId })
    .onConflictDoNothing();
}
