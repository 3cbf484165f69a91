// Reads of a local account's filters with their keywords and statuses, loaded in batch: for the filter
// API and settings page (every filter) and for applying them (only the active ones, once per request).
import { and, asc, eq, gt, inArray, isNull, or } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import {
  type Filter,
  type FilterKeyword,
  type FilterStatus,
  filterKeywords,
  filterStatuses,
  filters,
} from "../schema/index.ts";

export type {
  Filter,
  FilterAction,
  FilterContext,
  FilterKeyword,
  FilterStatus,
} from "../schema/index.ts";

/** A filter with its rules, as the v2 API and the matcher need it. */
export interface FilterWithRules {
  filter: Filter;
  keywords: FilterKeyword[];
  statuses: FilterStatus[];
}

async function withRules(db: DatabaseLike, rows: Filter[]): Promise<FilterWithRules[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((f) => f.id);
  const keywords = await db
    .select()
    .from(filterKeywords)
    .where(inArray(filterKeywords.filterId, ids))
    .orderBy(asc(filterKeywords.id));
  const picked = await db
    .select()
    .from(filterStatuses)
    .where(inArray(filterStatuses.filterId, ids))
    .orderBy(asc(filterStatuses.id));
  return rows.map((filter) => ({
    filter,
    keywords: keywords.filter((k) => k.filterId === filter.id),
    statuses: picked.filter((s) => s.filterId === filter.id),
  }));
}

/** Every filter of the account, expired ones included, oldest first, with their rules. */
export async function filtersOf(db: DatabaseLike, accountId: string): Promise<FilterWithRules[]> {
  const rows = await db
    .select()
    .from(filters)
    .where(eq(filters.accountId, accountId))
    .orderBy(asc(filters.id));
  return await withRules(db, rows);
}

/** One filter of the account with its rules, or undefined (someone else's is not told apart). */
export async function findFilter(
  db: DatabaseLike,
  accountId: string,
  filterId: string,
): Promise<FilterWithRules | undefined> {
  const row = (
    await db
      .select()
      .from(filters)
      .where(and(eq(filters.id, filterId), eq(filters.accountId, accountId)))
      .limit(1)
  )[0];
  return row === undefined ? undefined : (await withRules(db, [row]))[0];
}

/** The filters that apply at `now` (not expired), with their rules: three indexed queries. */
export async function activeFiltersOf(
  db: DatabaseLike,
  accountId: string,
  now: Date = new Date(),
): Promise<FilterWithRules[]> {
  const rows = await db
    .select()
    .from(filters)
    .where(
      and(
        eq(filters.accountId, accountId),
        or(isNull(filters.expiresAt), gt(filters.expiresAt, now)),
      ),
    )
    .orderBy(asc(filters.id));
  return await withRules(db, rows);
}

/** A keyword of one of the account's filters, with that filter (v1 filters are keywords). */
export async function findKeyword(
  db: DatabaseLike,
  accountId: string,
  keywordId: string,
): Promise<{ keyword: FilterKeyword; filter: Filter } | undefined> {
  const row = (
    await db
      .select({ keyword: filterKeywords, filter: filters })
      .from(filterKeywords)
      .innerJoin(filters, eq(filters.id, filterKeywords.filterId))
      .where(and(eq(filterKeywords.id, keywordId), eq(filters.accountId, accountId)))
      .limit(1)
  )[0];
  return row ?? undefined;
}

/** Every keyword of the account's filters, with its filter, oldest first: the v1 filter list. */
export async function keywordsOf(
  db: DatabaseLike,
  accountId: string,
): Promise<{ keyword: FilterKeyword; filter: Filter }[]> {
  return await db
    .select({ keyword: filterKeywords, filter: filters })
    .from(filterKeywords)
    .innerJoin(filters, eq(filters.id, filterKeywords.filterId))
    .where(eq(filters.accountId, accountId))
    .orderBy(asc(filterKeywords.id));
}
