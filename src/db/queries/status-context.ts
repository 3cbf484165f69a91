// The thread around a status: its visible ancestors and descendants, by the same visibility rules as the
// status opened on its own.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { rawRows } from "../dialect.ts";
import { type Status, statuses } from "../schema/index.ts";
import { visibleInThread, visibleOnItsOwn } from "./visibility.ts";

const MAX_ANCESTORS = 40;
const MAX_DESCENDANTS = 60;

/**
 * The visible ancestors (oldest first) and descendants (thread order) of a status; nothing across a
 * block either way (as findVisibleStatus, so a thread never shows what its posts' pages would not), and
 * nothing from a domain the viewer blocked (visibleInThread).
 */
export async function statusContext(
  db: DatabaseLike,
  viewerId: string | null,
  status: Status,
): Promise<{ ancestors: Status[]; descendants: Status[] }> {
  const ancestors: Status[] = [];
  let parentId = status.inReplyToId;
  const seen = new Set([status.id]);
  while (parentId !== null && ancestors.length < MAX_ANCESTORS && !seen.has(parentId)) {
    seen.add(parentId);
    const parent = (
      await db
        .select({
          status: statuses,
          inThread: sql<number>`${visibleInThread(viewerId)}`.mapWith(Number),
        })
        .from(statuses)
        .where(and(eq(statuses.id, parentId), visibleOnItsOwn(viewerId)))
        .limit(1)
    )[0];
    if (parent === undefined) break;
    // A parent from a domain the viewer blocked is left out, but the walk goes on past it (Mastodon
    // filters the ancestors it found), while a parent hidden by a block ends the thread as before.
    if (parent.inThread) ancestors.unshift(parent.status);
    parentId = parent.status.inReplyToId;
  }
  // A recursive walk down the reply tree, depth-first by id so the thread reads in order.
  const descendantIds = await rawRows<{ id: string }>(
    db,
    sql`with recursive tree(id, path) as (
      select id, id from statuses where in_reply_to_id = ${status.id}
      union all
      select s.id, tree.path || '/' || s.id from statuses s join tree on s.in_reply_to_id = tree.id
      where length(tree.path) < 4000
    ) select id from tree order by path limit ${MAX_DESCENDANTS * 2}`,
  );
  const byId = new Map(
    descendantIds.length === 0
      ? []
      : (
          await db
            .select()
            .from(statuses)
            .where(
              and(
                inArray(
                  statuses.id,
                  descendantIds.map((r) => r.id),
                ),
                visibleInThread(viewerId),
              ),
            )
        ).map((s) => [s.id, s]),
  );
  const descendants = descendantIds
    .map((r) => byId.get(r.id))
    .filter((s): s is Status => s !== undefined)
    .slice(0, MAX_DESCENDANTS);
  return { ancestors, descendants };
}
