// The link timeline (Mastodon 4.3's /api/v1/timelines/link): the public statuses showing one preview
// card, newest first, read from status_preview_cards' (card_id, status_id) index in page order and each
// joined to its status, as the hashtag timeline reads its tag's index.
import { and, eq, getTableColumns, isNull, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type Status, statuses, statusPreviewCards } from "../schema/index.ts";
import { type PageParams, pageConditions, pageOrder, pagePlaceholders } from "./page.ts";
import { run, VIEWER } from "./timelines.ts";
import { authorNotLimitedFor, authorNotSuspended, notSilencedFor } from "./visibility.ts";

function prepareLinkTimeline(db: DatabaseLike, where: SQL[], page: PageParams) {
  return db
    .select(getTableColumns(statuses))
    .from(statusPreviewCards)
    .crossJoin(statuses)
    .where(
      and(
        eq(statusPreviewCards.cardId, sql.placeholder("card")),
        eq(statuses.id, statusPreviewCards.statusId),
        ...where,
        ...pageConditions(statusPreviewCards.statusId, pagePlaceholders(page)),
      ),
    )
    .orderBy(pageOrder(statusPreviewCards.statusId, page))
    .limit(sql.placeholder("limit"))
    .prepare();
}

/** Public statuses with the card `cardId` that `viewerId` may see (not across blocks or mutes). */
export async function linkTimeline(
  db: DatabaseLike,
  viewerId: string | null,
  cardId: string,
  page: PageParams,
): Promise<Status[]> {
  const viewer = viewerId === null ? null : VIEWER;
  return await run(
    db,
    `link ${viewerId === null ? "anon" : "viewer"}`,
    () => [
      eq(statuses.visibility, "public"),
      isNull(statuses.reblogOfId),
      authorNotSuspended(),
      authorNotLimitedFor(viewer),
      notSilencedFor(viewer),
    ],
    page,
    { viewer: viewerId, card: cardId },
    prepareLinkTimeline,
  );
}
