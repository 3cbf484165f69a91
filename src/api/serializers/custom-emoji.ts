// Custom emoji rows → Mastodon CustomEmoji, with the image URLs of domain/custom-emojis.ts (our copy, or
// the remote URL until it exists).
import type { CustomEmoji } from "../../db/queries/emojis.ts";
import { emojiImageUrls } from "../../domain/custom-emojis.ts";
import type { ApiCustomEmoji } from "../types.ts";
import type { SerializeContext } from "./context.ts";

export function toApiCustomEmoji(emoji: CustomEmoji, ctx: SerializeContext): ApiCustomEmoji {
  const { url, staticUrl } = emojiImageUrls(emoji, ctx.urls);
  return {
    shortcode: emoji.shortcode,
    url,
    static_url: staticUrl,
    // Only this instance's own are offered in the picker (others cannot be used here).
    visible_in_picker: emoji.domain === null && emoji.visibleInPicker,
    category: emoji.category,
  };
}
