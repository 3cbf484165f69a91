// A post's emoji reactions on its page: each emoji with its count (a custom one as its image), the
// viewer's own pressed; signed in, each is a button (someone else's adds yours with the same emoji, yours
// takes it back) and a small picker offers common emojis, this instance's custom ones and a text field.
// Plain POST forms with the session's CSRF token, so they work without JavaScript and under the CSP.
import { html } from "hono/html";
import type { CustomEmoji } from "../../db/queries/emojis.ts";
import { customReactionParts, reactionImageUrl } from "../../domain/emoji-reactions.ts";
import type { Html } from "../context.ts";
import type { ReactionSummary } from "../views.ts";
import type { View } from "./layout.ts";

/** The unicode emojis the picker always offers (people's most used reactions, and one for art). */
const COMMON_EMOJIS = ["👍", "❤️", "😂", "😮", "😢", "🎉", "🔥", "🎨"];

// This instance's emojis the picker shows as buttons: enough for a themed set, few enough that a
// server with hundreds keeps its post pages light (the text field reaches the others).
const MAX_PICKER_EMOJIS = 40;

/**
 * How a reaction's emoji is shown: unicode as itself, a custom emoji as its image when the image is
 * ours (our media), otherwise as its :shortcode: text, so that a visitor's browser is never sent to
 * another server by our page (the rule of components/emoji.ts).
 */
function emojiOf(v: View, r: Pick<ReactionSummary, "name" | "emojiUrl" | "emojiKey">): Html {
  const custom = customReactionParts(r.name);
  if (custom === null) return html`<span class="reaction-emoji">${r.name}</span>`;
  const alt = `:${custom.shortcode}:`;
  const title = custom.domain === null ? alt : `:${custom.shortcode}@${custom.domain}:`;
  // Our copy of another server's emoji, once made, is ours to show.
  const src = reactionImageUrl(r, v.urls);
  if (src?.startsWith(v.urls.media(""))) {
    return html`<img class="custom-emoji" src="${src}" alt="${alt}" title="${title}" draggable="false">`;
  }
  return html`<span class="reaction-emoji" title="${title}">${alt}</span>`;
}

function reactionList(v: View, statusId: string, reactions: readonly ReactionSummary[]): Html {
  if (reactions.length === 0) return html``;
  if (v.session === undefined) {
    return html`<ul class="reaction-list">${reactions.map(
      (r) =>
        html`<li class="action reaction">${emojiOf(v, r)} <span class="count">${r.count}</span></li>`,
    )}</ul>`;
  }
  const base = `/statuses/${statusId}`;
  return html`<form method="post" action="${base}/react" class="reaction-list">
<input type="hidden" name="csrf" value="${v.csrf}">
${reactions.map(
  (r) =>
    html`<button type="submit" name="emoji" value="${r.name}" class="action reaction" aria-pressed="${r.me ? "true" : "false"}"${r.me ? html` formaction="${base}/unreact"` : ""}>${emojiOf(v, r)} <span class="count">${r.count}</span><span class="visually-hidden">${r.me ? `, ${v.t("c_reactions.yours")}` : ` (${v.t("c_reactions.addYours")})`}</span></button>`,
)}
</form>`;
}

function picker(v: View, statusId: string, emojis: readonly CustomEmoji[]): Html {
  const action = `/statuses/${statusId}/react`;
  const custom = emojis
    .filter((e) => e.imageKey !== null && e.visibleInPicker && !e.disabled)
    .slice(0, MAX_PICKER_EMOJIS);
  return html`<details class="reaction-picker">
<summary class="reaction-toggle">${v.t("c_reactions.add")}</summary>
<form method="post" action="${action}" class="reaction-choices" aria-label="${v.t("c_reactions.emojis")}">
<input type="hidden" name="csrf" value="${v.csrf}">
${COMMON_EMOJIS.map((e) => html`<button type="submit" name="emoji" value="${e}" class="action">${e}</button>`)}
${custom.map((e) => html`<button type="submit" name="emoji" value=":${e.shortcode}:" class="action">${emojiOf(v, { name: `:${e.shortcode}:`, emojiUrl: v.urls.media(e.imageKey!), emojiKey: null })}</button>`)}
</form>
<form method="post" action="${action}" class="reaction-other">
<input type="hidden" name="csrf" value="${v.csrf}">
<label for="reaction-text">${v.t("c_reactions.another")}</label>
<input id="reaction-text" name="emoji" required maxlength="330" placeholder="${v.t("c_reactions.placeholder")}">
<button type="submit" class="button">${v.t("c_reactions.react")}</button>
</form>
</details>`;
}

/** The reactions block of a post's page; nothing for a visitor when there are none. */
export function reactionsBlock(
  v: View,
  statusId: string,
  reactions: readonly ReactionSummary[],
  pickerEmojis: readonly CustomEmoji[],
): Html {
  if (v.session === undefined && reactions.length === 0) return html``;
  return html`<section class="reactions" aria-label="${v.t("c_reactions.label")}">
${reactionList(v, statusId, reactions)}
${v.session === undefined ? "" : picker(v, statusId, pickerEmojis)}
</section>`;
}
