// Administration: the instance's custom emojis (add from an image, disable or enable, remove), the same
// domain functions as the CLI's `emoji` commands; members use them as :shortcode: in posts and profiles.
import { html } from "hono/html";
import type { CustomEmoji } from "../../db/queries/emojis.ts";
import { CATEGORY_MAX_LENGTH } from "../../domain/custom-emojis.ts";
import type { LocalUrls } from "../../domain/local-urls.ts";
import type { View } from "../components/layout.ts";
import type { Html } from "../context.ts";
import { type AdminNotice, adminLayout } from "./admin.ts";

export function emojisPage(
  v: View,
  urls: LocalUrls,
  emojis: CustomEmoji[],
  openReports: number,
  notice?: AdminNotice,
): Html {
  return adminLayout(
    v,
    "emojis",
    "Custom emojis",
    html`<h2>New emoji</h2>
  <p class="muted">Members write <code>:shortcode:</code> in posts, names and bios; apps list the emojis at <code>/api/v1/custom_emojis</code>. PNG, GIF or WebP, at most 256 KB; animated GIF and WebP stay animated.</p>
  <form method="post" action="/admin/emojis" enctype="multipart/form-data" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="emoji-shortcode">Shortcode</label>
    <input id="emoji-shortcode" name="shortcode" type="text" required pattern="[A-Za-z0-9_]{2,64}" maxlength="64">
    <label for="emoji-category">Category (optional)</label>
    <input id="emoji-category" name="category" type="text" maxlength="${CATEGORY_MAX_LENGTH}">
    <label for="emoji-file">Image</label>
    <input id="emoji-file" name="file" type="file" required accept="image/png,image/gif,image/webp">
    <button type="submit" class="button button-primary">Add emoji</button>
  </form>
  <h2 id="emojis-title">Emojis (${emojis.length})</h2>
  ${
    emojis.length === 0
      ? html`<p class="empty">No custom emojis yet.</p>`
      : html`<ul class="emoji-admin-list" aria-labelledby="emojis-title">${emojis.map(
          (e) => html`<li>
      ${e.imageKey === null ? "" : html`<img class="custom-emoji" src="${urls.media(e.imageKey)}" alt=":${e.shortcode}:" width="32" height="32">`}
      <code>:${e.shortcode}:</code> <span class="muted">${e.category ?? "No category"}${e.disabled ? " · disabled" : ""}</span>
      <form method="post" action="/admin/emojis/${e.shortcode}/${e.disabled ? "enable" : "disable"}" class="inline">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <button type="submit" class="button">${e.disabled ? "Enable" : "Disable"}</button>
      </form>
      <form method="post" action="/admin/emojis/${e.shortcode}/delete" class="inline" data-confirm="Remove :${e.shortcode}:?">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <button type="submit" class="button button-danger">Remove</button>
      </form>
    </li>`,
        )}</ul>`
  }
  <p class="muted">The same list: <code>npm run cli -- emoji list</code>.</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
