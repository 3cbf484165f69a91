// A tokenizer walk over untrusted HTML (status content, fetched pages) for the preview cards: the tags
// and text as htmlparser2 sees them, through sanitize-html (already a dependency, and the parser the
// content sanitizer trusts), so that attribute values arrive decoded and tricks aimed at regular
// expressions (comments, unclosed quotes, entities) do not apply. Nothing is output: only the callbacks.
import { createRequire } from "node:module";
import type SanitizeHtml from "sanitize-html";

const require = createRequire(import.meta.url);
let loaded: typeof SanitizeHtml | undefined;

export interface HtmlVisitor {
  open?(name: string, attributes: Record<string, string>): void;
  close?(name: string): void;
  /** Text inside `tag` (the innermost open element), decoded. */
  text?(text: string, tag: string): void;
}

// sanitize-html hands text on escaped (escapeHtml without quotes): these three undo it.
const unescapeText = (text: string) =>
  text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** Walks `html`, calling the visitor for each tag opened, closed and each piece of text. */
export function walkHtml(html: string, visitor: HtmlVisitor): void {
  loaded ??= require("sanitize-html") as typeof SanitizeHtml;
  loaded(html, {
    // Every tag is "allowed" so that text reaches textFilter with the tag it is in; the output is
    // thrown away.
    allowedTags: false,
    allowedAttributes: false,
    // Nothing is output (the result is dropped), so no tag can be dangerous here.
    allowVulnerableTags: true,
    nonTextTags: ["script", "style", "noscript", "template", "textarea"],
    ...(visitor.open ? { onOpenTag: visitor.open } : {}),
    ...(visitor.close ? { onCloseTag: (name: string) => visitor.close!(name) } : {}),
    textFilter: (text, tag) => {
      visitor.text?.(unescapeText(text), tag);
      return "";
    },
  });
}
