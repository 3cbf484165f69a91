// Hashtags → Mastodon Tag (usage history stays empty until trends exist).
import type { ApiTag } from "../types.ts";
import type { SerializeContext } from "./context.ts";

export function toApiTag(
  tag: { name: string; displayName: string },
  ctx: SerializeContext,
  following?: boolean,
): ApiTag {
  return {
    name: tag.displayName || tag.name,
    url: ctx.urls.tag(tag.name),
    history: [],
    ...(following === undefined ? {} : { following }),
  };
}
