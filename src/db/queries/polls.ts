// Reads of poll votes for serializing: which options a viewer chose in each of a page's polls.
import { and, eq, inArray } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { pollVotes } from "../schema/index.ts";

/** The viewer's choices (option indexes, ascending) in each of `statusIds` they voted in. */
export async function ownPollVotes(
  db: DatabaseLike,
  viewerId: string,
  statusIds: string[],
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (statusIds.length === 0) return out;
  const rows = await db
    .select({ statusId: pollVotes.statusId, choice: pollVotes.choice })
    .from(pollVotes)
    .where(and(eq(pollVotes.accountId, viewerId), inArray(pollVotes.statusId, statusIds)))
    .orderBy(pollVotes.choice);
  for (const r of rows) out.set(r.statusId, [...(out.get(r.statusId) ?? []), r.choice]);
  return out;
}
