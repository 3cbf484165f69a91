// The signed-in search page: the statuses a query finds (domain/search.ts, the client API's search), with
// the operators it understands spelled out and offset paging as Mastodon's search pages.
import { html } from "hono/html";
import { layout, type View } from "../components/layout.ts";
import { placeholderStylesFor } from "../components/placeholder-styles.ts";
import { statusCard } from "../components/status.ts";
import type { Html } from "../context.ts";
import type { StatusView } from "../views.ts";

export function searchPage(
  v: View,
  q: string,
  results: { items: StatusView[]; nextOffset: number | null },
): Html {
  return layout(
    v,
    {
      title: `Search: ${q}`,
      noindex: true,
      head: placeholderStylesFor(
        v,
        results.items.flatMap((p) => p.media),
      ),
    },
    html`<section class="intro column">
  <h1>Search</h1>
  <form method="get" action="/search" role="search" class="stack">
    <label for="search-q">Search your posts, the posts you interacted with and public posts</label>
    <input type="text" id="search-q" name="q" value="${q}" maxlength="2048">
    <button type="submit" class="button">Search</button>
  </form>
  <p class="muted">Words also match the prompts images were made from. Narrow with from:me, from:user@domain,
  has:media, is:reply, is:sensitive, before:, after: or during: YYYY-MM-DD, in:library or in:public; put - before
  a word or operator to exclude it.</p>
</section>
<div class="statuses">
${
  results.items.length === 0
    ? html`<p class="empty">No posts found.</p>`
    : results.items.map((p) => statusCard(v, p))
}
</div>
${
  results.nextOffset !== null
    ? html`<nav class="pager" aria-label="More"><a class="button" rel="next" href="/search?q=${encodeURIComponent(q)}&amp;offset=${results.nextOffset}">More results</a></nav>`
    : ""
}`,
  );
}
