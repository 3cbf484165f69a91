// Filters, as Mastodon 4 keeps them: a local account's titled rules (contexts, an action, an optional
// expiry) with keywords and picked statuses. The v2 API edits them whole (keywords_attributes with
// _destroy, as Rails' nested attributes) or rule by rule; the v1 API sees each keyword as one filter
// (filters-v1.ts). Validation messages are Mastodon's, so clients show what they would show there.
import { and, count, eq } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { type FilterWithRules, findFilter } from "../db/queries/filters.ts";
import { findVisibleStatus } from "../db/queries/statuses.ts";
import { returned } from "../db/returned.ts";
import {
  type Filter,
  type FilterAction,
  type FilterContext,
  type FilterKeyword,
  type FilterStatus,
  filterKeywords,
  filterStatuses,
  filters,
} from "../db/schema/index.ts";
import { notFound, unprocessable } from "../errors.ts";
import { recordEvent } from "./events.ts";

export const FILTER_CONTEXTS: readonly FilterContext[] = [
  "home",
  "notifications",
  "public",
  "thread",
  "account",
];
export const FILTER_ACTIONS: readonly FilterAction[] = ["warn", "hide", "blur"];
/** Mastodon's CustomFilterKeyword::KEYWORD_LENGTH_LIMIT. */
export const KEYWORD_MAX = 512;
// Mastodon sets no count limits; these bound what one account can make every request of theirs compile.
export const FILTER_TITLE_MAX = 256;
export const FILTERS_PER_ACCOUNT = 100;
export const KEYWORDS_PER_FILTER = 100;
export const STATUSES_PER_FILTER = 1000;
/** expires_in beyond this (ten years) is taken for a mistake rather than stored. */
const EXPIRES_IN_MAX = 10 * 365 * 24 * 3600;

export interface KeywordAttributes {
  id?: string | undefined;
  keyword?: string | undefined;
  wholeWord?: boolean | undefined;
  /** Rails' `_destroy`: remove this keyword (only with an id). */
  destroy?: boolean | undefined;
}

export interface FilterInput {
  title?: string | undefined;
  context?: readonly string[] | undefined;
  filterAction?: string | undefined;
  /** Seconds from now; null clears the expiry (an empty `expires_in`); undefined leaves it. */
  expiresIn?: number | null | undefined;
  keywords?: readonly KeywordAttributes[] | undefined;
}

function checkTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed === "") throw unprocessable("Validation failed: Title can't be blank");
  if (trimmed.length > FILTER_TITLE_MAX) {
    throw unprocessable(
      `Validation failed: Title is too long (maximum is ${FILTER_TITLE_MAX} characters)`,
    );
  }
  return trimmed;
}

/** Mastodon strips and drops blank entries, then wants at least one, each a known context. */
export function checkContext(context: readonly string[]): FilterContext[] {
  const kept = [...new Set(context.map((c) => c.trim()).filter((c) => c !== ""))];
  if (kept.length === 0) {
    throw unprocessable(
      "Validation failed: Context can't be blank, Context None or invalid context supplied",
    );
  }
  if (kept.some((c) => !(FILTER_CONTEXTS as readonly string[]).includes(c))) {
    throw unprocessable("Validation failed: Context None or invalid context supplied");
  }
  return kept as FilterContext[];
}

function checkAction(action: string): FilterAction {
  if (!(FILTER_ACTIONS as readonly string[]).includes(action)) {
    throw unprocessable(`Validation failed: '${action}' is not a valid filter_action`);
  }
  return action as FilterAction;
}

/** `expires_in` seconds → the expiry time (null: never). */
export function expiryOf(expiresIn: number | null, now: Date = new Date()): Date | null {
  if (expiresIn === null) return null;
  if (!Number.isInteger(expiresIn) || expiresIn < 0 || expiresIn > EXPIRES_IN_MAX) {
    throw unprocessable("Validation failed: Expires in is not a valid duration");
  }
  return new Date(now.getTime() + expiresIn * 1000);
}

/** A keyword's text, checked; `prefix` names it as Rails names a nested record ("Keywords keyword"). */
export function checkKeyword(keyword: string, prefix = "Keyword"): string {
  if (keyword.trim() === "") throw unprocessable(`Validation failed: ${prefix} can't be blank`);
  if (keyword.length > KEYWORD_MAX) {
    throw unprocessable(
      `Validation failed: ${prefix} is too long (maximum is ${KEYWORD_MAX} characters)`,
    );
  }
  return keyword;
}

/** The owner's filter with its rules, or 404 for anyone else's (Mastodon does not tell them apart). */
export async function ownFilter(
  db: DatabaseLike,
  ownerId: string,
  filterId: string,
): Promise<FilterWithRules> {
  const found = await findFilter(db, ownerId, filterId);
  if (found === undefined) throw notFound();
  return found;
}

export async function keywordCount(db: DatabaseLike, filterId: string): Promise<number> {
  return (
    (
      await db
        .select({ n: count() })
        .from(filterKeywords)
        .where(eq(filterKeywords.filterId, filterId))
        .limit(1)
    )[0]?.n ?? 0
  );
}

async function checkKeywordRoom(db: DatabaseLike, filterId: string): Promise<void> {
  if ((await keywordCount(db, filterId)) > KEYWORDS_PER_FILTER) {
    throw unprocessable(`Validation failed: A filter has at most ${KEYWORDS_PER_FILTER} keywords`);
  }
}

/**
 * Applies keywords_attributes to a filter inside the caller's transaction, as Rails' nested attributes:
 * an entry with an id changes (or with `_destroy` removes) that keyword of this filter (404 when it is
 * not one), one without an id adds a keyword, and an entry with nothing in it is skipped.
 */
async function applyKeywordAttributes(
  tx: DatabaseLike,
  filterId: string,
  entries: readonly KeywordAttributes[],
): Promise<void> {
  for (const entry of entries) {
    if (entry.id !== undefined) {
      const existing = (
        await tx
          .select()
          .from(filterKeywords)
          .where(and(eq(filterKeywords.id, entry.id), eq(filterKeywords.filterId, filterId)))
          .limit(1)
      )[0];
      if (existing === undefined) throw notFound();
      if (entry.destroy === true) {
        await tx.delete(filterKeywords).where(eq(filterKeywords.id, existing.id));
        continue;
      }
      const set: Partial<Pick<FilterKeyword, "keyword" | "wholeWord">> = {};
      if (entry.keyword !== undefined)
        set.keyword = checkKeyword(entry.keyword, "Keywords keyword");
      if (entry.wholeWord !== undefined) set.wholeWord = entry.wholeWord;
      if (Object.keys(set).length > 0) {
        await tx.update(filterKeywords).set(set).where(eq(filterKeywords.id, existing.id));
      }
      continue;
    }
    if (entry.destroy === true) continue;
    if (entry.keyword === undefined && entry.wholeWord === undefined) continue;
    await tx.insert(filterKeywords).values({
      id: newId(),
      filterId,
      keyword: checkKeyword(entry.keyword ?? "", "Keywords keyword"),
      wholeWord: entry.wholeWord ?? true,
    });
  }
  await checkKeywordRoom(tx, filterId);
}

/** Records that the owner's filters changed, so their open streams hear `filters_changed`. */
export async function filtersChanged(tx: DatabaseLike, ownerId: string): Promise<void> {
  await recordEvent(tx, { type: "filters.changed", accountId: ownerId });
}

/** Creates a filter of `ownerId` with its keywords; title and context are required. */
export async function createFilter(
  db: Database,
  ownerId: string,
  input: FilterInput,
): Promise<FilterWithRules> {
  const title = checkTitle(input.title ?? "");
  const context = checkContext(input.context ?? []);
  const action = checkAction(input.filterAction ?? "warn");
  const expiresAt = expiryOf(input.expiresIn ?? null);
  const id = await db.transaction(async (tx) => {
    const held = (
      await tx.select({ n: count() }).from(filters).where(eq(filters.accountId, ownerId)).limit(1)
    )[0];
    if ((held?.n ?? 0) >= FILTERS_PER_ACCOUNT) {
      throw unprocessable(`Validation failed: You can have at most ${FILTERS_PER_ACCOUNT} filters`);
    }
    const row = returned(
      await tx
        .insert(filters)
        .values({ id: newId(), accountId: ownerId, title, context, action, expiresAt })
        .returning(),
    );
    await applyKeywordAttributes(tx, row.id, input.keywords ?? []);
    await filtersChanged(tx, ownerId);
    return row.id;
  });
  return await ownFilter(db, ownerId, id);
}

/** What of a filter's own columns `input` changes (each checked), without writing it. */
export function filterChanges(
  input: FilterInput,
): Partial<Pick<Filter, "title" | "context" | "action" | "expiresAt">> {
  const set: Partial<Pick<Filter, "title" | "context" | "action" | "expiresAt">> = {};
  if (input.title !== undefined) set.title = checkTitle(input.title);
  if (input.context !== undefined) set.context = checkContext(input.context);
  if (input.filterAction !== undefined) set.action = checkAction(input.filterAction);
  if (input.expiresIn !== undefined) set.expiresAt = expiryOf(input.expiresIn);
  return set;
}

/** Changes what `input` names of the owner's filter, keywords included, all or nothing. */
export async function updateFilter(
  db: Database,
  ownerId: string,
  filterId: string,
  input: FilterInput,
): Promise<FilterWithRules> {
  const { filter } = await ownFilter(db, ownerId, filterId);
  const set = filterChanges(input);
  await db.transaction(async (tx) => {
    if (Object.keys(set).length > 0) {
      await tx.update(filters).set(set).where(eq(filters.id, filter.id));
    }
    await applyKeywordAttributes(tx, filter.id, input.keywords ?? []);
    await filtersChanged(tx, ownerId);
  });
  return await ownFilter(db, ownerId, filter.id);
}

/** Deletes the owner's filter with its keywords and statuses (cascade). */
export async function deleteFilter(db: Database, ownerId: string, filterId: string): Promise<void> {
  const { filter } = await ownFilter(db, ownerId, filterId);
  await db.transaction(async (tx) => {
    await tx.delete(filters).where(eq(filters.id, filter.id));
    await filtersChanged(tx, ownerId);
  });
}

/** The owner's keyword (of any of their filters), or 404. */
export async function ownKeyword(
  db: DatabaseLike,
  ownerId: string,
  keywordId: string,
): Promise<FilterKeyword> {
  const row = (
    await db
      .select({ keyword: filterKeywords })
      .from(filterKeywords)
      .innerJoin(filters, eq(filters.id, filterKeywords.filterId))
      .where(and(eq(filterKeywords.id, keywordId), eq(filters.accountId, ownerId)))
      .limit(1)
  )[0];
  if (row === undefined) throw notFound();
  return row.keyword;
}

/** Adds a keyword to the owner's filter (whole_word defaults to true, as Mastodon's column). */
export async function addFilterKeyword(
  db: Database,
  ownerId: string,
  filterId: string,
  input: { keyword?: string | undefined; wholeWord?: boolean | undefined },
): Promise<FilterKeyword> {
  const { filter } = await ownFilter(db, ownerId, filterId);
  const keyword = checkKeyword(input.keyword ?? "");
  return await db.transaction(async (tx) => {
    const row = returned(
      await tx
        .insert(filterKeywords)
        .values({ id: newId(), filterId: filter.id, keyword, wholeWord: input.wholeWord ?? true })
        .returning(),
    );
    await checkKeywordRoom(tx, filter.id);
    await filtersChanged(tx, ownerId);
    return row;
  });
}

export async function updateFilterKeyword(
  db: Database,
  ownerId: string,
  keywordId: string,
  input: { keyword?: string | undefined; wholeWord?: boolean | undefined },
): Promise<FilterKeyword> {
  const existing = await ownKeyword(db, ownerId, keywordId);
  const set: Partial<Pick<FilterKeyword, "keyword" | "wholeWord">> = {};
  if (input.keyword !== undefined) set.keyword = checkKeyword(input.keyword);
  if (input.wholeWord !== undefined) set.wholeWord = input.wholeWord;
  if (Object.keys(set).length === 0) return existing;
  return await db.transaction(async (tx) => {
    const row = (
      await tx.update(filterKeywords).set(set).where(eq(filterKeywords.id, existing.id)).returning()
    )[0];
    await filtersChanged(tx, ownerId);
    return row ?? existing;
  });
}

export async function removeFilterKeyword(
  db: Database,
  ownerId: string,
  keywordId: string,
): Promise<void> {
  const existing = await ownKeyword(db, ownerId, keywordId);
  await db.transaction(async (tx) => {
    await tx.delete(filterKeywords).where(eq(filterKeywords.id, existing.id));
    await filtersChanged(tx, ownerId);
  });
}

/** The owner's picked status (of any of their filters), or 404. */
export async function ownFilterStatus(
  db: DatabaseLike,
  ownerId: string,
  id: string,
): Promise<FilterStatus> {
  const row = (
    await db
      .select({ status: filterStatuses })
      .from(filterStatuses)
      .innerJoin(filters, eq(filters.id, filterStatuses.filterId))
      .where(and(eq(filterStatuses.id, id), eq(filters.accountId, ownerId)))
      .limit(1)
  )[0];
  if (row === undefined) throw notFound();
  return row.status;
}

/**
 * Adds a status to the owner's filter. It must be one the owner may see (an invisible one answers as
 * an unknown one, so the filter API tells nothing about it) and not be in the filter already.
 */
export async function addFilterStatus(
  db: Database,
  ownerId: string,
  filterId: string,
  statusId: string,
): Promise<FilterStatus> {
  const { filter, statuses } = await ownFilter(db, ownerId, filterId);
  if (statusId === "" || (await findVisibleStatus(db, ownerId, statusId)) === undefined) {
    throw unprocessable("Validation failed: Status must exist");
  }
  if (statuses.some((s) => s.statusId === statusId)) {
    throw unprocessable("Validation failed: Status has already been taken");
  }
  if (statuses.length >= STATUSES_PER_FILTER) {
    throw unprocessable(`Validation failed: A filter has at most ${STATUSES_PER_FILTER} statuses`);
  }
  return await db.transaction(async (tx) => {
    const row = returned(
      await tx
        .insert(filterStatuses)
        .values({ id: newId(), filterId: filter.id, statusId })
        .returning(),
    );
    await filtersChanged(tx, ownerId);
    return row;
  });
}

export async function removeFilterStatus(db: Database, ownerId: string, id: string): Promise<void> {
  const existing = await ownFilterStatus(db, ownerId, id);
  await db.transaction(async (tx) => {
    await tx.delete(filterStatuses).where(eq(filterStatuses.id, existing.id));
    await filtersChanged(tx, ownerId);
  });
}
