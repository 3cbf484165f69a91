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
    { title: "Featured hashtags", noindex: true },
    html`<section class="panel">
  <h1>Featured hashtags</h1>
  <p>Up to ${MAX_FEATURED_TAGS} hashtags shown on your profile; each links to your posts with it.</p>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
  ${
    featured.length === 0
      ? html`<p class="empty">You feature no hashtags yet.</p>`
      : html`<ul class="featured-tag-list">${featured.map(
          (
            t,
          ) => html`<li><span class="tag">#${t.displayName}</span> <span class="muted">${t.statusesCount} ${t.statusesCount === 1 ? "post" : "posts"}</span>
  <form method="post" action="/settings/featured_tags/${t.id}/delete" class="inline">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <button type="submit" class="button button-small">Remove #${t.displayName}</button>
  </form></li>`,
        )}</ul>`
  }
  ${
    full
      ? html`<p class="muted">You feature the most hashtags you can; remove one to add another.</p>`
      : html`<form method="post" action="/settings/featured_tags" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="featured-tag-name">Hashtag</label>
    <input id="featured-tag-name" name="name" type="text" maxlength="100" required list="featured-tag-suggestions" placeholder="#painting">
    <datalist id="featured-tag-suggestions">${suggestions.map((s) => html`<option value="${s}">`)}</datalist>
    <button type="submit" class="button button-primary">Feature hashtag</button>
  </form>`
  }
  <p><a href="/settings">Back to settings</a></p>
</section>`,
  );
}
