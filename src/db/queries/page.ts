// Id-ordered pages the way Mastodon pages: max_id (older than), since_id (newer than, newest first) and
// min_id (just newer than, the nearest first; the page is then returned newest first too).
import { asc, desc, gt, lt, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

export interface PageParams {
  maxId?: string | undefined;
  sinceId?: string | undefined;
  minId?: string | undefined;
  limit: number;
}

/** The bounds of a page, as values or as placeholders of a statement prepared once per page shape. */
type PageBounds = Pick<
  { [K in keyof PageParams]: string | Placeholder | undefined },
  "maxId" | "sinceId" | "minId"
>;

/** The WHERE conditions a page puts on its id column. */
export function pageConditions(column: SQLiteColumn, page: PageBounds): SQL[] {
  const out: SQL[] = [];
  if (page.maxId !== undefined) out.push(lt(column, page.maxId));
  if (page.sinceId !== undefined) out.push(gt(column, page.sinceId));
  if (page.minId !== undefined) out.push(gt(column, page.minId));
  return out;
}

/**
 * Which bounds a page has, as a short key: pages of one shape share one prepared statement, whose
 * bounds are the placeholders `pagePlaceholders` names and whose values `pageValues` gives.
 */
export function pageShape(page: PageParams): string {
  return `${page.maxId === undefined ? "-" : "M"}${page.sinceId === undefined ? "-" : "S"}${page.minId === undefined ? "-" : "m"}`;
}

export function pagePlaceholders(page: PageParams): PageBounds {
  return {
    maxId: page.maxId === undefined ? undefined : sql.placeholder("maxId"),
    sinceId: page.sinceId === undefined ? undefined : sql.placeholder("sinceId"),
    minId: page.minId === undefined ? undefined : sql.placeholder("minId"),
  };
}

/** The values for `pagePlaceholders`, and the page size as `limit`. */
export function pageValues(page: PageParams): Record<string, string | number> {
  const out: Record<string, string | number> = { limit: page.limit };
  if (page.maxId !== undefined) out.maxId = page.maxId;
  if (page.sinceId !== undefined) out.sinceId = page.sinceId;
  if (page.minId !== undefined) out.minId = page.minId;
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
