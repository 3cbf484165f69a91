// Search among what this instance already stores: hashtags by prefix, a status by its URL or id, and
// statuses by a parsed query (domain/search.ts reads Mastodon's syntax into a StatusQuery). Which statuses
// a viewer may search is Mastodon's rule: their "library" (their own posts and those they interacted
// with) and the public posts of accounts that chose to be indexable; visibility.ts decides, as
// everywhere, which of those they may see at all. (Resolving unknown remote handles and URLs is
// federation's job; the API calls it when asked to resolve.)
//
// The text is matched with LIKE, word by word. The matcher is one function (TextMatcher), so that a
// full-text index (FTS5, issue #19) can replace it without touching the scope and the filters.
import { and, desc, eq, gt, gte, isNull, lt, not, or, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { jsonArrayItems, jsonText } from "../dialect.ts";
import { type Status, statuses, tags } from "../schema/index.ts";
import {
  hasMedia,
  inLibraryOf,
  notSilencedFor,
  publicAndIndexable,
  visibleTo,
} from "./visibility.ts";

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Hashtags starting with the query (without '#'), most used first. */
export async function searchTags(
  db: DatabaseLike,
  query: string,
  options: { limit: number; offset: number },
): Promise<{ name: string; displayName: string }[]> {
  const q = query.trim().replace(/^#/, "").toLowerCase();
  if (q === "" || /\s/.test(q)) return [];
  return await db
    .select({ name: tags.name, displayName: tags.displayName })
    .from(tags)
    .where(sql`${tags.name} like ${`${escapeLike(q)}%`} escape '\\'`)
    .orderBy(
      sql`${tags.name} = ${q} desc`,
      sql`(select count(*) from status_tags st where st.tag_name = ${tags.name}) desc`,
      tags.name,
    )
    .limit(options.limit)
    .offset(options.offset);
}

/** The stored status whose URL or ActivityPub id is `url`, when the viewer may see it. */
export async function findStatusByUrl(
  db: DatabaseLike,
  viewerId: string | null,
  url: string,
): Promise<Status | undefined> {
  return (
    await db
      .select()
      .from(statuses)
      .where(and(or(eq(statuses.iri, url), eq(statuses.url, url)), visibleTo(viewerId)))
      .limit(1)
  )[0];
}

/** Where to look: the viewer's library, the indexable public posts, or both (Mastodon's `in:`). */
export type SearchScope = "all" | "library" | "public";

/** Text to find: a word, a "quoted phrase" or a #hashtag; negated ones must not be there. */
export interface TextTerm {
  kind: "word" | "phrase" | "hashtag";
  /** Lower case; for a hashtag, the name without '#'. */
  text: string;
  negated: boolean;
}

/** A condition on the status other than its text (Mastodon's prefix operators, resolved). */
export type StatusFilter =
  /** The author; null when the named account is not known here (so nothing matches). */
  | { kind: "from"; accountId: string | null }
  /** has:media, has:image, has:video, has:audio, has:poll (others match nothing). */
  | { kind: "has"; property: string }
  /** is:reply, is:sensitive (others match nothing). */
  | { kind: "is"; property: string }
  | { kind: "language"; code: string }
  /** Written at or after `from` and before `until` (epoch milliseconds). */
  | { kind: "created"; from?: number; until?: number };

export interface StatusQuery {
  terms: TextTerm[];
  filters: { filter: StatusFilter; negated: boolean }[];
  scope: SearchScope;
}

/** The condition that a status row matches one text term (not negated; the caller negates). */
export type TextMatcher = (term: TextTerm) => SQL;

/**
 * LIKE matching, as Mastodon's index holds a post's text: its content, content warning, poll options and
 * image descriptions — and, Atelier's own, the prompt (and revised prompt) its images were made from.
 * The content is HTML, so a word can also match inside markup; a full-text index will read plain text.
 */
export const likeMatcher: TextMatcher = (term) => {
  if (term.kind === "hashtag") {
    return sql`exists (select 1 from status_tags st
      where st.status_id = ${statuses.id} and st.tag_name = ${term.text})`;
  }
  const pattern = `%${escapeLike(term.text)}%`;
  const like = (expression: SQL) => sql`lower(${expression}) like ${pattern} escape '\\'`;
  return sql`(${like(sql`${statuses.content}`)} or ${like(sql`${statuses.spoilerText}`)}
    or (${statuses.poll} is not null and exists (select 1 from ${jsonArrayItems(statuses.poll, "options", "po")}
      where ${like(jsonText(sql`po.value`, "title"))}))
    or exists (select 1 from media_attachments tm where tm.status_id = ${statuses.id}
      and (${like(sql`tm.description`)}
        or ${like(jsonText(sql`tm.provenance`, "prompt"))}
        or ${like(jsonText(sql`tm.provenance`, "revisedPrompt"))})))`;
};

function scopeCondition(scope: SearchScope, viewerId: string): SQL {
  if (scope === "library") return inLibraryOf(viewerId);
  if (scope === "public") return publicAndIndexable();
  return sql`(${inLibraryOf(viewerId)} or ${publicAndIndexable()})`;
}

const nothing = sql`0 = 1`;

function mediaOfType(...types: string[]): SQL {
  return sql`exists (select 1 from media_attachments mt where mt.status_id = ${statuses.id}
    and mt.type in ${types})`;
}

function filterCondition(filter: StatusFilter): SQL {
  switch (filter.kind) {
    case "from":
      return filter.accountId === null ? nothing : eq(statuses.accountId, filter.accountId);
    case "has":
      if (filter.property === "media") return hasMedia();
      if (filter.property === "image") return mediaOfType("image");
      if (filter.property === "video") return mediaOfType("video", "gifv");
      if (filter.property === "audio") return mediaOfType("audio");
      if (filter.property === "poll") return sql`${statuses.poll} is not null`;
      // link and embed need link previews, which are not stored here.
      return nothing;
    case "is":
      if (filter.property === "reply") {
        return sql`(${statuses.inReplyToId} is not null or ${statuses.inReplyToIri} is not null)`;
      }
      if (filter.property === "sensitive") return eq(statuses.sensitive, true);
      return nothing;
    case "language":
      // coalesce: a status of unknown language is not en, so -language:en keeps it.
      return sql`coalesce(${statuses.language}, '') = ${filter.code}`;
    case "created": {
      const bounds: SQL[] = [];
      if (filter.from !== undefined) bounds.push(gte(statuses.createdAt, new Date(filter.from)));
      if (filter.until !== undefined) bounds.push(lt(statuses.createdAt, new Date(filter.until)));
      return bounds.length === 0 ? sql`1 = 1` : and(...bounds)!;
    }
  }
}

/**
 * Statuses matching `query` among those `viewerId` may search (scope) and see (visibleTo), not by an
 * account they blocked or muted or that blocked them, boosts left out: newest first, `offset` into the
 * results, or between `minId` and `maxId` as Mastodon allows.
 */
export async function searchStatuses(
  db: DatabaseLike,
  viewerId: string,
  query: StatusQuery,
  options: { limit: number; offset: number; minId?: string; maxId?: string },
  matcher: TextMatcher = likeMatcher,
): Promise<Status[]> {
  const conditions: SQL[] = [
    isNull(statuses.reblogOfId),
    scopeCondition(query.scope, viewerId),
    visibleTo(viewerId),
    notSilencedFor(viewerId),
  ];
  for (const term of query.terms) {
    conditions.push(term.negated ? not(matcher(term)) : matcher(term));
  }
  for (const { filter, negated } of query.filters) {
    conditions.push(negated ? not(filterCondition(filter)) : filterCondition(filter));
  }
  if (options.minId !== undefined) conditions.push(gt(statuses.id, options.minId));
  if (options.maxId !== undefined) conditions.push(lt(statuses.id, options.maxId));
  return await db
    .select()
    .from(statuses)
    .where(and(...conditions))
    .orderBy(desc(statuses.id))
    .limit(options.limit)
    .offset(options.offset);
}
