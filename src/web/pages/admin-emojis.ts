// Administration: the instance's custom emojis (add from an image, disable or enable, remove), the same
// domain functions as the CLI's `emoji` commands; members use them as :shortcode: in posts and profiles.
import { html } from "hono/html";
import type { CustomEmoji } from "../../db/queries/emojis.ts";
import { CATEGORY_MAX_LENGTH } from "../../domain/custom-emojis.ts";
import type { LocalUrls } from "../../domain/local-urls.ts";
import type { View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
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
    v.t("z_admin.emojis.title"),
    html`<h2>${v.t("z_admin.emojis.new")}</h2>
  <p class="muted">${rich(v.t, "z_admin.emojis.intro", { shortcode: html`<code>:shortcode:</code>`, api: html`<code>/api/v1/custom_emojis</code>` })}</p>
  <form method="post" action="/admin/emojis" enctype="multipart/form-data" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="emoji-shortcode">${v.t("z_admin.emojis.shortcode")}</label>
    <input id="emoji-shortcode" name="shortcode" type="text" required pattern="[A-Za-z0-9_]{2,64}" maxlength="64">
    <label for="emoji-category">${v.t("z_admin.emojis.category")}</label>
    <input id="emoji-category" name="category" type="text" maxlength="${CATEGORY_MAX_LENGTH}">
    <label for="emoji-file">${v.t("z_admin.emojis.image")}</label>
    <input id="emoji-file" name="file" type="file" required accept="image/png,image/gif,image/webp">
    <button type="submit" class="button button-primary">${v.t("z_admin.emojis.add")}</button>
  </form>
  <h2 id="emojis-title">${v.t("z_admin.emojis.heading", { count: emojis.length })}</h2>
  ${
    emojis.length === 0
      ? html`<p class="empty">${v.t("z_admin.emojis.none")}</p>`
      : html`<ul class="emoji-admin-list" aria-labelledby="emojis-title">${emojis.map(
          (e) => html`<li>
      ${e.imageKey === null ? "" : html`<img class="custom-emoji" src="${urls.media(e.imageKey)}" alt=":${e.shortcode}:" width="32" height="32">`}
      <code>:${e.shortcode}:</code> <span class="muted">${e.category ?? v.t("z_admin.emojis.noCategory")}${e.disabled ? ` · ${v.t("z_admin.emojis.disabled")}` : ""}</span>
      <form method="post" action="/admin/emojis/${e.shortcode}/${e.disabled ? "enable" : "disable"}" class="inline">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <button type="submit" class="button">${v.t(e.disabled ? "z_admin.emojis.enable" : "z_admin.emojis.disable")}</button>
      </form>
      <form method="post" action="/admin/emojis/${e.shortcode}/delete" class="inline" data-confirm="${v.t("z_admin.emojis.confirmRemove", { shortcode: e.shortcode })}">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <button type="submit" class="button button-danger">${v.t("z_moves.remove")}</button>
      </form>
    </li>`,
        )}</ul>`
  }
  <p class="muted">${rich(v.t, "z_admin.domains.cli", { command: html`<code>npm run cli -- emoji list</code>` })}</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
