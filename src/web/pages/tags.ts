// A hashtag's page (its public posts, how much it was used this week, a Follow/Unfollow button for a
// signed-in viewer) and the settings page listing the hashtags one follows.
import { html } from "hono/html";
import type { Tag, TagDay } from "../../db/queries/followed-tags.ts";
import { layout, type View } from "../components/layout.ts";
import { placeholderStylesFor } from "../components/placeholder-styles.ts";
import { statusCard } from "../components/status.ts";
import type { Html } from "../context.ts";
import type { Page, StatusView } from "../views.ts";

/** The tag's page path (names are lower-case; encoded as the API's Tag url encodes it). */
export const tagPath = (name: string) => `/tags/${encodeURIComponent(name)}`;

function followForm(v: View, tag: Tag, following: boolean, returnTo: string): Html {
  return html`<form method="post" action="${tagPath(tag.name)}/${following ? "unfollow" : "follow"}" class="inline">
  <input type="hidden" name="csrf" value="${v.csrf}">
  <input type="hidden" name="return_to" value="${returnTo}">
  <button type="submit" class="button${following ? " button-small" : " button-primary"}">${following ? "Unfollow" : "Follow"}</button>
</form>`;
}

export function tagPage(
  v: View,
  tag: Tag,
  history: TagDay[],
  following: boolean | null,
  posts: Page<StatusView>,
): Html {
  const uses = history.reduce((n, d) => n + Number(d.uses), 0);
  const people = Math.max(0, ...history.map((d) => Number(d.accounts)));
  return layout(
    v,
    {
      title: `#${tag.displayName}`,
      head: placeholderStylesFor(
        v,
        posts.items.flatMap((p) => p.media),
      ),
    },
    html`<section class="intro column">
  <h1>#${tag.displayName}</h1>
  <p class="muted">${uses === 1 ? "1 post" : `${uses} posts`} this week${people > 0 ? html`, by up to ${people === 1 ? "1 person" : `${people} people`} a day` : ""}.</p>
  ${
    following === null
      ? html`<p class="muted"><a href="/auth/sign_in?return_to=${encodeURIComponent(tagPath(tag.name))}">Sign in</a> to follow this hashtag: its public posts then show in your home timeline.</p>`
      : html`<p>${following ? html`<span class="tag tag-ok">Following</span> ` : ""}${followForm(v, tag, following, tagPath(tag.name))}</p>`
  }
</section>
<div class="statuses" data-infinite>
${
  posts.items.length === 0
    ? html`<p class="empty">No public posts with this hashtag yet.</p>`
    : posts.items.map((p) => statusCard(v, p))
}
</div>
${
  posts.next
    ? html`<nav class="pager" aria-label="More"><a class="button" rel="next" data-next href="${tagPath(tag.name)}?max_id=${encodeURIComponent(posts.next)}">Older posts</a></nav>`
    : ""
}`,
  );
}

export function followedTagsPage(v: View, tags: Tag[], next: string | null): Html {
  return layout(
    v,
    { title: "Followed hashtags", noindex: true },
    html`<section class="panel">
  <h1>Followed hashtags</h1>
  <p class="muted">Public posts with these hashtags show in your home timeline, from anyone. <a href="/settings">Back to settings</a></p>
  ${
    tags.length === 0
      ? html`<p class="empty">You follow no hashtags. Open a hashtag in a post and follow it there.</p>`
      : html`<ul class="followed-tags">
    ${tags.map(
      (t) =>
        html`<li><a href="${tagPath(t.name)}">#${t.displayName}</a> ${followForm(v, t, true, v.here)}</li>`,
    )}
  </ul>`
  }
  ${
    next
      ? html`<nav class="pager" aria-label="More"><a class="button" rel="next" href="/settings/followed_tags?max_id=${encodeURIComponent(next)}">More</a></nav>`
      : ""
  }
</section>`,
  );
}
