// Hashtags → Mastodon Tag: the name as first spelled, its page, its last 7 days of use (db/queries/
// followed-tags.ts tagHistory) and, for a signed-in viewer, whether they follow it.
import type { TagDay } from "../../db/queries/followed-tags.ts";
import type { ApiTag } from "../types.ts";
import type { SerializeContext } from "./context.ts";

export function toApiTag(
  tag: { name: string; displayName: string },
  ctx: SerializeContext,
  extra: { history?: TagDay[]; following?: boolean } = {},
): ApiTag {
  return {
    name: tag.displayName || tag.name,
    url: ctx.urls.tag(tag.name),
    history: extra.history ?? [],
    ...(extra.following === undefined ? {} : { following: extra.following }),
  };
}
