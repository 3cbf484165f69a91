// Which of our languages a request gets: the signed-in user's setting when we have that language, else
// the best one the browser's Accept-Language asks for (RFC 9110 §12.5.4: q-values, a region falling back
// to its language, "fr-CA" → "fr"), else English. The header is untrusted input: it is bounded and any
// malformed entry is skipped, never an error.
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locales/index.ts";

// Browsers send a handful of entries; a longer header is someone else's, and is read only this far.
const MAX_HEADER = 1000;
const MAX_ENTRIES = 32;
const TAG = /^(?:[a-z]{1,8}(?:-[a-z0-9]{1,8})*|\*)$/i;
const Q = /^q=(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

/** Our language for a language tag ("fr-CA" → "fr"), or undefined when we do not have it. */
export function localeOfTag(tag: string | null | undefined): Locale | undefined {
  if (tag === null || tag === undefined) return undefined;
  const lower = tag.trim().toLowerCase();
  if (isLocale(lower)) return lower;
  const primary = lower.split(/[-_]/)[0]!;
  return isLocale(primary) ? primary : undefined;
}

/** The best of our languages the header asks for, or undefined when it asks for none of them. */
export function negotiateLocale(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranges: { tag: string; q: number; order: number }[] = [];
  for (const [order, entry] of header
    .slice(0, MAX_HEADER)
    .split(",")
    .slice(0, MAX_ENTRIES)
    .entries()) {
    const [rawTag, ...params] = entry.split(";").map((p) => p.trim());
    if (rawTag === undefined || !TAG.test(rawTag)) continue;
    let q = 1;
    const qParam = params.find((p) => /^q=/i.test(p));
    if (qParam !== undefined) {
      if (!Q.test(qParam)) continue;
      q = Number(qParam.slice(2));
    }
    // q=0 says "not this one".
    if (q > 0) ranges.push({ tag: rawTag, q, order });
  }
  // Highest q first; among equals, the order the browser listed them in.
  ranges.sort((a, b) => b.q - a.q || a.order - b.order);
  for (const range of ranges) {
    // "*" is any language: ours is as good as any.
    if (range.tag === "*") return DEFAULT_LOCALE;
    const locale = localeOfTag(range.tag);
    if (locale !== undefined) return locale;
  }
  return undefined;
}

/** The language of a page: the user's setting, else the browser's, else English. */
export function chooseLocale(
  userLocale: string | null | undefined,
  acceptLanguage: string | null | undefined,
): Locale {
  return localeOfTag(userLocale) ?? negotiateLocale(acceptLanguage) ?? DEFAULT_LOCALE;
}
