// What a local author types → the status's sanitized HTML: paragraphs and line breaks, links, #hashtags
// (linked to our tag pages) and @mentions of accounts we already know (linked to their profiles). Unknown
// remote mentions stay plain text until remote resolution (federation) knows them.
import type { DatabaseLike } from "../db/client.ts";
import type { Account } from "../db/schema/index.ts";
import { findAccountByHandle } from "./handles.ts";
import type { LocalUrls } from "./local-urls.ts";

export interface RenderedText {
  html: string;
  /** Hashtags in order of appearance, without '#', deduplicated case-insensitively. */
  tags: { name: string; displayName: string }[];
  /** Mentioned accounts that exist in our database, deduplicated. */
  mentions: Account[];
}

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

// One scanner for the three kinds of token, so a '#' inside a URL is never taken for a hashtag. A
// mention's host is a domain name, localhost or an IPv4 address, with an optional port (instances on one
// machine differ by port). The final lookahead stops `@bob@host` whose host is not one of those from
// being read as a mention of the local `@bob`.
const TOKEN =
  /(https?:\/\/[^\s<>"]+)|(?<![\p{L}\p{N}_/])#([\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)|(?<![\p{L}\p{N}_/@.])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(?:@((?:[a-z0-9.-]+\.[a-z]{2,}|localhost|\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?))?(?![a-z0-9_@])/giu;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;
export const TAG_MAX_LENGTH = 100;
/** A whole hashtag name (without '#'), by the same rule as TOKEN's hashtag part: not only digits. */
export const HASHTAG_NAME = /^[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*$/u;

function linkify(url: string): string {
  const href = escapeHtml(url);
  const display = url.replace(/^https?:\/\//, "");
  const shown =
    display.length > 40
      ? `${escapeHtml(display.slice(0, 40))}<span class="ellipsis">…</span>`
      : escapeHtml(display);
  return `<a href="${href}" rel="nofollow noopener noreferrer" target="_blank">${shown}</a>`;
}

/** Renders one line of text (no newlines) to HTML, collecting tags and mentions. */
async function renderLine(
  line: string,
  db: DatabaseLike,
  urls: LocalUrls,
  localDomain: string,
  out: { tags: Map<string, string>; mentions: Map<string, Account> },
): Promise<string> {
  let html = "";
  let last = 0;
  for (const m of line.matchAll(TOKEN)) {
    const index = m.index;
    html += escapeHtml(line.slice(last, index));
    let token = m[0];
    if (m[1] !== undefined) {
      // A URL keeps its closing punctuation outside the link ("see https://x.org.").
      const trailing = TRAILING_PUNCTUATION.exec(token)?.[0] ?? "";
      token = token.slice(0, token.length - trailing.length);
      html += linkify(token) + escapeHtml(trailing);
    } else if (m[2] !== undefined && m[2].length <= TAG_MAX_LENGTH) {
      const name = m[2];
      const key = name.toLowerCase();
      if (!out.tags.has(key)) out.tags.set(key, name);
      html += `<a href="${escapeHtml(urls.tag(key))}" class="mention hashtag" rel="tag">#<span>${escapeHtml(name)}</span></a>`;
    } else if (m[3] !== undefined) {
      // The whole token is the handle: `@user` or `@user@host`.
      const account = await findAccountByHandle(db, token, localDomain);
      if (account === undefined) {
        html += escapeHtml(token);
      } else {
        out.mentions.set(account.id, account);
        html += `<span class="h-card" translate="no"><a href="${escapeHtml(account.url ?? account.iri)}" class="u-url mention">@<span>${escapeHtml(account.username)}</span></a></span>`;
      }
    } else {
      html += escapeHtml(token);
    }
    last = index + m[0].length;
  }
  return html + escapeHtml(line.slice(last));
}

/**
 * Plain text → sanitized HTML: blank lines separate paragraphs, single newlines become <br>, everything
 * the author typed is escaped, and only our own links, hashtags and mentions are markup.
 */
export async function renderStatusText(
  db: DatabaseLike,
  urls: LocalUrls,
  localDomain: string,
  text: string,
): Promise<RenderedText> {
  const out = { tags: new Map<string, string>(), mentions: new Map<string, Account>() };
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  // Line by line, in order: the first spelling of a tag or mention found is the one kept.
  let html = "";
  for (const p of paragraphs) {
    const lines: string[] = [];
    for (const line of p.split("\n"))
      lines.push(await renderLine(line, db, urls, localDomain, out));
    html += `<p>${lines.join("<br>")}</p>`;
  }
  return {
    html,
    tags: [...out.tags].map(([name, displayName]) => ({ name, displayName })),
    mentions: [...out.mentions.values()],
  };
}
