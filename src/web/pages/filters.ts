// Settings → Filters: the signed-in user's filters (the same ones the Mastodon apps edit), a form to
// create one and one to edit each: title, keywords (each whole-word or not), where it applies, what it
// does, and when it ends.
import { html } from "hono/html";
import type { FilterWithRules } from "../../db/queries/filters.ts";
import type { FilterAction, FilterContext } from "../../db/queries/rows.ts";
import { FILTER_TITLE_MAX, KEYWORD_MAX } from "../../domain/filters.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export const CONTEXT_LABELS: Record<FilterContext, string> = {
  home: "Home and lists",
  notifications: "Notifications",
  public: "Public timelines",
  thread: "Conversations",
  account: "Profiles",
};

const ACTION_LABELS: Record<FilterAction, string> = {
  warn: "Hide behind a warning with the filter's title",
  blur: "Hide images behind a warning",
  hide: "Remove completely",
};

/** Mastodon's expiry choices, in seconds. */
export const EXPIRY_CHOICES: readonly [number, string][] = [
  [1800, "30 minutes"],
  [3600, "1 hour"],
  [21600, "6 hours"],
  [43200, "12 hours"],
  [86400, "1 day"],
  [604800, "1 week"],
];

/** Empty keyword rows offered after the existing ones. */
export const BLANK_KEYWORD_ROWS = 3;

function expiryText(expiresAt: Date | null, now: Date): string {
  if (expiresAt === null) return "Never expires";
  const at = `${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return expiresAt <= now ? `Expired ${at}` : `Expires ${at}`;
}

function filterForm(v: View, existing: FilterWithRules | undefined): Html {
  const f = existing?.filter;
  const rows = [
    ...(existing?.keywords ?? []).map((k) => ({
      id: k.id,
      keyword: k.keyword,
      wholeWord: k.wholeWord,
    })),
    ...Array.from({ length: BLANK_KEYWORD_ROWS }, () => ({ id: "", keyword: "", wholeWord: true })),
  ];
  const action = f?.action ?? "warn";
  const contexts = f?.context ?? [];
  return html`<form method="post" action="${f ? `/settings/filters/${f.id}` : "/settings/filters"}" class="stack">
  <input type="hidden" name="csrf" value="${v.csrf}">
  <label for="filter-title">Title</label>
  <input id="filter-title" name="title" type="text" required maxlength="${FILTER_TITLE_MAX}" value="${f?.title ?? ""}">
  <fieldset>
    <legend>Keywords</legend>
    <p class="hint">Posts whose text, content warning, poll or image descriptions contain one of these match. Leave a keyword empty to remove it.</p>
    ${rows.map(
      (r, i) => html`<div class="field-pair">
      <input type="hidden" name="keyword_id_${i}" value="${r.id}">
      <div><label for="keyword_${i}">Keyword ${i + 1}</label>
      <input id="keyword_${i}" name="keyword_${i}" type="text" maxlength="${KEYWORD_MAX}" value="${r.keyword}"></div>
      <div class="check"><input type="checkbox" id="whole_word_${i}" name="whole_word_${i}" value="1"${r.wholeWord ? " checked" : ""}>
      <label for="whole_word_${i}">Whole word</label></div>
    </div>`,
    )}
  </fieldset>
  <fieldset>
    <legend>Filter in</legend>
    ${(Object.keys(CONTEXT_LABELS) as FilterContext[]).map(
      (
        c,
      ) => html`<div class="check"><input type="checkbox" id="context_${c}" name="context_${c}" value="1"${contexts.includes(c) ? " checked" : ""}>
      <label for="context_${c}">${CONTEXT_LABELS[c]}</label></div>`,
    )}
  </fieldset>
  <fieldset>
    <legend>When a post matches</legend>
    ${(Object.keys(ACTION_LABELS) as FilterAction[]).map(
      (
        a,
      ) => html`<div class="check"><input type="radio" id="action_${a}" name="filter_action" value="${a}"${a === action ? " checked" : ""}>
      <label for="action_${a}">${ACTION_LABELS[a]}</label></div>`,
    )}
  </fieldset>
  <label for="expires_in">Expires</label>
  <select id="expires_in" name="expires_in">
    ${f ? html`<option value="keep" selected>${expiryText(f.expiresAt, new Date())} (keep)</option>` : ""}
    <option value="">Never</option>
    ${EXPIRY_CHOICES.map(([seconds, label]) => html`<option value="${seconds}">In ${label}</option>`)}
  </select>
  <button type="submit" class="button button-primary">${f ? "Save filter" : "Create filter"}</button>
</form>`;
}

function notice(error: string | undefined): Html {
  return error ? html`<p class="error" role="alert">${error}</p>` : html``;
}

export function filtersPage(v: View, list: readonly FilterWithRules[], error?: string): Html {
  const now = new Date();
  return layout(
    v,
    { title: "Filters", noindex: true },
    html`<section class="panel">
  <h1>Filters</h1>
  <p><a href="/settings">Back to settings</a></p>
  <p class="hint">Filters hide posts by keyword from your timelines, notifications and conversations, here and in the apps you use.</p>
  ${
    list.length === 0
      ? html`<p class="empty">No filters yet.</p>`
      : html`<ul class="filter-list">${list.map(
          ({ filter, keywords, statuses }) => html`<li class="card">
        <h2><a href="/settings/filters/${filter.id}">${filter.title}</a></h2>
        <p class="muted">${filter.context.map((c) => CONTEXT_LABELS[c]).join(", ")} · ${ACTION_LABELS[filter.action]} · ${expiryText(filter.expiresAt, now)}</p>
        <p>${keywords.length === 0 ? html`<span class="muted">No keywords</span>` : keywords.map((k) => html`<span class="tag">${k.keyword}${k.wholeWord ? "" : "…"}</span> `)}${
          statuses.length > 0
            ? html` <span class="muted">and ${statuses.length} picked post(s)</span>`
            : ""
        }</p>
        <form method="post" action="/settings/filters/${filter.id}/delete" class="inline" data-confirm="Delete the filter “${filter.title}”?">
          <input type="hidden" name="csrf" value="${v.csrf}">
          <a class="button button-small" href="/settings/filters/${filter.id}">Edit</a>
          <button type="submit" class="button button-small button-danger">Delete</button>
        </form>
      </li>`,
        )}</ul>`
  }
</section>
<section class="panel">
  <h2>New filter</h2>
  ${notice(error)}
  ${filterForm(v, undefined)}
</section>`,
  );
}

export function filterEditPage(v: View, filter: FilterWithRules, error?: string): Html {
  return layout(
    v,
    { title: `Filter: ${filter.filter.title}`, noindex: true },
    html`<section class="panel">
  <h1>Edit filter</h1>
  <p><a href="/settings/filters">All filters</a></p>
  ${notice(error)}
  ${filterForm(v, filter)}
</section>`,
  );
}
