// A profile: header (banner, avatar, bio, fields, counts), follow and feature buttons, the accounts it
// features, its featured hashtags, image grid and posts (pinned ones first, with a "Pinned" label).

import { html } from "hono/html";
import type { AlbumSummary } from "../../db/queries/albums.ts";
import type { CustomEmoji } from "../../db/queries/emojis.ts";
import type { GalleryTile } from "../../db/queries/gallery.ts";
import type { Account } from "../../db/queries/rows.ts";
import {
  accountLine,
  albumPath,
  displayNameOf,
  handleOf,
  type ProfileCounts,
  profileHeader,
  profilePath,
} from "../components/account.ts";
import { emojiImages } from "../components/emoji.ts";
import { gallery, placeholderStyles } from "../components/gallery.ts";
import { layout, type View } from "../components/layout.ts";
import { placeholderStylesFor } from "../components/placeholder-styles.ts";
import { statusCard } from "../components/status.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import type { Page, StatusView } from "../views.ts";
import { albumCover } from "./albums.ts";

export type Relationship = "self" | "following" | "requested" | "none" | "anonymous";

function followButton(v: View, a: Account, rel: Relationship): Html {
  const path = profilePath(a);
  switch (rel) {
    case "self":
      return html`<a class="button" href="/settings">${v.t("profile.edit")}</a>`;
    case "following":
    case "requested":
      return html`<span class="tag${rel === "following" ? " tag-ok" : ""}">${v.t(rel === "following" ? "profile.following" : "profile.requested")}</span>
<form method="post" action="${path}/unfollow" class="inline">
  <input type="hidden" name="csrf" value="${v.csrf}">
  <button type="submit" class="button button-small">${v.t(rel === "following" ? "profile.unfollow" : "profile.cancelRequest")}</button>
</form>`;
    case "anonymous":
      // Visitors follow from their own server: the form asks for their handle.
      return html`<a class="button button-primary" href="${path}/remote_follow">${v.t("common.follow")}</a>`;
    case "none":
      return html`<form method="post" action="${path}/follow" class="inline">
  <input type="hidden" name="csrf" value="${v.csrf}">
  <button type="submit" class="button button-primary">${v.t("common.follow")}</button>
</form>`;
  }
}

/** For a followed account: feature it on one's own profile, or stop. */
function featureButton(v: View, a: Account, endorsed: boolean): Html {
  return html`<form method="post" action="${profilePath(a)}/${endorsed ? "unendorse" : "endorse"}" class="inline">
  <input type="hidden" name="csrf" value="${v.csrf}">
  <button type="submit" class="button button-small">${v.t(endorsed ? "profile.unfeature" : "profile.feature")}</button>
</form>`;
}

function featuredSection(v: View, featured: readonly Account[]): Html | string {
  if (featured.length === 0) return "";
  return html`<section class="featured-accounts" aria-labelledby="featured-title">
  <h2 id="featured-title">${v.t("profile.featuredAccounts")}</h2>
  <ul class="account-list">${featured.map((f) => html`<li>${accountLine(v, f)}</li>`)}</ul>
</section>`;
}

export interface ProfileExtras {
  /** The accounts this profile features (its endorsements). */
  featured: readonly Account[];
  /** Whether the viewer features this account on their own profile. */
  endorsed: boolean;
  /** The custom emojis the account's name, bio and fields use. */
  emojis?: CustomEmoji[];
  /** The account this one moved to (its movedTo), local or remote. */
  movedTo?: Account | null;
  /** Its albums, as the viewer may see their posts. */
  albums?: readonly AlbumSummary[];
}

/** The profile's albums: cover, title and size, each linking to its page. */
function albumsSection(
  v: View,
  a: Account,
  list: readonly AlbumSummary[] | undefined,
): Html | string {
  if (list === undefined || list.length === 0) return "";
  return html`<section class="albums" aria-labelledby="albums-title">
  <h2 id="albums-title">${v.t("profile.albums")}</h2>
  <ul class="albums-list">${list.map(
    (s) =>
      html`<li>${albumCover(v, s)} <a href="${albumPath(a, s.album.id)}">${s.album.title}</a> <span class="muted">${v.t("profile.posts", { count: s.count })}</span></li>`,
  )}</ul>
</section>`;
}

/** "Has moved": the new account, as Mastodon's profile shows a moved account. */
function movedNotice(v: View, a: Account, to: Account | null | undefined): Html | string {
  if (to === null || to === undefined) return "";
  const host = new URL(v.origin).host;
  return html`<p class="notice moved" role="status">${rich(v.t, "profile.moved", {
    name: displayNameOf(a),
    account: html`<a href="${profilePath(to)}"><strong>${handleOf(to, host)}</strong></a>`,
  })}</p>`;
}

export type ProfileTab = "images" | "posts";

/** What the account features: pinned posts (first page of posts only) and hashtags. */
export interface ProfileFeatured {
  pinned: StatusView[];
  featuredTags: { name: string; displayName: string; statusesCount: number }[];
  /** The hashtag the posts are filtered by, if any. */
  tagged: string | null;
}

function featuredTagList(v: View, path: string, f: ProfileFeatured): Html {
  if (f.featuredTags.length === 0) return html``;
  return html`<nav class="featured-tags" aria-label="${v.t("profile.featuredTags")}"><ul class="tag-list">${f.featuredTags.map(
    (t) =>
      html`<li><a class="tag" href="${path}?tab=posts&amp;tagged=${encodeURIComponent(t.name)}"${f.tagged === t.name ? html` aria-current="page"` : ""}>#${t.displayName} <span class="muted">${v.t.number(t.statusesCount)}</span></a></li>`,
  )}</ul></nav>`;
}

function pinnedCards(v: View, f: ProfileFeatured): Html {
  if (f.pinned.length === 0) return html``;
  return html`<section class="pinned" aria-label="${v.t("profile.pinnedPosts")}">${f.pinned.map(
    (p) =>
      html`<div class="pinned-post"><p class="pinned-label muted">${v.t("profile.pinned")}</p>${statusCard(v, { ...p, cursor: `pin-${p.cursor}` })}</div>`,
  )}</section>`;
}

export function profilePage(
  v: View,
  a: Account,
  counts: ProfileCounts,
  rel: Relationship,
  tab: ProfileTab,
  tiles: { items: GalleryTile[]; next: string | null },
  posts: Page<StatusView>,
  featured: ProfileFeatured = { pinned: [], featuredTags: [], tagged: null },
  extras: ProfileExtras = { featured: [], endorsed: false },
): Html {
  const name = displayNameOf(a);
  const handle = handleOf(a, new URL(v.origin).host);
  const path = profilePath(a);
  const bioText = a.note
    .replaceAll(/<[^>]*>/g, " ")
    .replaceAll(/\s+/g, " ")
    .trim();
  const description =
    bioText.slice(0, 200) || v.t("profile.description", { name, handle, instance: v.instanceName });
  const actions = html`${followButton(v, a, rel)}${rel === "following" ? featureButton(v, a, extras.endorsed) : ""}`;
  const body = html`${movedNotice(v, a, extras.movedTo)}
${profileHeader(v, a, counts, actions, emojiImages(extras.emojis ?? [], v.urls))}
${featuredSection(v, extras.featured)}
${albumsSection(v, a, extras.albums)}
${a.domain ? html`<p class="notice">${rich(v.t, "profile.remote", { link: html`<a href="${a.url ?? a.iri}" rel="noopener">${v.t("profile.remoteLink")}</a>` })}</p>` : ""}
${featuredTagList(v, path, featured)}
<nav class="tabs" aria-label="${v.t("profile.sections")}">
  <a href="${path}"${tab === "images" ? html` aria-current="page"` : ""}>${v.t("profile.images")}</a>
  <a href="${path}?tab=posts"${tab === "posts" ? html` aria-current="page"` : ""}>${v.t("profile.postsTab")}</a>
</nav>
${
  tab === "images"
    ? gallery(
        v,
        tiles.items,
        tiles.next,
        (maxId) => `${path}?max_id=${encodeURIComponent(maxId)}`,
        v.t("profile.imagesBy", { name }),
        v.t("profile.noImages"),
      )
    : html`${pinnedCards(v, featured)}${
        featured.tagged
          ? html`<p class="notice">${rich(v.t, "profile.taggedPosts", { tag: featured.tagged, all: html`<a href="${path}?tab=posts">${v.t("profile.allPosts")}</a>` })}</p>`
          : ""
      }<div class="statuses" data-infinite>${
        posts.items.length === 0
          ? html`<p class="empty">${v.t("profile.noPosts")}</p>`
          : posts.items.map((p) => statusCard(v, p))
      }</div>${
        posts.next
          ? html`<nav class="pager" aria-label="${v.t("common.more")}"><a class="button" rel="next" data-next href="${path}?tab=posts${featured.tagged ? html`&amp;tagged=${encodeURIComponent(featured.tagged)}` : ""}&amp;max_id=${encodeURIComponent(posts.next)}">${v.t("common.olderPosts")}</a></nav>`
          : ""
      }`
}`;
  return layout(
    v,
    {
      title: `${name} (${handle})`,
      description,
      noindex: !a.indexable || a.domain !== null,
      social: {
        type: "profile",
        title: `${name} (${handle})`,
        description,
        url: a.url ?? `${v.origin}${path}`,
        ...(a.avatarUrl
          ? { image: { url: a.avatarUrl, alt: v.t("account.avatarOf", { name }) } }
          : {}),
      },
      activityPubId: a.iri,
      head: html`${placeholderStyles(v, tiles.items)}${placeholderStylesFor(
        v,
        posts.items.flatMap((p) => p.media),
      )}`,
    },
    body,
  );
}

/** The form that asks a visitor for their handle to follow from their own server. */
export function remoteFollowPage(v: View, a: Account, error?: string, value = ""): Html {
  const name = displayNameOf(a);
  return layout(
    v,
    { title: v.t("profile.followName", { name }), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("profile.followName", { name })}</h1>
  <p>${rich(v.t, "profile.remoteFollowIntro", { handle: html`<strong>${handleOf(a, new URL(v.origin).host)}</strong>` })}</p>
  <form method="post" action="${profilePath(a)}/remote_follow" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="handle">${v.t("profile.yourHandle")}</label>
    <input id="handle" name="handle" type="text" required autocomplete="username" inputmode="email" placeholder="@you@mastodon.social" value="${value}"${error ? html` aria-invalid="true" aria-describedby="handle-error"` : ""}>
    ${error ? html`<p class="error" id="handle-error" role="alert">${error}</p>` : ""}
    <button type="submit" class="button button-primary">${v.t("profile.continueToServer")}</button>
  </form>
  <p class="muted">${rich(v.t, "profile.haveAccount", { instance: v.instanceName, signIn: html`<a href="/auth/sign_in">${v.t("layout.signIn")}</a>` })}</p>
</section>`,
  );
}

/** Sends the visitor on to their server's interaction page (a link, and a refresh for convenience). */
export function continueToServerPage(v: View, target: string, host: string): Html {
  return layout(
    v,
    {
      title: v.t("profile.continueTitle"),
      noindex: true,
      head: html`<meta http-equiv="refresh" content="0;url=${target}">`,
    },
    html`<section class="panel narrow">
  <h1>${v.t("profile.continueTitle")}</h1>
  <p>${v.t("profile.takingYou", { host })}</p>
  <p><a class="button button-primary" href="${target}" rel="noopener">${v.t("profile.goTo", { host })}</a></p>
</section>`,
  );
}
