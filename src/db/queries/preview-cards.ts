// Preview card reads: the cards of a page of statuses (one statement, for the status bundle), a card by
// its URL (the link timeline, review), and the statuses sharing one card.
import { and, eq } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { inJsonList, jsonList, preparedPerHandle } from "../prepared.ts";
import { type PreviewCard, previewCards, statusPreviewCards } from "../schema/index.ts";

const cardsOf = preparedPerHandle((db) =>
  db
    .select({ statusId: statusPreviewCards.statusId, card: previewCards })
    .from(statusPreviewCards)
    .innerJoin(previewCards, eq(previewCards.id, statusPreviewCards.cardId))
    .where(and(inJsonList(statusPreviewCards.statusId, "ids"), eq(previewCards.state, "ready")))
    .prepare(),
);

/** The card each of `statusIds` shows (statuses without one are not keys). */
export async function cardsOfStatuses(
  db: DatabaseLike,
  statusIds: readonly string[],
): Promise<Map<string, PreviewCard>> {
  if (statusIds.length === 0) return new Map();
  const rows = await cardsOf(db).all({ ids: jsonList([...statusIds]) });
  return new Map(rows.map((r) => [r.statusId, r.card]));
}

/** The ready card stored for exactly `url`, if any. */
export async function findCardByUrl(
  db: DatabaseLike,
  url: string,
): Promise<PreviewCard | undefined> {
  return (
    await db
      .select()
      .from(previewCards)
      .where(and(eq(previewCards.url, url), eq(previewCards.state, "ready")))
      .limit(1)
  )[0];
}
