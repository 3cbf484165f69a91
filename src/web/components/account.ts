// Accounts on the pages: names, handles, avatars and the profile header with bio, fields and counts.
import { html } from "hono/html";
import type { Account } from "../../db/queries/rows.ts";
import type { Html } from "../context.ts";
import { type EmojiImages, emojifyHtml, emojifyText, NO_EMOJIS } from "./emoji.ts";
import type { View } from "./layout.ts";

type AccountLike = Pick<Account, "username" | "domain" | "displayName">;

/** The full handle, `@alice@atelier.example`. */
export function handleOf(a: Pick<Account, "username" | "domain">, localDomain: string): string {
  return `@${a.username}@${a.domain ?? localDomain}`;
}

/** The path of an account's profile page on this instance (remote accounts too). */
export function profilePath(a: Pick<Account, "username" | "domain">): string {
  return `/@${encodeURIComponent(a.username)}${a.domain ? `@${encodeURIComponent(a.domain)}` : ""}`;
}

/** The path of a status page on this instance. */
export function statusPath(a: Pick<Account, "username" | "domain">, statusId: string): string {
  return `${profilePath(a)}/${encodeURIComponent(statusId)}`;
}

/** An album's public page. */
export function albumPath(a: Pick<Account, "username" | "domain">, albumId: string): string {
  return `${profilePath(a)}/albums/${encodeURIComponent(albumId)}`;
}

export function displayNameOf(a: AccountLike): string {
  return a.displayName.trim() || a.username;
}

/** An avatar image, or a coloured initial when the account has none. `alt` empty when decorative. */
export function avatar(
  a: Pick<Account, "username" | "displayName" | "avatarUrl">,
  size: "small" | "large",
  alt = "",
): Html {
  if (a.avatarUrl) {
    const px = size === "large" ? 96 : 44;
    return html`<img class="avatar avatar-${size}" src="${a.avatarUrl}" alt="${alt}" width="${px}" height="${px}" loading="lazy" decoding="async">`;
  }
  const initial = (a.displayName.trim() || a.username).slice(0, 1).toUpperCase();
  const hue = [...a.username].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 360, 7);
  return html`<span class="avatar avatar-${size} avatar-initial hue-${Math.round(hue / 30) % 12}"${
    alt ? html` role="img" aria-label="${alt}"` : html` aria-hidden="true"`
  }>${initial}</span>`;
}

/** Name (with the custom emojis it uses, when given) and handle, linked to the profile. */
export function accountLine(v: View, a: Account, emojis: EmojiImages = NO_EMOJIS): Html {
  return html`<a class="account-line" href="${profilePath(a)}">
  ${avatar(a, "small")}
  <span class="names"><span class="display-name">${emojifyText(displayNameOf(a), emojis)}</span>
  <span class="handle">${handleOf(a, new URL(v.origin).host)}</span></span>
</a>`;
}

export interface ProfileCounts {
  statuses: number;
  following: number;
  followers: number;
}

/** The profile header: banner, avatar, names, bio (stored sanitized HTML), fields and counts. */
export function profileHeader(
  v: View,
  a: Account,
  counts: ProfileCounts,
  actions: Html,
  emojis: EmojiImages = NO_EMOJIS,
): Html {
  const handle = handleOf(a, new URL(v.origin).host);
  return html`<section class="profile-header" aria-labelledby="profile-name">
  ${
    a.headerUrl
      ? html`<img class="profile-banner" src="${a.headerUrl}" alt="${v.t("account.headerOf", { name: displayNameOf(a) })}">`
      : html`<div class="profile-banner profile-banner-empty"></div>`
  }
  <div class="profile-main">
    ${avatar(a, "large", v.t("account.avatarOf", { name: displayNameOf(a) }))}
    <div class="profile-names">
      <h1 id="profile-name">${emojifyText(displayNameOf(a), emojis)}</h1>
      <p class="handle">${handle}${a.locked ? html` <span class="tag" title="${v.t("account.approvesHint")}">${v.t("account.approves")}</span>` : ""}${a.bot ? html` <span class="tag">${v.t("account.bot")}</span>` : ""}</p>
    </div>
    <div class="profile-actions">${actions}</div>
  </div>
  ${a.note ? html`<div class="bio prose">${emojifyHtml(a.note, emojis)}</div>` : ""}
  ${
    a.fields.length > 0
      ? html`<dl class="fields">${a.fields.map(
          (f) =>
            html`<div class="field${f.verifiedAt ? " verified" : ""}"><dt>${emojifyText(f.name, emojis)}</dt><dd>${emojifyHtml(f.value, emojis)}${
              f.verifiedAt
                ? html` <span class="verified-mark" title="${v.t("account.linkVerified")}">✓</span>`
                : ""
            }</dd></div>`,
        )}</dl>`
      : ""
  }
  <ul class="counts">
    <li><strong>${v.t.number(counts.statuses)}</strong> ${v.t("account.posts", { count: counts.statuses })}</li>
    <li><strong>${v.t.number(counts.following)}</strong> ${v.t("account.following")}</li>
    <li><strong>${v.t.number(counts.followers)}</strong> ${v.t("account.followers", { count: counts.followers })}</li>
  </ul>
</section>`;
}
