// Featured hashtags → Mastodon FeaturedTag: the hashtag, the profile page listing the account's posts
// with it, and the account's use of it (Mastodon sends the count as a string).

import type { FeaturedTagUse } from "../../db/queries/pins.ts";
import type { Account } from "../../db/schema/index.ts";
import type { ApiFeaturedTag } from "../types.ts";
import type { SerializeContext } from "./context.ts";

export function toApiFeaturedTag(
  use: FeaturedTagUse,
  account: Pick<Account, "username" | "domain">,
  ctx: SerializeContext,
): ApiFeaturedTag {
  const handle =
    account.domain === null ? account.username : `${account.username}@${account.domain}`;
  return {
    id: use.featuredTag.id,
    name: use.displayName || use.featuredTag.tagName,
    url: `${ctx.origin}/@${encodeURIComponent(handle).replace("%40", "@")}?tab=posts&tagged=${encodeURIComponent(use.featuredTag.tagName)}`,
    statuses_count: String(use.statusesCount),
    last_status_at: use.lastStatusAt?.toISOString().slice(0, 10) ?? null,
  };
}
