// A hashtag's page (its public posts, how much it was used this week, a Follow/Unfollow button for a
// signed-in viewer) and the settings page listing the hashtags one follows.
import { html } from "hono/html";
import type { Tag, TagDay } from "../../db/queries/followed-tags.ts";
import type { GalleryTile } from "../../db/queries/gallery.ts";
import { gallery, placeholderStyles } from "../components/gallery.ts";
import { layout, type View } from "../components/layout.ts";
import { placeholderStylesFor } from "../components/placeholder-styles.ts";
import { statusCard } from "../components/status.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import type { Page, StatusView } from "../views.ts";

/** The tag's page path (names are lower-case; encoded as the API's Tag url encodes it). */
export const tagPath = (name: string) => `/tags/${encodeURIComponent(name)}`;

function followForm(v: View, tag: Tag, following: boolean, returnTo: string): Html {
  return html`<form method="post" action="${tagPath(tag.name)}/${following ? "unfollow" : "follow"}" class="inline">
  <input type="hidden" name="csrf" value="${v.csrf}">
  <input type="hidden" name="return_to" value="${returnTo}">
  <button type="submit" class="button${following ? " button-small" : " button-primary"}">${v.t(following ? "tags.unfollow" : "tags.follow")}</button>
</form>`;
}

/**
 * What the tag's page shows: its images as a gallery (the default, as Pixelfed's hashtag pages), or all
 * its posts as cards, text ones and replies included.
 */
export type TagContent =
  | { tab: "images"; tiles: { items: GalleryTile[]; next: string | null } }
  | { tab: "posts"; posts: Page<StatusView> };

export function tagPage(
  v: View,
  tag: Tag,
  history: TagDay[],
  following: boolean | null,
  content: TagContent,
): Html {
  const path = tagPath(tag.name);
  const uses = history.reduce((n, d) => n + Number(d.uses), 0);
  const people = Math.max(0, ...history.map((d) => Number(d.accounts)));
  return layout(
    v,
    {
      title: `#${tag.displayName}`,
      head:
        content.tab === "images"
          ? placeholderStyles(v, content.tiles.items)
          : placeholderStylesFor(
              v,
              content.posts.items.flatMap((p) => p.media),
            ),
    },
    html`<section class="intro column">
  <h1>#${tag.displayName}</h1>
  <p class="muted">${
    people > 0
      ? v.t("tags.usageBy", {
          posts: v.t("tags.posts", { count: uses }),
          people: v.t("tags.people", { count: people }),
        })
      : v.t("tags.usage", { posts: v.t("tags.posts", { count: uses }) })
  }</p>
  ${
    following === null
      ? html`<p class="muted">${rich(v.t, "tags.signInToFollow", { signIn: html`<a href="/auth/sign_in?return_to=${encodeURIComponent(tagPath(tag.name))}">${v.t("layout.signIn")}</a>` })}</p>`
      : html`<p>${following ? html`<span class="tag tag-ok">${v.t("tags.following")}</span> ` : ""}${followForm(v, tag, following, tagPath(tag.name))}</p>`
  }
</section>
<nav class="tabs" aria-label="${v.t("tags.sections")}">
  <a href="${path}"${content.tab === "images" ? html` aria-current="page"` : ""}>${v.t("tags.images")}</a>
  <a href="${path}?tab=posts"${content.tab === "posts" ? html` aria-current="page"` : ""}>${v.t("tags.postsTab")}</a>
</nav>
${content.tab === "images" ? imagesOf(v, tag, content.tiles) : postsOf(v, path, content.posts)}`,
  );
}

function imagesOf(v: View, tag: Tag, tiles: { items: GalleryTile[]; next: string | null }): Html {
  return gallery(
    v,
    tiles.items,
    tiles.next,
    (maxId) => `${tagPath(tag.name)}?max_id=${encodeURIComponent(maxId)}`,
    v.t("tags.imagesLabel", { tag: tag.displayName }),
    v.t("tags.noImages"),
  );
}

function postsOf(v: View, path: string, posts: Page<StatusView>): Html {
  return html`<div class="statuses" data-infinite>
${
  posts.items.length === 0
    ? html`<p class="empty">${v.t("tags.noPosts")}</p>`
    : posts.items.map((p) => statusCard(v, p))
}
</div>
${
  posts.next
    ? html`<nav class="pager" aria-label="${v.t("common.more")}"><a class="button" rel="next" data-next href="${path}?tab=posts&amp;max_id=${encodeURIComponent(posts.next)}">${v.t("common.olderPosts")}</a></nav>`
    : ""
}`;
}

export function followedTagsPage(v: View, tags: Tag[], next: string | null): Html {
  return layout(
    v,
    { title: v.t("tags.followed"), noindex: true },
    html`<section class="panel">
  <h1>${v.t("tags.followed")}</h1>
  <p class="muted">${rich(v.t, "tags.followedIntro", { back: html`<a href="/settings">${v.t("tags.backToSettings")}</a>` })}</p>
  ${
    tags.length === 0
      ? html`<p class="empty">${v.t("tags.noneFollowed")}</p>`
      : html`<ul class="followed-tags">
    ${tags.map(
      (t) =>
        html`<li><a href="${tagPath(t.name)}">#${t.displayName}</a> ${followForm(v, t, true, v.here)}</li>`,
    )}
  </ul>`
  }
  ${
    next
      ? html`<nav class="pager" aria-label="${v.t("common.more")}"><a class="button" rel="next" href="/settings/followed_tags?max_id=${encodeURIComponent(next)}">${v.t("common.more")}</a></nav>`
      : ""
  }
</section>`,
  );
}
