// An administrator's review of trending hashtags and links (Mastodon's approve and reject): a rejected
// tag or link never trends again until approved; with TRENDS_REVIEW only approved ones trend. The
// decision is the tag's or card's own (tags.trendable, preview_cards.trendable), so it outlasts the
// trends rows, which come and go with each burst.
import { and, eq } from "drizzle-orm";
import type { DatabaseLike } from "../../db/client.ts";
import type { Tag } from "../../db/queries/followed-tags.ts";
import { returned } from "../../db/returned.ts";
import { type PreviewCard, previewCards, tags } from "../../db/schema/index.ts";
import { notFound } from "../../errors.ts";

/** Approves (`trendable` true) or rejects (false) the tag named `raw` (with or without '#'). */
export async function reviewTag(
  db: DatabaseLike,
  raw: string,
  trendable: boolean,
  now = new Date(),
): Promise<Tag> {
  const name = raw.replace(/^#/, "").toLowerCase();
  const updated = await db
    .update(tags)
    .set({ trendable, reviewedAt: now })
    .where(eq(tags.name, name))
    .returning();
  if (updated.length === 0) throw notFound(`No hashtag #${name} has been used here`);
  return returned(updated);
}

/**
 * Approves or rejects the link whose card is stored for exactly `url` (Mastodon reviews preview cards
 * the same way): a rejected link never trends; with TRENDS_REVIEW only approved ones do.
 */
export async function reviewLink(
  db: DatabaseLike,
  url: string,
  trendable: boolean,
  now = new Date(),
): Promise<PreviewCard> {
  const updated = await db
    .update(previewCards)
    .set({ trendable, reviewedAt: now })
    .where(and(eq(previewCards.url, url.trim()), eq(previewCards.state, "ready")))
    .returning();
  if (updated.length === 0) throw notFound(`No link ${url} has been shared here`);
  return returned(updated);
}
