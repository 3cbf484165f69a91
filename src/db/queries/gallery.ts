// The image grids: one tile per status (its first ready image), paged by status id so "older" links work
// without JavaScript and infinite scroll asks for the same pages. Only the web pages show grids; the
// query lives here with the others so that every read applies the same visibility rule.

import { and, desc, eq, inArray, isNull, lt, ne, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import {
  type Account,
  accounts,
  type MediaAttachment,
  mediaAttachments,
  type Status,
  statuses,
} from "../schema/index.ts";
import type { Visibility } from "../schema/statuses.ts";
import { readyMediaByStatus } from "./media.ts";
import { type ViewerState, viewerStates } from "./statuses.ts";
import { authorNotLimitedFor, notBlockedWith, notSilencedFor, visibleTo } from "./visibility.ts";

export interface GalleryTile {
  statusId: string;
  account: Pick<Account, "id" | "username" | "domain" | "displayName" | "url">;
  /** The cover image. */
  media: MediaAttachment;
  /** How many images the status has. */
  imageCount: number;
  sensitive: boolean;
  spoilerText: string;
  visibility: Visibility;
  counts: { replies: number; reblogs: number; favourites: number };
  /** The signed-in viewer's like and boost (for the tile's buttons); absent for visitors. */
  viewer?: ViewerState;
}

export const GALLERY_PAGE_SIZE = 24;

function hasImage(): SQL {
  return sql`exists (select 1 from ${mediaAttachments} where ${mediaAttachments.statusId} = ${statuses.id} and ${mediaAttachments.type} = 'image' and ${mediaAttachments.state} = 'ready')`;
}

interface TileRow {
  id: string;
  sensitive: boolean;
  spoilerText: string;
  visibility: Visibility;
  replies: number;
  reblogs: number;
  favourites: number;
  account: GalleryTile["account"];
}

/** Tiles for rows already chosen and ordered: each with its first ready image (none, no tile). */
async function hydrate(
  db: DatabaseLike,
  rows: readonly TileRow[],
  stateFor: string | null,
): Promise<GalleryTile[]> {
  const byStatus = await readyMediaByStatus(
    db,
    rows.map((r) => r.id),
    { imagesOnly: true },
  );
  const states =
    stateFor === null
      ? undefined
      : await viewerStates(
          db,
          stateFor,
          rows.map((r) => r.id),
        );
  const items: GalleryTile[] = [];
  for (const r of rows) {
    const list = byStatus.get(r.id);
    if (list === undefined || list.length === 0) continue;
    items.push({
      statusId: r.id,
      account: r.account,
      media: list[0]!,
      imageCount: list.length,
      sensitive: r.sensitive,
      spoilerText: r.spoilerText,
      visibility: r.visibility,
      counts: { replies: r.replies, reblogs: r.reblogs, favourites: r.favourites },
      ...(states ? { viewer: states.get(r.id)! } : {}),
    });
  }
  return items;
}

/**
 * Tiles for status rows another read already chose for the viewer (a timeline, the trends), in their
 * order: this adds the authors, images and the viewer's buttons, and applies no rule of its own.
 */
export async function tilesOfStatuses(
  db: DatabaseLike,
  rows: readonly Status[],
  stateFor: string | null,
): Promise<GalleryTile[]> {
  if (rows.length === 0) return [];
  const authors = new Map(
    (
      await db
        .select({
          id: accounts.id,
          username: accounts.username,
          domain: accounts.domain,
          displayName: accounts.displayName,
          url: accounts.url,
        })
        .from(accounts)
        .where(inArray(accounts.id, [...new Set(rows.map((r) => r.accountId))]))
    ).map((a) => [a.id, a]),
  );
  const chosen: TileRow[] = [];
  for (const r of rows) {
    const account = authors.get(r.accountId);
    if (account === undefined) continue;
    chosen.push({
      id: r.id,
      sensitive: r.sensitive,
      spoilerText: r.spoilerText,
      visibility: r.visibility,
      replies: r.repliesCount,
      reblogs: r.reblogsCount,
      favourites: r.favouritesCount,
      account,
    });
  }
  return await hydrate(db, chosen, stateFor);
}

/** What every grid shows: `where`'s statuses with an image, no boosts, as `viewerId` may see them. */
function tileConditions(where: SQL, viewerId: string | null): SQL {
  return and(
    where,
    isNull(statuses.reblogOfId),
    isNull(accounts.suspendedAt),
    hasImage(),
    visibleTo(viewerId),
  )!;
}

async function tiles(
  db: DatabaseLike,
  where: SQL,
  viewerId: string | null,
  maxId: string | null,
  limit: number,
  /** Whose buttons to show (explore filters as a visitor but shows the viewer's state). */
  stateFor: string | null = viewerId,
): Promise<{ items: GalleryTile[]; next: string | null }> {
  const rows = await db
    .select({
      id: statuses.id,
      sensitive: statuses.sensitive,
      spoilerText: statuses.spoilerText,
      visibility: statuses.visibility,
      replies: statuses.repliesCount,
      reblogs: statuses.reblogsCount,
      favourites: statuses.favouritesCount,
      account: {
        id: accounts.id,
        username: accounts.username,
        domain: accounts.domain,
        displayName: accounts.displayName,
        url: accounts.url,
      },
    })
    .from(statuses)
    .innerJoin(accounts, eq(accounts.id, statuses.accountId))
    .where(
      and(tileConditions(where, viewerId), maxId === null ? undefined : lt(statuses.id, maxId)),
    )
    .orderBy(desc(statuses.id))
    .limit(limit + 1);
  const shown = rows.slice(0, limit);
  const items = await hydrate(db, shown, stateFor);
  return { items, next: rows.length > limit ? shown[shown.length - 1]!.id : null };
}

/**
 * The instance's public gallery: public statuses with images by local accounts, newest first; a
 * signed-in viewer does not see the accounts they blocked or muted, or who blocked them, and a limited
 * (silenced) author's images reach only its followers (as in the public timeline).
 */
export async function exploreTiles(
  db: DatabaseLike,
  maxId: string | null,
  limit = GALLERY_PAGE_SIZE,
  viewerId: string | null = null,
): Promise<{ items: GalleryTile[]; next: string | null }> {
  return await tiles(
    db,
    and(
      eq(statuses.visibility, "public"),
      eq(statuses.local, true),
      notSilencedFor(viewerId),
      authorNotLimitedFor(viewerId),
    )!,
    null,
    maxId,
    limit,
    viewerId,
  );
}

/**
 * The images of the accounts `viewerId` follows (accepted follows), newest first: their public,
 * unlisted and followers-only statuses as the visibility rule lets the viewer see them (direct ones
 * stay in conversations), without the accounts the viewer blocked or muted, who blocked them, or
 * whose domain they blocked (as the home timeline leaves them out).
 */
export async function followingTiles(
  db: DatabaseLike,
  viewerId: string,
  maxId: string | null,
  limit = GALLERY_PAGE_SIZE,
): Promise<{ items: GalleryTile[]; next: string | null }> {
  return await tiles(
    db,
    and(
      sql`exists (select 1 from follows gf where gf.account_id = ${viewerId}
        and gf.target_account_id = ${statuses.accountId} and gf.state = 'accepted')`,
      ne(statuses.visibility, "direct"),
      notSilencedFor(viewerId),
    )!,
    viewerId,
    maxId,
    limit,
  );
}

/** An account's images the viewer may see (none across a block, either way), newest first. */
export async function accountTiles(
  db: DatabaseLike,
  accountId: string,
  viewerId: string | null,
  maxId: string | null,
  limit = GALLERY_PAGE_SIZE,
): Promise<{ items: GalleryTile[]; next: string | null }> {
  return await tiles(
    db,
    and(eq(statuses.accountId, accountId), notBlockedWith(viewerId))!,
    viewerId,
    maxId,
    limit,
  );
}

/** How many remixes a source page shows at most (the count says how many there are in all). */
export const REMIX_TILES = 6;

/**
 * The remixes of `statusId` (statuses.remix_of_id: local ones and those received with Atelier's
 * remixOf) as `viewerId` may see them, as the explore grid filters (blocks either way, blocked domains,
 * limited authors), minus those whose quote of the source was refused or revoked: its author said no to
 * that link, so the source's page does not show it either.
 */
function remixesOf(statusId: string, viewerId: string | null): SQL {
  return and(
    eq(statuses.remixOfId, statusId),
    sql`(${statuses.quoteState} is null or ${statuses.quoteState} not in ('rejected', 'revoked'))`,
    notSilencedFor(viewerId),
    authorNotLimitedFor(viewerId),
  )!;
}

/** A source's remixes for its page: how many the viewer may see, and the newest few as tiles. */
export async function remixTiles(
  db: DatabaseLike,
  statusId: string,
  viewerId: string | null,
  limit = REMIX_TILES,
): Promise<{ count: number; items: GalleryTile[] }> {
  const where = remixesOf(statusId, viewerId);
  const [counted] = await db
    .select({ n: sql<number>`count(*)` })
    .from(statuses)
    .innerJoin(accounts, eq(accounts.id, statuses.accountId))
    .where(tileConditions(where, viewerId));
  const count = Number(counted?.n ?? 0);
  if (count === 0) return { count, items: [] };
  return { count, items: (await tiles(db, where, viewerId, null, limit)).items };
}
