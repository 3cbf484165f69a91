// Id-ordered pages the way Mastodon pages: max_id (older than), since_id (newer than, newest first) and
// min_id (just newer than, the nearest first; the page is then returned newest first too).
import { asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

export interface PageParams {
  maxId?: string | undefined;
  sinceId?: string | undefined;
  minId?: string | undefined;
  limit: number;
}

/** The WHERE conditions a page puts on its id column. */
export function pageConditions(column: SQLiteColumn, page: PageParams): SQL[] {
  const out: SQL[] = [];
  if (page.maxId !== undefined) out.push(lt(column, page.maxId));
  if (page.sinceId !== undefined) out.push(gt(column, page.sinceId));
  if (page.minId !== undefined) out.push(gt(column, page.minId));
  return out;
}

/** min_id pages read upwards from the bound; the others read downwards from the newest. */
export function pageOrder(column: SQLiteColumn, page: PageParams): SQL {
  return page.minId !== undefined ? asc(column) : desc(column);
}

/** Puts a page read by pageOrder back into newest-first order. */
export function finishPage<T>(rows: T[], page: PageParams): T[] {
  return page.minId !== undefined ? rows.reverse() : rows;
}
