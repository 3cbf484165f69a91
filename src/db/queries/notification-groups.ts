// Grouped notifications (Mastodon 4.3's /api/v2/notifications): a page is `limit` groups, each shown by
// its newest notification in the page, with the count and the latest senders of the whole group up to
// the page's newest notification. Same visibility rules as the flat list (filterWhere).
import { and, desc, eq, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type Notification, type NotificationType, notifications } from "../schema/index.ts";
import { filterWhere, type NotificationFilters, unreadWhere } from "./notifications.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "./page.ts";

/** At most this many sender ids per group (Mastodon's SAMPLE_ACCOUNTS_SIZE). */
export const SAMPLE_ACCOUNTS = 8;

export interface NotificationGroupRow {
  groupKey: string;
  /** The group's newest notification up to the page's upper bound. */
  latest: Notification;
  count: number;
  sampleAccountIds: string[];
  pageMinId: string;
  pageMaxId: string;
  latestPageNotificationAt: Date;
}

/** The key a notification is shown under: its group key when its type is grouped, else its own. */
export function effectiveGroupKey(n: Notification, groupedTypes: readonly NotificationType[]) {
  return n.groupKey !== null && groupedTypes.includes(n.type) ? n.groupKey : `ungrouped-${n.id}`;
}

/** A page of groups, newest first, each with its whole-group data. */
export async function listNotificationGroups(
  db: DatabaseLike,
  accountId: string,
  filters: NotificationFilters,
  page: PageParams,
  groupedTypes: readonly NotificationType[],
): Promise<NotificationGroupRow[]> {
  const where = filterWhere(accountId, filters);
  // Walk the notifications in page order, keeping the first of every group not seen yet: a group's
  // older members are read but add no row, so the page still holds `limit` groups.
  const representatives: Notification[] = [];
  const seen = new Set<string>();
  const batch = Math.max(page.limit * 4, 40);
  let bounds: PageParams = page;
  for (;;) {
    const rows = await db
      .select()
      .from(notifications)
      .where(and(...where, ...pageConditions(notifications.id, bounds)))
      .orderBy(pageOrder(notifications.id, page))
      .limit(batch);
    for (const n of rows) {
      const key = effectiveGroupKey(n, groupedTypes);
      if (seen.has(key)) continue;
      seen.add(key);
      representatives.push(n);
      if (representatives.length >= page.limit) break;
    }
    if (rows.length < batch || representatives.length >= page.limit) break;
    const last = rows[rows.length - 1]!.id;
    bounds =
      page.minId !== undefined
        ? { ...page, minId: last }
        : { ...page, maxId: last, minId: undefined };
  }
  const ordered = finishPage(representatives, page);
  if (ordered.length === 0) return [];
  const range = { min: ordered[ordered.length - 1]!.id, max: ordered[0]!.id };
  // As Mastodon: the last page of a walk (fewer groups than asked) reaches to the walk's end, so its
  // groups' page_min_id (downwards) or newest notification (upwards) is not cut at the last group.
  if (representatives.length < page.limit) {
    if (page.minId !== undefined) range.max = page.maxId ? idBefore(page.maxId) : MAX_ID;
    else range.min = page.sinceId ? idAfter(page.sinceId) : "0";
  }
  return await withGroupData(db, accountId, filters, ordered, groupedTypes, range);
}

/** One group by key, over all of its notifications; undefined when it has none the list would show. */
export async function findNotificationGroup(
  db: DatabaseLike,
  accountId: string,
  groupKey: string,
  filters: NotificationFilters,
): Promise<NotificationGroupRow | undefined> {
  const single = /^ungrouped-(\d+)$/.exec(groupKey);
  const latest = (
    await db
      .select()
      .from(notifications)
      .where(and(...filterWhere(accountId, filters), keyCondition(groupKey, single?.[1])))
      .orderBy(desc(notifications.id))
      .limit(1)
  )[0];
  if (latest === undefined) return undefined;
  const types = single ? [] : [latest.type];
  return (
    await withGroupData(db, accountId, filters, [latest], types, { min: "0", max: latest.id })
  )[0];
}

/** The notifications of a group, newest first, paged by notification id (for its accounts). */
export async function listGroupNotifications(
  db: DatabaseLike,
  accountId: string,
  groupKey: string,
  page: PageParams,
): Promise<Notification[]> {
  const single = /^ungrouped-(\d+)$/.exec(groupKey);
  const rows = await db
    .select()
    .from(notifications)
    .where(
      and(
        ...filterWhere(accountId, {}),
        keyCondition(groupKey, single?.[1]),
        ...pageConditions(notifications.id, page),
      ),
    )
    .orderBy(pageOrder(notifications.id, page))
    .limit(page.limit);
  return finishPage(rows, page);
}

/** Groups with a notification after the notifications marker, counted up to `cap`. */
export async function countUnreadNotificationGroups(
  db: DatabaseLike,
  accountId: string,
  filters: NotificationFilters,
  groupedTypes: readonly NotificationType[],
  cap: number,
): Promise<number> {
  const grouped =
    groupedTypes.length === 0
      ? sql`null`
      : sql`case when ${inArray(notifications.type, [...groupedTypes])} then ${notifications.groupKey} end`;
  const key = sql<string>`coalesce(${grouped}, 'ungrouped-' || ${notifications.id})`;
  const rows = await db
    .selectDistinct({ key })
    .from(notifications)
    .where(and(...(await unreadWhere(db, accountId, filters))))
    .limit(cap);
  return rows.length;
}

const MAX_ID = "9".repeat(30);
const idAfter = (id: string) => (BigInt(id) + 1n).toString().padStart(id.length, "0");
const idBefore = (id: string) => (BigInt(id) - 1n).toString().padStart(id.length, "0");

function keyCondition(groupKey: string, singleId: string | undefined): SQL {
  return singleId !== undefined
    ? eq(notifications.id, singleId)
    : eq(notifications.groupKey, groupKey);
}

/**
 * Adds to each representative its group's data, as Mastodon computes it: count, newest notification
 * and samples over the group up to the page's upper bound, page_min_id the group's oldest within it.
 */
async function withGroupData(
  db: DatabaseLike,
  accountId: string,
  filters: NotificationFilters,
  representatives: Notification[],
  groupedTypes: readonly NotificationType[],
  range: { min: string; max: string },
): Promise<NotificationGroupRow[]> {
  const keys = [
    ...new Set(
      representatives
        .filter((n) => !effectiveGroupKey(n, groupedTypes).startsWith("ungrouped-"))
        .map((n) => n.groupKey!),
    ),
  ];
  const members =
    keys.length === 0
      ? []
      : await db
          .select()
          .from(notifications)
          .where(
            and(
              ...filterWhere(accountId, { includeFiltered: filters.includeFiltered }),
              inArray(notifications.groupKey, keys),
              lte(notifications.id, range.max),
            ),
          )
          .orderBy(desc(notifications.id));
  const byKey = new Map<string, Notification[]>();
  for (const n of members) {
    const list = byKey.get(n.groupKey!) ?? [];
    list.push(n);
    byKey.set(n.groupKey!, list);
  }
  return representatives.map((n) => {
    const key = effectiveGroupKey(n, groupedTypes);
    const group = byKey.get(key) ?? [n];
    const latest = group[0]!;
    const inPage = group.filter((m) => m.id >= range.min);
    const senders: string[] = [];
    for (const m of group) {
      if (senders.length >= SAMPLE_ACCOUNTS) break;
      if (!senders.includes(m.fromAccountId)) senders.push(m.fromAccountId);
    }
    return {
      groupKey: key,
      latest,
      count: group.length,
      sampleAccountIds: senders,
      pageMinId: (inPage[inPage.length - 1] ?? n).id,
      pageMaxId: latest.id,
      latestPageNotificationAt: latest.createdAt,
    };
  });
}
