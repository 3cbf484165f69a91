// How status search reads the full-text index that migrations 0021 (SQLite) and 0006 (PostgreSQL) build
// and their triggers keep in step: which statuses contain the words and phrases of a query. Words are
// matched exactly, as the index cut them (lower case, no stemming; SQLite also folds diacritics), and a
// "quoted phrase" is its words in that order. The two stores differ only here:
// - SQLite's FTS5 table is keyed by the status id read as an integer, so walking its matches from the
//   highest rowid down is walking statuses newest first: search starts from the index and stops once a
//   page is full (searchSource), instead of collecting every match and sorting; a search of one
//   author's posts walks theirs and looks each one up in the index instead.
// - PostgreSQL's status_search_documents holds a tsvector per status under a GIN index, and the
//   planner, shown the words (tsQuery), picks between reading matches from the index and walking
//   statuses by id.
import { type SQL, sql } from "drizzle-orm";
import { integer, sqliteTable } from "drizzle-orm/sqlite-core";
import { onPostgres } from "../dialect.ts";
import { statuses } from "../schema/index.ts";

/** Text to find: a word, a "quoted phrase" or a #hashtag; negated ones must not be there. */
export interface TextTerm {
  kind: "word" | "phrase" | "hashtag";
  /** Lower case; for a hashtag, the name without '#'. */
  text: string;
  negated: boolean;
}

/**
 * The FTS5 table as queries name it (its rowid only). Not in schema/: drizzle-kit cannot make a virtual
 * table, so the migration does, and this declaration only lets a query join it.
 */
const statusSearch = sqliteTable("status_search", { rowid: integer("rowid").notNull() });

/** What a search asks of the text, read from its terms. */
export interface TextQuery {
  /** Words and phrases that must all be there (empty: the text does not choose the statuses). */
  wanted: string[];
  /** Words and phrases none of which may be there. */
  unwanted: string[];
  /** Hashtags, wanted or not: they are looked up in status_tags, not in the text. */
  hashtags: { name: string; negated: boolean }[];
  /** True when a wanted term has no word in it ("%%"): it can match nothing. */
  impossible: boolean;
}

// A term without a letter or a digit has no word the index could hold.
const HAS_WORD = /[\p{L}\p{N}]/u;

/** Sorts a query's terms into what the index is asked and what status_tags is. */
export function readTextQuery(terms: readonly TextTerm[]): TextQuery {
  const query: TextQuery = { wanted: [], unwanted: [], hashtags: [], impossible: false };
  for (const term of terms) {
    if (term.kind === "hashtag") {
      query.hashtags.push({ name: term.text, negated: term.negated });
    } else if (!HAS_WORD.test(term.text)) {
      if (!term.negated) query.impossible = true;
    } else {
      (term.negated ? query.unwanted : query.wanted).push(term.text);
    }
  }
  return query;
}

/**
 * FTS5's query syntax for `texts`: each one a quoted string, so that nothing a user types is read as an
 * operator (FTS5 cuts a string into the tokenizer's words and matches them as a phrase).
 */
function ftsStrings(texts: readonly string[]): string[] {
  return texts.map((text) => `"${text.replaceAll('"', '""')}"`);
}

/** The statuses (by id, as an SQLite rowid) whose text matches FTS5 query `match`. */
function ftsRowids(match: string): SQL {
  return sql`select rowid from status_search where status_search match ${match}`;
}

/**
 * PostgreSQL: the tsquery of all `texts` (each a phrase, so "don't" is its words in order), or any.
 * The words are written into the SQL as literals, not bound: this process's connections plan prepared
 * statements generically (db/postgres/client.ts), and a plan made without the words cannot tell a word
 * in half the statuses (walk statuses newest first) from one in a dozen (read them from the GIN index):
 * at 200,000 statuses the generic plan took 300 ms for a rare word that its own plan finds in 0.2 ms.
 */
function tsQuery(texts: readonly string[], join: "&&" | "||"): SQL {
  return sql.join(
    texts.map((text) => sql`phraseto_tsquery('simple', ${sql.raw(pgLiteral(text))})`),
    sql.raw(` ${join} `),
  );
}

/**
 * `text` as a PostgreSQL escape-string literal, E'…', whose quoting does not depend on the server's
 * standard_conforming_strings: backslashes and quotes doubled; NUL, which no text may hold, dropped.
 */
export function pgLiteral(text: string): string {
  return `E'${text.replaceAll("\0", "").replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

function documentsMatching(tsquery: SQL): SQL {
  return sql`exists (select 1 from status_search_documents d
    where d.status_id = ${statuses.id} and d.words @@ (${tsquery}))`;
}

/**
 * Where the rows of an SQLite search come from when its text chooses them: the FTS5 matches, highest
 * rowid (newest) first, each joined to its status, so the page's other conditions are checked on the
 * newest matches only, until the page is full.
 */
export interface SearchSource {
  /** Cross joined with statuses: the index stays the outer loop. */
  index: typeof statusSearch;
  conditions: SQL[];
  newestFirst: SQL;
}

/** FTS5's query for all of `query`'s wanted words and none of its unwanted ones. */
function ftsMatch(query: TextQuery): string {
  const wanted = ftsStrings(query.wanted).join(" AND ");
  return query.unwanted.length === 0
    ? wanted
    : `(${wanted}) NOT (${ftsStrings(query.unwanted).join(" OR ")})`;
}

/**
 * The SQLite source for `query`, or undefined when no wanted words drive it (or on PostgreSQL). A
 * search of one author's posts (`byAuthor`) is driven by that author's statuses instead, each looked up
 * in the index: walking a common word's matches for the few of one account's would read most of them.
 */
export function searchSource(
  query: TextQuery,
  bounds: { minId?: string; maxId?: string },
  byAuthor: boolean,
): SearchSource | undefined {
  if (onPostgres() || byAuthor || query.wanted.length === 0 || query.impossible) return undefined;
  const match = ftsMatch(query);
  const conditions = [
    sql`${statusSearch} match ${match}`,
    sql`${statuses.id} = cast(${statusSearch.rowid} as text)`,
  ];
  // The id bounds as rowid bounds too, so that FTS5 starts at max_id instead of walking past every
  // newer match (ids are 18-digit decimals; anything else is left to the id conditions alone).
  const asRowid = (id: string | undefined) =>
    id !== undefined && /^\d{18}$/.test(id) ? sql`cast(${id} as integer)` : undefined;
  const min = asRowid(bounds.minId);
  const max = asRowid(bounds.maxId);
  if (min !== undefined) conditions.push(sql`${statusSearch.rowid} > ${min}`);
  if (max !== undefined) conditions.push(sql`${statusSearch.rowid} < ${max}`);
  return { index: statusSearch, conditions, newestFirst: sql`${statusSearch.rowid} desc` };
}

/**
 * The conditions on a status row that it matches `query`'s text: all of it on PostgreSQL; on SQLite,
 * what searchSource does not already ask (the words of an author-driven search, unwanted words alone,
 * hashtags).
 */
export function textConditions(query: TextQuery, drivenByIndex: boolean): SQL[] {
  if (query.impossible) return [sql`0 = 1`];
  const conditions: SQL[] = [];
  if (onPostgres()) {
    if (query.wanted.length > 0) conditions.push(documentsMatching(tsQuery(query.wanted, "&&")));
    if (query.unwanted.length > 0) {
      conditions.push(sql`not ${documentsMatching(tsQuery(query.unwanted, "||"))}`);
    }
  } else if (!drivenByIndex && query.wanted.length > 0) {
    // One status at a time: FTS5 seeks the rowid in the words' lists rather than listing every match.
    conditions.push(sql`exists (select 1 from status_search where status_search match ${ftsMatch(query)}
      and rowid = cast(${statuses.id} as integer))`);
  } else if (!drivenByIndex && query.unwanted.length > 0) {
    const unwanted = ftsStrings(query.unwanted).join(" OR ");
    conditions.push(sql`cast(${statuses.id} as integer) not in (${ftsRowids(unwanted)})`);
  }
  for (const { name, negated } of query.hashtags) {
    const tagged = sql`exists (select 1 from status_tags st
      where st.status_id = ${statuses.id} and st.tag_name = ${name})`;
    conditions.push(negated ? sql`not ${tagged}` : tagged);
  }
  return conditions;
}
