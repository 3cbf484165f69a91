// Timeline reads: home, public, hashtag and an account's statuses, one indexed query each, paged by id.
// They return status rows; the API hydrates and serializes them in batch.
import { and, eq, getTableColumns, isNull, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { rowOrder } from "../dialect.ts";
import { preparedPerShape } from "../prepared.ts";
import { accounts, mediaAttachments, type Status, statuses, statusTags } from "../schema/index.ts";
import { hasFollowedTags } from "./followed-tags.ts";
import { hasExclusiveList, notInExclusiveList } from "./lists.ts";
import {
  finishPage,
  type PageParams,
  pageConditions,
  pageOrder,
  pagePlaceholders,
  pageShape,
  pageValues,
} from "./page.ts";
import {
  authoredOrFollowedBy,
  authorNotLimitedFor,
  authorNotSuspended,
  boostShownInHome,
  hasMedia,
  inHomeOf,
  notBlockedWith,
  notReplyToOthers,
  notSilencedFor,
  reblogTargetShareable,
  type Viewer,
  visibleTo,
} from "./visibility.ts";

// Every timeline query is prepared once per shape (which page bounds and filters it has) with its
// values as placeholders: building the SQL with drizzle on each request cost about as much as running
// it (~1 ms a page, measured with --cpu-prof in the timelines benchmark).
export const VIEWER = sql.placeholder("viewer");

interface TimelineQuery {
  all(values: Record<string, unknown>): Promise<Status[]>;
}

function prepareTimeline(db: DatabaseLike, where: SQL[], page: PageParams): TimelineQuery {
  return db
    .select()
    .from(statuses)
    .where(and(...where, ...pageConditions(statuses.id, pagePlaceholders(page))))
    .orderBy(pageOrder(statuses.id, page))
    .limit(sql.placeholder("limit"))
    .prepare();
}

/**
 * A hashtag's statuses are read from the (tag_name, status_id) index in page order, each joined to its
 * status: scanning the statuses newest first and probing each for the tag reads the whole table for a
 * rare or unknown tag (0.5 s at 1,000,000 statuses, against 0.07 ms this way). The cross join keeps
 * SQLite from putting statuses in the outer loop (and sorting them all).
 */
function prepareTagTimeline(db: DatabaseLike, where: SQL[], page: PageParams): TimelineQuery {
  return db
    .select(getTableColumns(statuses))
    .from(statusTags)
    .crossJoin(statuses)
    .where(
      and(
        eq(statusTags.tagName, sql.placeholder("tag")),
        eq(statuses.id, statusTags.statusId),
        ...where,
        ...pageConditions(statusTags.statusId, pagePlaceholders(page)),
      ),
    )
    .orderBy(pageOrder(statusTags.statusId, page))
    .limit(sql.placeholder("limit"))
    .prepare();
}

/**
 * Statuses with media, read from the attachments' (status_id, position) index in page order, once
 * per status (its first attachment): the same whole-table scan as for tags otherwise, when few
 * statuses carry media (2.9 s at 1,000,000 statuses without any).
 */
function prepareMediaTimeline(db: DatabaseLike, where: SQL[], page: PageParams): TimelineQuery {
  return db
    .select(getTableColumns(statuses))
    .from(mediaAttachments)
    .crossJoin(statuses)
    .where(
      and(
        eq(statuses.id, mediaAttachments.statusId),
        // Positions are 0..n-1 per status as written today; the rowid breaks a tie all the same, so
        // that a status can never show twice (the rowid, unlike the id, is in the index: no row read).
        sql`not exists (select 1 from media_attachments first
          where first.status_id = ${mediaAttachments.statusId}
          and (first.position < ${mediaAttachments.position}
            or first.position = ${mediaAttachments.position}
              and first.${rowOrder()} < ${mediaAttachments}.${rowOrder()}))`,
        ...where,
        ...pageConditions(mediaAttachments.statusId, pagePlaceholders(page)),
      ),
    )
    .orderBy(pageOrder(mediaAttachments.statusId, page))
    .limit(sql.placeholder("limit"))
    .prepare();
}

const timelineQueries = preparedPerShape<TimelineQuery>();

/**
 * One page: `kind` and the page's shape pick the prepared statement (`where`, with VIEWER and the
 * other placeholders `values` fills, builds it the first time with `prepare`).
 */
export async function run(
  db: DatabaseLike,
  kind: string,
  where: () => SQL[],
  page: PageParams,
  values: Record<string, unknown>,
  prepare = prepareTimeline,
): Promise<Status[]> {
  const query = timelineQueries(db, `${kind} ${pageShape(page)}`, () => prepare(db, where(), page));
  return finishPage(await query.all({ ...pageValues(page), ...values }), page);
}

// The home timeline first looks at the HOME_SCAN_WINDOW statuses nearest the page's bound (the newest,
// or those just past max_id/min_id) and keeps the followed ones; each check is one index probe, so this
// costs the same on page 1 and page 50 whatever the number of follows. When that window holds a page's
// worth, the page is exact: every status nearer the bound is in the window. Otherwise the followed
// accounts post too rarely for a scan to pay, and their statuses are collected through the
// (account_id, id) index and sorted instead. Measured on the benchmark's data (following 10% of the
// accounts): the collect-and-sort way alone took ~20-30 ms a page at 50,000 statuses and grows with
// them; the window takes well under a millisecond.
const HOME_SCAN_WINDOW = 2000;

// The window is a range of ids, from the page's bound to its edge (the HOME_SCAN_WINDOW-th status past
// the bound), so the scan walks the id index from the bound and stops at the page's last status: with
// many follows that is a few hundred rows, not the whole window (0.28 against 0.82 ms a page, measured
// on the benchmark's data). The edge is read first, once, and tells both queries what they need: past
// the last status there is none, the range runs to the end, and a short page is the whole answer.
const windowEdgeQueries = preparedPerShape<{
  get(values: Record<string, unknown>): Promise<unknown>;
}>();

/** The query for the window's edge, with the page's bounds as placeholders. */
function edgeQuery(db: DatabaseLike, page: PageParams) {
  return db
    .select({ id: statuses.id })
    .from(statuses)
    .where(and(...pageConditions(statuses.id, pagePlaceholders(page))))
    .orderBy(pageOrder(statuses.id, page))
    .limit(1)
    .offset(HOME_SCAN_WINDOW - 1);
}

/** The window's edge: the HOME_SCAN_WINDOW-th status (by anyone) past the page's bound, or null. */
export async function windowEdge(db: DatabaseLike, page: PageParams): Promise<string | null> {
  const query = windowEdgeQueries(db, pageShape(page), () => edgeQuery(db, page).prepare());
  const row = (await query.get(pageValues(page))) as { id: string } | undefined;
  return row?.id ?? null;
}

const homeContextQueries = preparedPerShape<{
  get(values: Record<string, unknown>): Promise<unknown>;
}>();

/**
 * What a home page needs to know before it reads: whether the viewer has an exclusive list and
 * follows a hashtag (which conditions the page gets), and the window's edge. One statement, read off
 * the viewer's account row: on PostgreSQL each statement is a round trip, and a page's Node CPU went
 * as much to sending and reading statements as to the rest (a CPU profile of the benchmark's pages).
 * Undefined when the viewer is no account (then nothing is in their home).
 */
async function homeContext(
  db: DatabaseLike,
  viewerId: string,
  page: PageParams,
): Promise<{ exclusive: boolean; tagged: boolean; edge: string | null } | undefined> {
  const query = homeContextQueries(db, pageShape(page), () =>
    db
      .select({
        exclusive: hasExclusiveList(VIEWER),
        tagged: hasFollowedTags(VIEWER),
        edge: sql<string | null>`(${edgeQuery(db, page)})`,
      })
      .from(accounts)
      .where(eq(accounts.id, VIEWER))
      .prepare(),
  );
  const row = (await query.get({ ...pageValues(page), viewer: viewerId })) as
    | { exclusive: unknown; tagged: unknown; edge: string | null }
    | undefined;
  if (row === undefined) return undefined;
  // SQLite answers EXISTS with 0 or 1, PostgreSQL with a boolean.
  return { exclusive: Boolean(row.exclusive), tagged: Boolean(row.tagged), edge: row.edge };
}

/**
 * Not a boost of a status that is in the home timeline itself (the viewer's own or a followed
 * account's): Mastodon's FeedManager does not insert a reblog into a feed that holds its original, so
 * neither a self-boost nor a friend's boost of a followed post shows twice. (Mastodon looks only at the
 * feed's last 40 entries; here the original's author decides, whatever its age.)
 */
function originalNotInHome(): SQL {
  return sql`(${statuses.reblogOfId} is null or not exists (select 1 from statuses o
    where o.id = ${statuses.reblogOfId} and (o.account_id = ${VIEWER} or exists (select 1
      from follows fo where fo.account_id = ${VIEWER} and fo.target_account_id = o.account_id
      and fo.state = 'accepted'))))`;
}

/**
 * The viewer's own statuses and those of accounts they follow (accepted), boosts included, and public
 * statuses carrying a hashtag they follow, whoever wrote them (visibility.ts inHomeOf). One query, so a
 * status both followed and tagged shows once.
 */
export async function homeTimeline(
  db: DatabaseLike,
  viewerId: string,
  page: PageParams,
): Promise<Status[]> {
  const shown = [
    visibleTo(VIEWER),
    notSilencedFor(VIEWER),
    reblogTargetShareable(VIEWER, { mutes: true }),
    originalNotInHome(),
    boostShownInHome(VIEWER),
  ];
  // Exclusive lists (lists.ts) and followed tags: only viewers who have them get the extra conditions
  // and statements of their own, so everyone else's home timeline keeps its plans as they were.
  const context = await homeContext(db, viewerId, page);
  if (context === undefined) return [];
  const { exclusive, tagged, edge } = context;
  if (exclusive) shown.push(notInExclusiveList(VIEWER));
  const home = `home${exclusive ? "-exclusive" : ""}${tagged ? "-tags" : ""}`;
  const values = { viewer: viewerId, edge };
  const near = await run(
    db,
    edge === null ? `${home}-window-open` : `${home}-window`,
    () => [
      ...(edge === null
        ? []
        : [
            page.minId !== undefined
              ? sql`${statuses.id} <= ${sql.placeholder("edge")}`
              : sql`${statuses.id} >= ${sql.placeholder("edge")}`,
          ]),
      tagged ? inHomeOf(VIEWER) : authoredOrFollowedBy(VIEWER),
      ...shown,
    ],
    page,
    values,
  );
  // Without an edge the window held every status past the bound (the last page, or a small
  // instance): the short page is already the whole answer.
  if (near.length >= page.limit || edge === null) return near;
  return await run(
    db,
    `${home}-followed`,
    () => [
      sql`(${statuses.accountId} = ${VIEWER} or ${statuses.accountId} in (select
        f.target_account_id from follows f where f.account_id = ${VIEWER} and f.state = 'accepted')
        ${tagged ? sql`or ${followedTagStatuses(page)}` : sql``})`,
      ...shown,
    ],
    page,
    values,
  );
}

/**
 * The collect-and-sort way's tagged statuses: every followed tag's statuses past the page's bound, from
 * the (tag_name, status_id) index (the bound is repeated inside, SQLite does not carry it into an IN
 * list), each checked for being public and no boost as carriesFollowedTag asks.
 */
function followedTagStatuses(page: PageParams): SQL {
  return sql`(${statuses.visibility} = 'public' and ${statuses.reblogOfId} is null
    and ${statuses.id} in (select ${statusTags.statusId} from tag_follows tf
      cross join ${statusTags} where tf.account_id = ${VIEWER}
      and ${statusTags.tagName} = tf.tag_name
      ${sql.join(
        pageConditions(statusTags.statusId, pagePlaceholders(page)).map((c) => sql` and ${c}`),
      )}))`;
}

export interface PublicTimelineFilters {
  local?: boolean;
  remote?: boolean;
  onlyMedia?: boolean;
}

function publicWhere(viewer: Viewer, filters: PublicTimelineFilters, withReplies: boolean): SQL[] {
  const where: SQL[] = [
    eq(statuses.visibility, "public"),
    isNull(statuses.reblogOfId),
    authorNotSuspended(),
    authorNotLimitedFor(viewer),
    notSilencedFor(viewer),
  ];
  if (!withReplies) where.push(notReplyToOthers());
  if (filters.local) where.push(eq(statuses.local, true));
  else if (filters.remote) where.push(eq(statuses.local, false));
  if (filters.onlyMedia) where.push(hasMedia());
  return where;
}

/**
 * The part of a statement's shape that the viewer (anonymous or not) and the filters decide. Filters
 * are read for truth here exactly as the builders read them, so one key never names two SQL texts.
 */
function flags(viewerId: string | null, ...on: (boolean | undefined)[]): string {
  return `${viewerId === null ? "anon" : "viewer"} ${on.map((x) => (x ? 1 : 0)).join("")}`;
}

/** Public statuses (no boosts, no replies to others), optionally only local, remote or with media. */
export async function publicTimeline(
  db: DatabaseLike,
  viewerId: string | null,
  filters: PublicTimelineFilters,
  page: PageParams,
): Promise<Status[]> {
  const viewer = viewerId === null ? null : VIEWER;
  return await run(
    db,
    `public ${flags(viewerId, filters.local, filters.remote, filters.onlyMedia)}`,
    () => publicWhere(viewer, { ...filters, onlyMedia: false }, false),
    page,
    { viewer: viewerId },
    filters.onlyMedia ? prepareMediaTimeline : prepareTimeline,
  );
}

/** Public statuses carrying a hashtag (lower-case name, without '#'). */
export async function tagTimeline(
  db: DatabaseLike,
  viewerId: string | null,
  tag: string,
  filters: PublicTimelineFilters,
  page: PageParams,
): Promise<Status[]> {
  const viewer = viewerId === null ? null : VIEWER;
  return await run(
    db,
    `tag ${flags(viewerId, filters.local, filters.remote, filters.onlyMedia)}`,
    // Hashtag timelines include replies, as Mastodon's do.
    () => publicWhere(viewer, filters, true),
    page,
    { viewer: viewerId, tag },
    prepareTagTimeline,
  );
}

export interface AccountStatusesFilters {
  onlyMedia?: boolean;
  excludeReplies?: boolean;
  excludeReblogs?: boolean;
  tagged?: string | undefined;
}

/**
 * An account's statuses and boosts that the viewer may see: none across a block, either way (a single
 * status is not found across one either, statuses.ts findVisibleStatus).
 */
export async function accountStatuses(
  db: DatabaseLike,
  viewerId: string | null,
  accountId: string,
  filters: AccountStatusesFilters,
  page: PageParams,
): Promise<Status[]> {
  const viewer = viewerId === null ? null : VIEWER;
  const tagged = filters.tagged !== undefined && filters.tagged !== "";
  const shape = flags(
    viewerId,
    filters.onlyMedia,
    filters.excludeReplies,
    filters.excludeReblogs,
    tagged,
  );
  return await run(
    db,
    `account ${shape}`,
    () => {
      const where: SQL[] = [
        eq(statuses.accountId, sql.placeholder("account")),
        visibleTo(viewer),
        notBlockedWith(viewer),
        reblogTargetShareable(viewer),
      ];
      if (filters.onlyMedia) where.push(hasMedia());
      if (filters.excludeReplies) where.push(notReplyToOthers());
      if (filters.excludeReblogs || filters.onlyMedia || tagged) {
        where.push(isNull(statuses.reblogOfId));
      }
      if (tagged) {
        where.push(
          sql`exists (select 1 from status_tags st where st.status_id = ${statuses.id}
            and st.tag_name = ${sql.placeholder("tagged")})`,
        );
      }
      return where;
    },
    page,
    { viewer: viewerId, account: accountId, tagged: filters.tagged?.toLowerCase() },
  );
}
