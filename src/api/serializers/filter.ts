// Filters → Mastodon's Filter, FilterKeyword, FilterStatus, FilterResult and the v1 filter entity.
import type { FilterWithRules } from "../../db/queries/filters.ts";
import type { Filter, FilterKeyword, FilterStatus } from "../../db/schema/index.ts";
import type { FilterMatch } from "../../domain/filter-matching.ts";
import type {
  ApiFilter,
  ApiFilterKeyword,
  ApiFilterResult,
  ApiFilterStatus,
  ApiV1Filter,
} from "../types.ts";

const filterFields = (f: Filter): ApiFilter => ({
  id: f.id,
  title: f.title,
  context: [...f.context],
  expires_at: f.expiresAt?.toISOString() ?? null,
  filter_action: f.action,
});

export const toApiFilterKeyword = (k: FilterKeyword): ApiFilterKeyword => ({
  id: k.id,
  keyword: k.keyword,
  whole_word: k.wholeWord,
});

export const toApiFilterStatus = (s: FilterStatus): ApiFilterStatus => ({
  id: s.id,
  status_id: s.statusId,
});

/** A filter as the filter API shows it, with its keywords and statuses. */
export const toApiFilter = (f: FilterWithRules): ApiFilter => ({
  ...filterFields(f.filter),
  keywords: f.keywords.map(toApiFilterKeyword),
  statuses: f.statuses.map(toApiFilterStatus),
});

/** What a status matched, on its `filtered` (the filter without its rules, as Mastodon sends it). */
export const toApiFilterResult = (m: FilterMatch): ApiFilterResult => ({
  filter: filterFields(m.filter),
  keyword_matches: m.keywordMatches,
  status_matches: m.statusMatches,
});

export const toApiV1Filter = (keyword: FilterKeyword, filter: Filter): ApiV1Filter => ({
  id: keyword.id,
  phrase: keyword.keyword,
  context: [...filter.context],
  whole_word: keyword.wholeWord,
  expires_at: filter.expiresAt?.toISOString() ?? null,
  irreversible: filter.action === "hide",
});
