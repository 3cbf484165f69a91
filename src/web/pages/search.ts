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
      title: v.t("search.title", { q }),
      noindex: true,
      head: placeholderStylesFor(
        v,
        results.items.flatMap((p) => p.media),
      ),
    },
    html`<section class="intro column">
  <h1>${v.t("search.heading")}</h1>
  <form method="get" action="/search" role="search" class="stack">
    <label for="search-q">${v.t("search.label")}</label>
    <input type="text" id="search-q" name="q" value="${q}" maxlength="2048">
    <button type="submit" class="button">${v.t("common.search")}</button>
  </form>
  <p class="muted">${v.t("search.help")}</p>
</section>
<div class="statuses">
${
  results.items.length === 0
    ? html`<p class="empty">${v.t("search.none")}</p>`
    : results.items.map((p) => statusCard(v, p))
}
</div>
${
  results.nextOffset !== null
    ? html`<nav class="pager" aria-label="${v.t("common.more")}"><a class="button" rel="next" href="/search?q=${encodeURIComponent(q)}&amp;offset=${results.nextOffset}">${v.t("search.more")}</a></nav>`
    : ""
}`,
  );
}
