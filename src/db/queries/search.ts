// Search among what this instance already stores: hashtags by prefix, statuses by their URL/id or by
// words in public local and remote posts the viewer may see. (Resolving unknown remote handles and URLs
// is federation's job; the API calls it when asked to resolve.)
import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type Status, statuses, tags } from "../schema/index.ts";
import { listedVisibility, notFromBlockedDomain, visibleTo } from "./visibility.ts";

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Hashtags starting with the query (without '#'), most used first. */
export function searchTags(
  db: DatabaseLike,
  query: string,
  options: { limit: number; offset: number },
): { name: string; displayName: string }[] {
  const q = query.trim().replace(/^#/, "").toLowerCase();
  if (q === "" || /\s/.test(q)) return [];
  return db
    .select({ name: tags.name, displayName: tags.displayName })
    .from(tags)
    .where(sql`${tags.name} like ${`${escapeLike(q)}%`} escape '\\'`)
    .orderBy(
      sql`${tags.name} = ${q} desc`,
      sql`(select count(*) from status_tags st where st.tag_name = ${tags.name}) desc`,
      tags.name,
    )
    .limit(options.limit)
    .offset(options.offset)
    .all();
}

/**
 * Statuses the viewer may see: the one whose URL or ActivityPub id is the query, else those containing
 * all the query's words (public or unlisted originals, newest first, none from a domain the viewer
 * blocked).
 */
export function searchStatuses(
  db: DatabaseLike,
  viewerId: string | null,
  query: string,
  options: { limit: number; offset: number },
): Status[] {
  const q = query.trim();
  if (q === "") return [];
  if (/^https?:\/\//i.test(q)) {
    return db
      .select()
      .from(statuses)
      .where(and(or(eq(statuses.iri, q), eq(statuses.url, q)), visibleTo(viewerId)))
      .limit(1)
      .all();
  }
  const words = q
    .split(/\s+/)
    .filter((w) => w.length >= 2)
    .slice(0, 8);
  if (words.length === 0) return [];
  return db
    .select()
    .from(statuses)
    .where(
      and(
        isNull(statuses.reblogOfId),
        listedVisibility(),
        visibleTo(viewerId),
        // Not from a domain the viewer blocked, as Mastodon's status search filters its results.
        notFromBlockedDomain(viewerId),
        ...words.map(
          (w) =>
            sql`lower(${statuses.content}) like ${`%${escapeLike(w.toLowerCase())}%`} escape '\\'`,
        ),
      ),
    )
    .orderBy(desc(statuses.id))
    .limit(options.limit)
    .offset(options.offset)
    .all();
}
