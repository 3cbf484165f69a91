// Settings → featured hashtags: the hashtags shown on one's profile (with how often each was used),
// a form to add one (with one's most used hashtags as suggestions) and a remove button on each.
import { html } from "hono/html";
import { MAX_FEATURED_TAGS } from "../../domain/featured-tags.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export interface FeaturedTagRow {
  id: string;
  displayName: string;
  statusesCount: number;
}

export function featuredTagsPage(
  v: View,
  featured: FeaturedTagRow[],
  suggestions: string[],
  error?: string,
): Html {
  const full = featured.length >= MAX_FEATURED_TAGS;
  return layout(
    v,
    { title: v.t("settings.featuredTags"), noindex: true },
    html`<section class="panel">
  <h1>${v.t("settings.featuredTags")}</h1>
  <p>${v.t("z_featuredTags.intro", { max: MAX_FEATURED_TAGS })}</p>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
  ${
    featured.length === 0
      ? html`<p class="empty">${v.t("z_featuredTags.none")}</p>`
      : html`<ul class="featured-tag-list">${featured.map(
          (
            t,
          ) => html`<li><span class="tag">#${t.displayName}</span> <span class="muted">${v.t("z_featuredTags.posts", { count: t.statusesCount })}</span>
  <form method="post" action="/settings/featured_tags/${t.id}/delete" class="inline">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <button type="submit" class="button button-small">${v.t("z_featuredTags.remove", { tag: t.displayName })}</button>
  </form></li>`,
        )}</ul>`
  }
  ${
    full
      ? html`<p class="muted">${v.t("z_featuredTags.full")}</p>`
      : html`<form method="post" action="/settings/featured_tags" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="featured-tag-name">${v.t("z_featuredTags.hashtag")}</label>
    <input id="featured-tag-name" name="name" type="text" maxlength="100" required list="featured-tag-suggestions" placeholder="${v.t("z_featuredTags.placeholder")}">
    <datalist id="featured-tag-suggestions">${suggestions.map((s) => html`<option value="${s}">`)}</datalist>
    <button type="submit" class="button button-primary">${v.t("z_featuredTags.feature")}</button>
  </form>`
  }
  <p><a href="/settings">${v.t("tags.backToSettings")}</a></p>
</section>`,
  );
}
