// Search among what this instance already stores: hashtags by prefix, a status by its URL or id, and
// statuses by a parsed query (domain/search.ts reads Mastodon's syntax into a StatusQuery). Which statuses
// a viewer may search is Mastodon's rule: their "library" (their own posts and those they interacted
// with) and the public posts of accounts that chose to be indexable; visibility.ts decides, as
// everywhere, which of those they may see at all. (Resolving unknown remote handles and URLs is
// federation's job; the API calls it when asked to resolve.)
//
// The words are found through the full-text index (full-text.ts); the scope and the filters are the
// same SQL on both stores.
import {
  and,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  isNull,
  lt,
  not,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type Status, statuses, tags } from "../schema/index.ts";
import { readTextQuery, searchSource, type TextTerm, textConditions } from "./full-text.ts";
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

export type { TextTerm };

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

function scopeCondition(scope: SearchScope, viewerId: string): SQL {
  if (scope === "library") return inLibraryOf(viewerId);
  if (scope === "public") return publicAndIndexable(viewerId);
  return sql`(${inLibraryOf(viewerId)} or ${publicAndIndexable(viewerId)})`;
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
 * account they blocked or muted or that blocked them, boosts left out: newest first (as Mastodon 4.2
 * orders results, not by relevance), `offset` into the results, or between `minId` and `maxId`.
 */
export async function searchStatuses(
  db: DatabaseLike,
  viewerId: string,
  query: StatusQuery,
  options: { limit: number; offset: number; minId?: string; maxId?: string },
): Promise<Status[]> {
  const text = readTextQuery(query.terms);
  const byAuthor = query.filters.some(({ filter, negated }) => filter.kind === "from" && !negated);
  const source = searchSource(text, options, byAuthor);
  const conditions: SQL[] = [
    isNull(statuses.reblogOfId),
    scopeCondition(query.scope, viewerId),
    visibleTo(viewerId),
    notSilencedFor(viewerId),
    ...(source?.conditions ?? []),
    ...textConditions(text, source !== undefined),
  ];
  for (const { filter, negated } of query.filters) {
    conditions.push(negated ? not(filterCondition(filter)) : filterCondition(filter));
  }
  if (options.minId !== undefined) conditions.push(gt(statuses.id, options.minId));
  if (options.maxId !== undefined) conditions.push(lt(statuses.id, options.maxId));
  const select = db.select(getTableColumns(statuses));
  const rows =
    source === undefined ? select.from(statuses) : select.from(source.index).crossJoin(statuses);
  return await rows
    .where(and(...conditions))
    .orderBy(source?.newestFirst ?? desc(statuses.id))
    .limit(options.limit)
    .offset(options.offset);
}
