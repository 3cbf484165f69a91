// The image grids: one tile per status (its first ready image), paged by status id so "older" links work
// without JavaScript and infinite scroll asks for the same pages.

import { and, desc, eq, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { readyMediaByStatus } from "../../db/queries/media.ts";
import {
  type Account,
  accounts,
  type MediaAttachment,
  mediaAttachments,
  statuses,
} from "../../db/schema/index.ts";
import { visibleTo } from "../../domain/visibility.ts";

export interface GalleryTile {
  statusId: string;
  account: Pick<Account, "id" | "username" | "domain" | "displayName" | "url">;
  /** The cover image. */
  media: MediaAttachment;
  /** How many images the status has. */
  imageCount: number;
  sensitive: boolean;
  spoilerText: string;
}

export const GALLERY_PAGE_SIZE = 24;

function hasImage(): SQL {
  return sql`exists (select 1 from ${mediaAttachments} where ${mediaAttachments.statusId} = ${statuses.id} and ${mediaAttachments.type} = 'image' and ${mediaAttachments.state} = 'ready')`;
}

function tiles(
  db: Database,
  where: SQL,
  viewerId: string | null,
  maxId: string | null,
  limit: number,
): { items: GalleryTile[]; next: string | null } {
  const rows = db
    .select({
      id: statuses.id,
      sensitive: statuses.sensitive,
      spoilerText: statuses.spoilerText,
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
      and(
        where,
        isNull(statuses.reblogOfId),
        isNull(accounts.suspendedAt),
        hasImage(),
        visibleTo(viewerId),
        maxId === null ? undefined : lt(statuses.id, maxId),
      ),
    )
    .orderBy(desc(statuses.id))
    .limit(limit + 1)
    .all();
  const shown = rows.slice(0, limit);
  const byStatus = readyMediaByStatus(
    db,
    shown.map((r) => r.id),
    { imagesOnly: true },
  );
  const items: GalleryTile[] = [];
  for (const r of shown) {
    const list = byStatus.get(r.id);
    if (list === undefined || list.length === 0) continue;
    items.push({
      statusId: r.id,
      account: r.account,
      media: list[0]!,
      imageCount: list.length,
      sensitive: r.sensitive,
      spoilerText: r.spoilerText,
    });
  }
  return { items, next: rows.length > limit ? shown[shown.length - 1]!.id : null };
}

/** The instance's public gallery: public statuses with images by local accounts, newest first. */
export function exploreTiles(
  db: Database,
  maxId: string | null,
  limit = GALLERY_PAGE_SIZE,
): { items: GalleryTile[]; next: string | null } {
  return tiles(
    db,
    and(eq(statuses.visibility, "public"), eq(statuses.local, true))!,
    null,
    maxId,
    limit,
  );
}

/** An account's images the viewer may see, newest first. */
export function accountTiles(
  db: Database,
  accountId: string,
  viewerId: string | null,
  maxId: string | null,
  limit = GALLERY_PAGE_SIZE,
): { items: GalleryTile[]; next: string | null } {
  return tiles(db, eq(statuses.accountId, accountId), viewerId, maxId, limit);
}
