// Filter parameters as Mastodon's clients send them (v1 and v2): a JSON body or a Rails-style form, in
// which `keywords_attributes` is an array or an object keyed by index, booleans are strings and an
// empty `expires_in` clears the expiry.
import type { FilterInput, KeywordAttributes } from "../domain/filters.ts";
import type { V1FilterInput } from "../domain/filters-v1.ts";
import { unprocessable } from "../errors.ts";
import { booleanParam, listParam } from "./http.ts";

/** Mastodon caps nested keyword edits the same way it caps any list parameter: a bounded number. */
const KEYWORD_ATTRIBUTES_MAX = 100;

export const textParam = (name: string, v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw unprocessable(`Validation failed: ${name} must be a string`);
  return v;
};

/** Seconds, or null for "never" (an empty value), or undefined when absent. */
export function expiresInParam(v: unknown): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || v === "") return null;
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim()) : Number.NaN;
  if (!Number.isFinite(n)) throw unprocessable("Validation failed: Expires in is not a number");
  return Math.trunc(n);
}

function keywordAttributes(v: unknown): KeywordAttributes[] | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "object") {
    throw unprocessable("Validation failed: keywords_attributes must be a list");
  }
  const entries = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
  if (entries.length > KEYWORD_ATTRIBUTES_MAX) {
    throw unprocessable(
      `Validation failed: keywords_attributes has more than ${KEYWORD_ATTRIBUTES_MAX} entries`,
    );
  }
  return entries.map((e) => {
    if (e === null || typeof e !== "object" || Array.isArray(e)) {
      throw unprocessable("Validation failed: keywords_attributes entries must be objects");
    }
    const entry = e as Record<string, unknown>;
    const id = entry.id === undefined || entry.id === "" ? undefined : String(entry.id);
    return {
      id,
      keyword: textParam("keyword", entry.keyword),
      wholeWord: booleanParam(entry.whole_word),
      destroy: booleanParam(entry._destroy),
    };
  });
}

export function filterInput(p: Record<string, unknown>): FilterInput {
  return {
    title: textParam("title", p.title),
    context: listParam(p.context),
    filterAction: textParam("filter_action", p.filter_action),
    expiresIn: expiresInParam(p.expires_in),
    keywords: keywordAttributes(p.keywords_attributes),
  };
}

export function keywordInput(p: Record<string, unknown>): {
  keyword: string | undefined;
  wholeWord: boolean | undefined;
} {
  return { keyword: textParam("keyword", p.keyword), wholeWord: booleanParam(p.whole_word) };
}

export function v1FilterInput(p: Record<string, unknown>): V1FilterInput {
  return {
    phrase: textParam("phrase", p.phrase),
    context: listParam(p.context),
    irreversible: booleanParam(p.irreversible),
    wholeWord: booleanParam(p.whole_word),
    expiresIn: expiresInParam(p.expires_in),
  };
}
