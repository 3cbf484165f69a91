// The viewer's saved statuses: bookmarks and favourites, paged by when they were saved (the link row's
// id), which is what Mastodon's Link headers on these lists carry.
import { and, eq, type SQL } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { bookmarks, favourites, type Status, statuses } from "../schema/index.ts";
import { finishPage, type PageParams, pageConditions, pageOrder } from "./page.ts";
import { visibleTo } from "./visibility.ts";

export interface StatusPage {
  statuses: Status[];
  keys: string[];
}

async function savedPage(
  db: DatabaseLike,
  table: typeof bookmarks | typeof favourites,
  viewerId: string,
  page: PageParams,
): Promise<StatusPage> {
  const where: SQL[] = [eq(table.accountId, viewerId), visibleTo(viewerId)];
  const rows = await db
    .select({ key: table.id, status: statuses })
    .from(table)
    .innerJoin(statuses, eq(statuses.id, table.statusId))
    .where(and(...where, ...pageConditions(table.id, page)))
    .orderBy(pageOrder(table.id, page))
    .limit(page.limit);
  const ordered = finishPage(rows, page);
  return { statuses: ordered.map((r) => r.status), keys: ordered.map((r) => r.key) };
}

export async function bookmarkedStatuses(
  db: DatabaseLike,
  viewerId: string,
  page: PageParams,
): Promise<StatusPage> {
  return await savedPage(db, bookmarks, viewerId, page);
}

export async function favouritedStatuses(
  db: DatabaseLike,
  viewerId: string,
  page: PageParams,
): Promise<StatusPage> {
  return await savedPage(db, favourites, viewerId, page);
}
