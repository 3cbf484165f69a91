// The signed-in home timeline, with links to compose and to search.
import { html } from "hono/html";
import { layout, type View } from "../components/layout.ts";
import { placeholderStylesFor } from "../components/placeholder-styles.ts";
import { statusCard } from "../components/status.ts";
import type { Html } from "../context.ts";
import type { Page, StatusView } from "../views.ts";

export function homePage(v: View, timeline: Page<StatusView>): Html {
  return layout(
    v,
    {
      title: "Home",
      noindex: true,
      head: placeholderStylesFor(
        v,
        timeline.items.flatMap((p) => p.media),
      ),
    },
    html`<section class="intro column">
  <h1>Home</h1>
  <p class="muted">Your posts and those of the people you follow (boosts and replies too), and public posts with the hashtags you follow.</p>
  <p><a class="button button-primary" href="/compose">Create an image</a>
  <a class="button" href="/lists">Lists</a> <a class="button" href="/scheduled">Scheduled posts</a></p>
  <form method="get" action="/search" role="search" class="stack">
    <label for="search-q">Search posts, or find an account by handle or URL</label>
    <input type="text" id="search-q" name="q" placeholder="@someone@mastodon.social" maxlength="2048">
    <button type="submit" class="button">Search</button>
  </form>
</section>
<div class="statuses" data-infinite>
${
  timeline.items.length === 0
    ? html`<p class="empty">Nothing here yet. Find people to follow on <a href="/explore">Explore</a>.</p>`
    : timeline.items.map((p) => statusCard(v, p))
}
</div>
${
  timeline.next
    ? html`<nav class="pager" aria-label="More"><a class="button" rel="next" data-next href="/home?max_id=${encodeURIComponent(timeline.next)}">Older posts</a></nav>`
    : ""
}`,
  );
}
