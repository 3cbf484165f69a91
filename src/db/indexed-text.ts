// The plain text a status's HTML contributes to the full-text index (migrations/*/0021_status-search.sql):
// on SQLite, the index's triggers call it as the SQL function atelier_html_text, registered on every
// connection before migrating (the migration's backfill calls it too). PostgreSQL does the same with
// regular expressions in SQL, having no way to call into the process.
import { createRequire } from "node:module";
import type Sqlite from "better-sqlite3";
import type SanitizeHtml from "sanitize-html";

/** The SQL name of htmlToIndexedText on SQLite. */
export const HTML_TEXT_FUNCTION = "atelier_html_text";

// Loaded on first use, as in domain/html-sanitizer.ts: start-up does not need htmlparser2.
const require = createRequire(import.meta.url);
let sanitizeHtml: typeof SanitizeHtml | undefined;

// Ends of blocks and line breaks separate words; stripping the tags alone would glue "a</p><p>b" into
// one word "ab".
const WORD_BREAKING_TAGS = /<(?:br|\/p|\/li|\/h[1-6]|\/blockquote|\/pre|\/div)\b[^>]*>/gi;

/**
 * The words of `html` as a reader sees them: tags (and the text of script and style) dropped, entities
 * decoded, a space where a block ends. A parser, not a regular expression, reads the tags, as the
 * sanitizer does: remote HTML is not trusted to be well formed.
 */
export function htmlToIndexedText(html: string): string {
  if (!html.includes("<") && !html.includes("&")) return html;
  sanitizeHtml ??= require("sanitize-html") as typeof SanitizeHtml;
  return (
    sanitizeHtml(html.replace(WORD_BREAKING_TAGS, "$& "), {
      allowedTags: [],
      allowedAttributes: {},
      nonTextTags: ["script", "style"],
    })
      // sanitize-html escapes the text it returns; the index wants the characters.
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&")
  );
}

/** Makes atelier_html_text callable on `sqlite` (deterministic: same HTML, same text). */
export function registerSearchFunctions(sqlite: Sqlite.Database): void {
  sqlite.function(HTML_TEXT_FUNCTION, { deterministic: true }, (html: unknown) =>
    typeof html === "string" ? htmlToIndexedText(html) : null,
  );
}
