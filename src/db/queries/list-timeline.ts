// A list's timeline: its members' statuses and boosts that the owner may see, under the home
// timeline's rules (visibility, blocks, mutes, shareable boosts) and with the same two-step read (a
// window of recent statuses first, then the members' own index), plus the list's replies policy.
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { preparedPerShape } from "../prepared.ts";
import type { RepliesPolicy, Status } from "../schema/index.ts";
import { statuses } from "../schema/index.ts";
import type { PageParams } from "./page.ts";
import { run, VIEWER, windowEdge } from "./timelines.ts";
import { notSilencedFor, reblogTargetShareable, visibleTo } from "./visibility.ts";

const LIST = sql.placeholder("list");

/**
 * Which replies show, as Mastodon's list feeds filter them: statuses that are no reply, replies to
 * oneself and replies to the owner always; with `followed` replies to anyone the owner follows, with
 * `list` replies to the list's members, with `none` no other.
 */
function repliesAllowed(policy: RepliesPolicy): SQL {
  const base = sql`${statuses.inReplyToId} is null and ${statuses.inReplyToIri} is null
    or ${statuses.inReplyToAccountId} = ${statuses.accountId}
    or ${statuses.inReplyToAccountId} = ${VIEWER}`;
  if (policy === "followed") {
    return sql`(${base} or exists (select 1 from follows rf where rf.account_id = ${VIEWER}
      and rf.target_account_id = ${statuses.inReplyToAccountId} and rf.state = 'accepted'))`;
  }
  if (policy === "list") {
    return sql`(${base} or exists (select 1 from list_accounts rl where rl.list_id = ${LIST}
      and rl.account_id = ${statuses.inReplyToAccountId}))`;
  }
  return sql`(${base})`;
}

export async function listTimeline(
  db: DatabaseLike,
  viewerId: string,
  list: { id: string; repliesPolicy: RepliesPolicy },
  page: PageParams,
): Promise<Status[]> {
  const shown = [
    visibleTo(VIEWER),
    notSilencedFor(VIEWER),
    reblogTargetShareable(VIEWER, { mutes: true }),
    repliesAllowed(list.repliesPolicy),
  ];
  const edge = await windowEdge(db, page);
  const values = { viewer: viewerId, list: list.id, edge };
  const kind = `list ${list.repliesPolicy}`;
  const near = await run(
    db,
    edge === null ? `${kind} window-open` : `${kind} window`,
    () => [
      ...(edge === null
        ? []
        : [
            page.minId !== undefined
              ? sql`${statuses.id} <= ${sql.placeholder("edge")}`
              : sql`${statuses.id} >= ${sql.placeholder("edge")}`,
          ]),
      sql`exists (select 1 from list_accounts la where la.list_id = ${LIST}
        and la.account_id = ${statuses.accountId})`,
      ...shown,
    ],
    page,
    values,
  );
  if (near.length >= page.limit || edge === null) return near;
  return await run(
    db,
    `${kind} members`,
    () => [
      sql`${statuses.accountId} in (select la.account_id from list_accounts la
        where la.list_id = ${LIST})`,
      ...shown,
    ],
    page,
    values,
  );
}

const oneStatus = preparedPerShape<{ get(values: Record<string, unknown>): Promise<unknown> }>();

/**
 * Whether the status would show on the list's timeline for its owner (the streaming `list` stream asks
 * for each new status): the same conditions as listTimeline, on one row.
 */
export async function inListTimeline(
  db: DatabaseLike,
  viewerId: string,
  list: { id: string; repliesPolicy: RepliesPolicy },
  statusId: string,
): Promise<boolean> {
  const query = oneStatus(db, `list-one ${list.repliesPolicy}`, () =>
    db
      .select({ id: statuses.id })
      .from(statuses)
      .where(
        and(
          eq(statuses.id, sql.placeholder("status")),
          sql`exists (select 1 from list_accounts la where la.list_id = ${LIST}
            and la.account_id = ${statuses.accountId})`,
          visibleTo(VIEWER),
          notSilencedFor(VIEWER),
          reblogTargetShareable(VIEWER, { mutes: true }),
          repliesAllowed(list.repliesPolicy),
        ),
      )
      .prepare(),
  );
  return (await query.get({ viewer: viewerId, list: list.id, status: statusId })) !== undefined;
}
