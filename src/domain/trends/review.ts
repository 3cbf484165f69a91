// An administrator's review of trending hashtags (Mastodon's approve and reject): a rejected tag never
// trends again until approved; with TRENDS_REVIEW only approved tags trend. The decision is the tag's
// own (tags.trendable), so it outlasts the trends rows, which come and go with each burst.
import { eq } from "drizzle-orm";
import type { DatabaseLike } from "../../db/client.ts";
import type { Tag } from "../../db/queries/followed-tags.ts";
import { returned } from "../../db/returned.ts";
import { tags } from "../../db/schema/index.ts";
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
