// Status search as Mastodon 4.2+ offers it, for the client API and the web search page alike: a URL names
// one stored status; anything else is read as Mastodon's query syntax — words, "phrases", #hashtags,
// `-` to exclude, and the operators from:, has:, is:, language:, before:, after:, during: and in: — into
// a StatusQuery that db/queries/search.ts runs over the viewer's library and the indexable public posts.
import type { DatabaseLike } from "../db/client.ts";
import { findAccountById } from "../db/queries/accounts.ts";
import {
  findStatusByUrl,
  searchStatuses as queryStatuses,
  type SearchScope,
  type StatusFilter,
  type StatusQuery,
  type TextTerm,
} from "../db/queries/search.ts";
import type { Status } from "../db/schema/index.ts";
import { notFound, unprocessable } from "../errors.ts";
import { findAccountByHandle, parseHandle } from "./handles.ts";

/** Longer than any URL people paste (2,048, what browsers and the web form allow) is refused. */
export const MAX_QUERY_LENGTH = 2048;
/** Words and phrases matched: more would only make each search slower (each one is an index lookup). */
const MAX_TEXT_TERMS = 8;
/** Words, phrases and operators together: a query past this is refused rather than half-read. */
const MAX_CLAUSES = 16;
/** Shorter words are left out: a letter is in nearly every post. */
const MIN_WORD_LENGTH = 2;

const DAY_MS = 86_400_000;

// An optional + or -, an optional operator (only these, so that a URL's "https:" stays a word), then a
// "quoted phrase" or a run of anything but white space and quotes — Mastodon's grammar.
const CLAUSE =
  /([+-]?)(?:(has|is|language|from|before|after|during|in):)?(?:"([^"]+)"|([^\s"]+))/iy;

interface Clause {
  negated: boolean;
  operator: string | null;
  text: string;
  phrase: boolean;
}

/** The clauses of a query; a stray quote is skipped, as a lenient reading of Mastodon's grammar. */
function readClauses(typed: string): Clause[] {
  // Control characters are spaces here: FTS5 ends a string at NUL (a syntax error) and PostgreSQL
  // refuses NUL in text, so neither store may see one.
  const query = typed.replace(/\p{Cc}/gu, " ");
  const clauses: Clause[] = [];
  let at = 0;
  while (at < query.length) {
    if (/\s/.test(query[at]!)) {
      at++;
      continue;
    }
    CLAUSE.lastIndex = at;
    const m = CLAUSE.exec(query);
    if (m === null) {
      at++;
      continue;
    }
    at = CLAUSE.lastIndex;
    const [, sign, operator, phrase, word] = m;
    clauses.push({
      negated: sign === "-",
      operator: operator?.toLowerCase() ?? null,
      text: phrase ?? word ?? "",
      phrase: phrase !== undefined,
    });
    if (clauses.length > MAX_CLAUSES) {
      throw unprocessable(`A search may hold at most ${MAX_CLAUSES} words and operators`);
    }
  }
  return clauses;
}

/**
 * A date as Elasticsearch reads one for Mastodon, in UTC: a bare day covers the whole day (after: starts
 * the next day, before: ends the day before), a full ISO 8601 time is that instant.
 */
function dateRange(operator: string, text: string): { from?: number; until?: number } {
  let start: number;
  let end: number;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day !== null) {
    start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    // Date.UTC rolls 2024-02-31 over to March; such a day is refused instead.
    if (new Date(start).toISOString().slice(0, 10) !== text) start = Number.NaN;
    end = start + DAY_MS;
  } else if (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)
  ) {
    start = Date.parse(text);
    end = start + 1;
  } else {
    start = Number.NaN;
    end = Number.NaN;
  }
  if (!Number.isFinite(start)) {
    throw unprocessable(`${operator}: takes a date written YYYY-MM-DD`);
  }
  if (operator === "before") return { until: start };
  if (operator === "after") return { from: end };
  return { from: start, until: end };
}

/**
 * Reads Mastodon's search syntax into a StatusQuery; `from:` names are looked up among stored accounts
 * (`me` is the viewer; an unknown one matches nothing, as Mastodon).
 */
export async function parseStatusQuery(
  db: DatabaseLike,
  localDomain: string,
  viewerId: string,
  query: string,
): Promise<StatusQuery> {
  const terms: TextTerm[] = [];
  const filters: StatusQuery["filters"] = [];
  let scope: SearchScope = "all";
  for (const clause of readClauses(query)) {
    const { negated, text } = clause;
    let filter: StatusFilter;
    switch (clause.operator) {
      case null: {
        if (!clause.phrase && text.length > 1 && text.startsWith("#")) {
          terms.push({ kind: "hashtag", text: text.slice(1).toLowerCase(), negated });
        } else if (text.length >= MIN_WORD_LENGTH && terms.length < MAX_TEXT_TERMS) {
          terms.push({
            kind: clause.phrase ? "phrase" : "word",
            text: text.toLowerCase(),
            negated,
          });
        }
        continue;
      }
      case "in": {
        // Mastodon reads in: as a choice of index, never negated; an unknown one searches both.
        const named = text.toLowerCase();
        scope = named === "library" || named === "public" ? named : "all";
        continue;
      }
      case "from": {
        const account =
          text.toLowerCase() === "me"
            ? { id: viewerId }
            : await findAccountByHandle(db, text, localDomain);
        filter = { kind: "from", accountId: account?.id ?? null };
        break;
      }
      case "has":
        filter = { kind: "has", property: text.toLowerCase() };
        break;
      case "is":
        filter = { kind: "is", property: text.toLowerCase() };
        break;
      case "language":
        // Statuses store ISO 639-1 codes: pt-BR and pt_BR are pt.
        filter = { kind: "language", code: text.toLowerCase().split(/[-_]/)[0]! };
        break;
      default:
        filter = { kind: "created", ...dateRange(clause.operator, text) };
    }
    filters.push({ filter, negated });
  }
  return { terms, filters, scope };
}

export interface StatusSearchOptions {
  limit: number;
  offset: number;
  /** Only this account's statuses (Mastodon's `account_id` parameter, a from: by id). */
  accountId?: string;
  minId?: string;
  maxId?: string;
}

/**
 * The statuses `q` finds for the viewer: the stored one a URL names (when they may see it), or those
 * the query matches in their library and in indexable accounts' public posts. Anonymous visitors get no
 * full-text results, and a bare handle names an account, not words (both as Mastodon). Throws 422 for a
 * query too long, with too many clauses or a bad date; 404 for an unknown `accountId`.
 */
export async function searchStatuses(
  db: DatabaseLike,
  localDomain: string,
  viewerId: string | null,
  q: string,
  options: StatusSearchOptions,
): Promise<Status[]> {
  const query = q.trim();
  if (query.length > MAX_QUERY_LENGTH) {
    throw unprocessable(`A search may be at most ${MAX_QUERY_LENGTH} characters long`);
  }
  if (query === "") return [];
  if (/^https?:\/\/\S+$/i.test(query)) {
    const found = options.offset === 0 ? await findStatusByUrl(db, viewerId, query) : undefined;
    return found === undefined ? [] : [found];
  }
  if (viewerId === null) return [];
  if (query.includes("@") && parseHandle(query) !== null) return [];
  const parsed = await parseStatusQuery(db, localDomain, viewerId, query);
  if (options.accountId !== undefined) {
    if ((await findAccountById(db, options.accountId)) === undefined) throw notFound();
    parsed.filters.push({ filter: { kind: "from", accountId: options.accountId }, negated: false });
  }
  if (parsed.terms.length === 0 && parsed.filters.length === 0) return [];
  return await queryStatuses(db, viewerId, parsed, {
    limit: options.limit,
    offset: options.offset,
    ...(options.minId !== undefined ? { minId: options.minId } : {}),
    ...(options.maxId !== undefined ? { maxId: options.maxId } : {}),
  });
}
