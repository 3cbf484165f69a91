// Quote reads: the posts a page of statuses quotes (and whether the viewer may see them), whom the viewer
// follows among the authors whose quote policy asks it, and the quotes of one status. What these facts
// mean (the state shown, who may quote) is domain/quotes.ts's.
import { and, desc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { follows, type Status, statuses } from "../schema/index.ts";
import { visibleInThread, visibleOnItsOwn } from "./visibility.ts";

/** What the serializer needs to show the quotes of a page. */
export interface QuoteLinks {
  /** Quoted statuses that exist (seen or not). */
  found: Set<string>;
  /** Of those, the ones the viewer may see: as on their own, and not from a domain they blocked
   *  (Mastodon's StatusFilter on a quoted post). */
  visible: Set<string>;
  /** Authors of these statuses the viewer follows (accepted), for a followers-only quote policy. */
  followed: Set<string>;
}

/**
 * The statuses `rows` quote, one level down, with the visibility of each for `viewerId`, and the
 * visibility of what those quote in turn (a quote inside a quote is shown by id only). Returns the
 * quoted rows the viewer may see, to be serialized with the page.
 */
export async function loadQuoted(
  db: DatabaseLike,
  rows: Iterable<Status>,
  viewerId: string | null,
): Promise<{ links: QuoteLinks; quoted: Status[] }> {
  const links: QuoteLinks = { found: new Set(), visible: new Set(), followed: new Set() };
  const list = [...rows];
  const quoted: Status[] = [];
  const first = [
    ...new Set(list.map((s) => s.quoteOfId).filter((id): id is string => id !== null)),
  ];
  for (const r of await quotedRows(db, first, viewerId)) {
    links.found.add(r.status.id);
    if (r.visible) {
      links.visible.add(r.status.id);
      quoted.push(r.status);
    }
  }
  const second = [
    ...new Set(quoted.map((s) => s.quoteOfId).filter((id): id is string => id !== null)),
  ].filter((id) => !links.found.has(id));
  for (const r of await quotedRows(db, second, viewerId)) {
    links.found.add(r.status.id);
    if (r.visible) links.visible.add(r.status.id);
  }
  if (viewerId !== null) {
    const authors = [
      ...new Set(
        [...list, ...quoted].filter((s) => s.quotePolicy === "followers").map((s) => s.accountId),
      ),
    ];
    if (authors.length > 0) {
      const rowsFollowed = await db
        .select({ id: follows.targetAccountId })
        .from(follows)
        .where(
          and(
            eq(follows.accountId, viewerId),
            eq(follows.state, "accepted"),
            inArray(follows.targetAccountId, authors),
          ),
        );
      for (const f of rowsFollowed) links.followed.add(f.id);
    }
  }
  return { links, quoted };
}

async function quotedRows(
  db: DatabaseLike,
  ids: string[],
  viewerId: string | null,
): Promise<{ status: Status; visible: boolean }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      status: statuses,
      visible: sql<number>`case when ${visibleInThread(viewerId)} then 1 else 0 end`.mapWith(
        Number,
      ),
    })
    .from(statuses)
    .where(inArray(statuses.id, ids));
  return rows.map((r) => ({ status: r.status, visible: r.visible === 1 }));
}

/**
 * A page of the accepted quotes of `statusId` the viewer may see, newest first (Mastodon's
 * GET /api/v1/statuses/:id/quotes); `maxId`/`sinceId` page by id.
 */
export async function quotesOf(
  db: DatabaseLike,
  statusId: string,
  viewerId: string | null,
  page: { limit: number; maxId?: string | undefined; sinceId?: string | undefined },
): Promise<Status[]> {
  return await db
    .select()
    .from(statuses)
    .where(
      and(
        eq(statuses.quoteOfId, statusId),
        // Quotes stored before states were recorded count as accepted (domain/quotes.ts quoteStateOf).
        sql`coalesce(${statuses.quoteState}, 'accepted') = 'accepted'`,
        visibleOnItsOwn(viewerId),
        page.maxId !== undefined ? lt(statuses.id, page.maxId) : undefined,
        page.sinceId !== undefined ? gt(statuses.id, page.sinceId) : undefined,
      ),
    )
    .orderBy(desc(statuses.id))
    .limit(page.limit);
}

/** The status `quotingId` when it quotes `statusId` (any state), for the quoted author's revocation. */
export async function findQuoteOf(
  db: DatabaseLike,
  statusId: string,
  quotingId: string,
): Promise<Status | undefined> {
  return (
    await db
      .select()
      .from(statuses)
      .where(and(eq(statuses.id, quotingId), eq(statuses.quoteOfId, statusId)))
      .limit(1)
  )[0];
}
