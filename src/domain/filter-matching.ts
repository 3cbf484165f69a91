// Applying a viewer's filters: the one matcher every door uses (API timelines, notifications and the
// thread, streaming, the web pages). The viewer's active filters for one context are loaded and their
// keywords compiled once per request (loadFilterSet), then each status is checked against that set.
// Keywords match as Mastodon's CustomFilterKeyword#to_regex: case-insensitive, whole-word ones bounded
// by word boundaries where the keyword starts or ends with a word character, all of a filter's keywords
// united in one expression; against the text Mastodon searches (content warning, plain text, poll
// options, media descriptions) of the original of a boost.
import type { DatabaseLike } from "../db/client.ts";
import { activeFiltersOf, type FilterWithRules } from "../db/queries/filters.ts";
import type {
  Filter,
  FilterContext,
  FilterKeyword,
  MediaAttachment,
  Status,
} from "../db/queries/rows.ts";
import { htmlToText } from "./html-sanitizer.ts";

/** A filter a status matched (Mastodon's FilterResult): the first keyword text found, the status ids. */
export interface FilterMatch {
  filter: Filter;
  keywordMatches: string[] | null;
  statusMatches: string[] | null;
}

interface CompiledFilter {
  filter: Filter;
  keywords: RegExp | null;
  statusIds: ReadonlySet<string>;
}

/** A viewer's filters for one context, compiled. */
export interface FilterSet {
  readonly viewerId: string;
  readonly context: FilterContext;
  readonly filters: readonly CompiledFilter[];
}

// Ruby's [[:word:]] on a UTF-8 string: letters, marks, numbers and connector punctuation. JavaScript's
// \b knows only ASCII words, so the boundaries are written as lookarounds over this class.
const WORD = "[\\p{L}\\p{M}\\p{N}\\p{Pc}]";
const STARTS_WITH_WORD = new RegExp(`^${WORD}`, "u");
const ENDS_WITH_WORD = new RegExp(`${WORD}$`, "u");
const escapeRegExp = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");

/** One keyword as a regular expression source (to be compiled with the `iu` flags). */
export function keywordSource(k: Pick<FilterKeyword, "keyword" | "wholeWord">): string {
  const body = escapeRegExp(k.keyword);
  if (!k.wholeWord) return body;
  const start = STARTS_WITH_WORD.test(k.keyword) ? `(?<!${WORD})` : "";
  const end = ENDS_WITH_WORD.test(k.keyword) ? `(?!${WORD})` : "";
  return `${start}${body}${end}`;
}

/** Compiles filters for one context, leaving out those that do not apply in it. */
export function compileFilters(
  viewerId: string,
  context: FilterContext,
  rows: readonly FilterWithRules[],
): FilterSet {
  const compiled: CompiledFilter[] = [];
  for (const { filter, keywords, statuses } of rows) {
    if (!filter.context.includes(context)) continue;
    if (keywords.length === 0 && statuses.length === 0) continue;
    compiled.push({
      filter,
      // `s` as Ruby's /m: a keyword holding a line break still matches across lines.
      keywords:
        keywords.length === 0 ? null : new RegExp(keywords.map(keywordSource).join("|"), "isu"),
      statusIds: new Set(statuses.map((s) => s.statusId)),
    });
  }
  return { viewerId, context, filters: compiled };
}

/** The viewer's filters that apply now in `context`: one read, one compilation, for a whole request. */
export async function loadFilterSet(
  db: DatabaseLike,
  viewerId: string,
  context: FilterContext,
  now: Date = new Date(),
): Promise<FilterSet> {
  return compileFilters(viewerId, context, await activeFiltersOf(db, viewerId, now));
}

/** The text keywords are matched against, as Mastodon's Status#searchable_text puts it together. */
export function filterableText(status: Status, media: readonly MediaAttachment[]): string {
  // Paragraphs and line breaks become line breaks first, so "<p>cat</p><p>dog</p>" is not "catdog".
  const plain = htmlToText(status.content.replace(/<br\s*\/?>|<\/p>/gi, "\n"));
  return [
    status.spoilerText,
    plain,
    status.poll === null ? "" : status.poll.options.map((o) => o.title).join("\n\n"),
    media.map((m) => m.description ?? "").join("\n\n"),
  ]
    .filter((part) => part !== "")
    .join("\n\n");
}

/**
 * The filters of `set` that `shown` matches: a status, or a boost (matched by its `original`, and by
 * either id for picked statuses). The viewer's own statuses are never filtered, as Mastodon's clients
 * leave one's own posts alone. `media` are the original's attachments.
 */
export function matchFilters(
  set: FilterSet,
  shown: Pick<Status, "id" | "reblogOfId">,
  original: Status,
  media: readonly MediaAttachment[],
): FilterMatch[] {
  if (set.filters.length === 0 || original.accountId === set.viewerId) return [];
  let text: string | undefined;
  const matches: FilterMatch[] = [];
  for (const f of set.filters) {
    let keywordMatches: string[] | null = null;
    if (f.keywords !== null) {
      text ??= filterableText(original, media);
      const found = f.keywords.exec(text);
      if (found !== null) keywordMatches = [found[0]];
    }
    const ids = [shown.id, ...(shown.reblogOfId === null ? [] : [shown.reblogOfId])].filter((id) =>
      f.statusIds.has(id),
    );
    const statusMatches = ids.length > 0 ? ids : null;
    if (keywordMatches === null && statusMatches === null) continue;
    matches.push({ filter: f.filter, keywordMatches, statusMatches });
  }
  return matches;
}

/** Whether matches remove the status (a `hide` filter), rather than only warn or blur. */
export const hidesStatus = (matches: readonly FilterMatch[]): boolean =>
  matches.some((m) => m.filter.action === "hide");
