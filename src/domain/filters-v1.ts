// The v1 filter API on top of v2 filters, as Mastodon maps it: a v1 filter is one keyword, shown with its
// filter's context, expiry and action (irreversible ⇔ hide). Creating one makes a filter titled by the
// phrase with that one keyword; changing filter-wide settings through v1 is refused when the filter has
// other keywords, since v1 cannot show them; deleting removes the keyword only.
import { eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { findKeyword } from "../db/queries/filters.ts";
import { type Filter, type FilterKeyword, filterKeywords, filters } from "../db/schema/index.ts";
import { notFound, unprocessable } from "../errors.ts";
import {
  checkKeyword,
  createFilter,
  filterChanges,
  filtersChanged,
  keywordCount,
  removeFilterKeyword,
} from "./filters.ts";

export interface V1FilterInput {
  phrase?: string | undefined;
  context?: readonly string[] | undefined;
  irreversible?: boolean | undefined;
  wholeWord?: boolean | undefined;
  expiresIn?: number | null | undefined;
}

export interface V1Filter {
  keyword: FilterKeyword;
  filter: Filter;
}

async function found(db: Database, ownerId: string, keywordId: string): Promise<V1Filter> {
  const row = await findKeyword(db, ownerId, keywordId);
  if (row === undefined) throw notFound();
  return row;
}

export async function createV1Filter(
  db: Database,
  ownerId: string,
  input: V1FilterInput,
): Promise<V1Filter> {
  const phrase = checkKeyword(input.phrase ?? "", "Phrase");
  const made = await createFilter(db, ownerId, {
    title: phrase,
    context: input.context ?? [],
    filterAction: input.irreversible === true ? "hide" : "warn",
    expiresIn: input.expiresIn ?? null,
    keywords: [{ keyword: phrase, wholeWord: input.wholeWord ?? true }],
  });
  const keyword = made.keywords[0];
  if (keyword === undefined) throw new Error("a new v1 filter has its keyword");
  return { keyword, filter: made.filter };
}

export async function updateV1Filter(
  db: Database,
  ownerId: string,
  keywordId: string,
  input: V1FilterInput,
): Promise<V1Filter> {
  const current = await found(db, ownerId, keywordId);
  const keywordSet: Partial<Pick<FilterKeyword, "keyword" | "wholeWord">> = {};
  if (input.phrase !== undefined) keywordSet.keyword = checkKeyword(input.phrase, "Phrase");
  if (input.wholeWord !== undefined) keywordSet.wholeWord = input.wholeWord;
  const asked = filterChanges({
    title: input.phrase,
    context: input.context,
    expiresIn: input.expiresIn,
    ...(input.irreversible === undefined
      ? {}
      : { filterAction: input.irreversible ? "hide" : "warn" }),
  });
  // Only real changes count, as Rails' `changed?`: resending the same context is no change. A blur
  // filter sent irreversible=false stays blur (v1 knows only hide or not).
  const f = current.filter;
  const filterSet: typeof asked = {};
  if (asked.title !== undefined && asked.title !== f.title) filterSet.title = asked.title;
  if (asked.context !== undefined && asked.context.join() !== f.context.join()) {
    filterSet.context = asked.context;
  }
  if (asked.action !== undefined && (asked.action === "hide") !== (f.action === "hide")) {
    filterSet.action = asked.action;
  }
  if (asked.expiresAt !== undefined) filterSet.expiresAt = asked.expiresAt;
  await db.transaction(async (tx) => {
    await filtersChanged(tx, ownerId);
    if (Object.keys(keywordSet).length > 0) {
      await tx.update(filterKeywords).set(keywordSet).where(eq(filterKeywords.id, keywordId));
    }
    if (Object.keys(filterSet).length === 0) return;
    if ((await keywordCount(tx, f.id)) > 1) {
      throw unprocessable(
        "These parameters cannot be changed from this application because they apply to more than one filter keyword. Use a more recent application or the web interface.",
      );
    }
    await tx.update(filters).set(filterSet).where(eq(filters.id, f.id));
  });
  return await found(db, ownerId, keywordId);
}

/** Removes the keyword a v1 filter is; its v2 filter stays (as Mastodon leaves it). */
export async function deleteV1Filter(
  db: Database,
  ownerId: string,
  keywordId: string,
): Promise<void> {
  await removeFilterKeyword(db, ownerId, keywordId);
}
