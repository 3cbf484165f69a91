// Settings → Filters: the signed-in user's filters (the same ones the Mastodon apps edit), a form to
// create one and one to edit each: title, keywords (each whole-word or not), where it applies, what it
// does, and when it ends.
import { html } from "hono/html";
import type { FilterWithRules } from "../../db/queries/filters.ts";
import type { FilterAction, FilterContext } from "../../db/queries/rows.ts";
import { FILTER_CONTEXTS, FILTER_TITLE_MAX, KEYWORD_MAX } from "../../domain/filters.ts";
import type { Translator } from "../../i18n/index.ts";
import { type Duration, durationText } from "../components/duration.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

const ACTIONS: readonly FilterAction[] = ["warn", "blur", "hide"];

/** Mastodon's expiry choices, in seconds. */
export const EXPIRY_CHOICES: readonly [number, Duration][] = [
  [1800, ["minutes", 30]],
  [3600, ["hours", 1]],
  [21600, ["hours", 6]],
  [43200, ["hours", 12]],
  [86400, ["days", 1]],
  [604800, ["weeks", 1]],
];

const contextLabel = (t: Translator, c: FilterContext) => t(`c_filters.contexts.${c}`);
const actionLabel = (t: Translator, a: FilterAction) => t(`c_filters.actions.${a}`);

/** Empty keyword rows offered after the existing ones. */
export const BLANK_KEYWORD_ROWS = 3;

function expiryText(t: Translator, expiresAt: Date | null, now: Date): string {
  if (expiresAt === null) return t("c_filters.neverExpires");
  const at = t.dateTime(expiresAt);
  return t(expiresAt <= now ? "c_filters.expired" : "c_filters.expires", { at });
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
  const t = v.t;
  return html`<form method="post" action="${f ? `/settings/filters/${f.id}` : "/settings/filters"}" class="stack">
  <input type="hidden" name="csrf" value="${v.csrf}">
  <label for="filter-title">${t("c_filters.titleLabel")}</label>
  <input id="filter-title" name="title" type="text" required maxlength="${FILTER_TITLE_MAX}" value="${f?.title ?? ""}">
  <fieldset>
    <legend>${t("c_filters.keywords")}</legend>
    <p class="hint">${t("c_filters.keywordsHint")}</p>
    ${rows.map(
      (r, i) => html`<div class="field-pair">
      <input type="hidden" name="keyword_id_${i}" value="${r.id}">
      <div><label for="keyword_${i}">${t("c_filters.keyword", { n: t.number(i + 1) })}</label>
      <input id="keyword_${i}" name="keyword_${i}" type="text" maxlength="${KEYWORD_MAX}" value="${r.keyword}"></div>
      <div class="check"><input type="checkbox" id="whole_word_${i}" name="whole_word_${i}" value="1"${r.wholeWord ? " checked" : ""}>
      <label for="whole_word_${i}">${t("c_filters.wholeWord")}</label></div>
    </div>`,
    )}
  </fieldset>
  <fieldset>
    <legend>${t("c_filters.filterIn")}</legend>
    ${FILTER_CONTEXTS.map(
      (
        c,
      ) => html`<div class="check"><input type="checkbox" id="context_${c}" name="context_${c}" value="1"${contexts.includes(c) ? " checked" : ""}>
      <label for="context_${c}">${contextLabel(t, c)}</label></div>`,
    )}
  </fieldset>
  <fieldset>
    <legend>${t("c_filters.whenMatches")}</legend>
    ${ACTIONS.map(
      (
        a,
      ) => html`<div class="check"><input type="radio" id="action_${a}" name="filter_action" value="${a}"${a === action ? " checked" : ""}>
      <label for="action_${a}">${actionLabel(t, a)}</label></div>`,
    )}
  </fieldset>
  <label for="expires_in">${t("c_filters.expiresLabel")}</label>
  <select id="expires_in" name="expires_in">
    ${f ? html`<option value="keep" selected>${t("c_filters.keep", { expiry: expiryText(t, f.expiresAt, new Date()) })}</option>` : ""}
    <option value="">${t("c_filters.never")}</option>
    ${EXPIRY_CHOICES.map(([seconds, length]) => html`<option value="${seconds}">${t("c_filters.inDuration", { duration: durationText(t, length) })}</option>`)}
  </select>
  <button type="submit" class="button button-primary">${t(f ? "c_filters.save" : "c_filters.create")}</button>
</form>`;
}

function notice(error: string | undefined): Html {
  return error ? html`<p class="error" role="alert">${error}</p>` : html``;
}

export function filtersPage(v: View, list: readonly FilterWithRules[], error?: string): Html {
  const now = new Date();
  const t = v.t;
  return layout(
    v,
    { title: t("c_filters.title"), noindex: true },
    html`<section class="panel">
  <h1>${t("c_filters.title")}</h1>
  <p><a href="/settings">${t("c_filters.back")}</a></p>
  <p class="hint">${t("c_filters.intro")}</p>
  ${
    list.length === 0
      ? html`<p class="empty">${t("c_filters.none")}</p>`
      : html`<ul class="filter-list">${list.map(
          ({ filter, keywords, statuses }) => html`<li class="card">
        <h2><a href="/settings/filters/${filter.id}">${filter.title}</a></h2>
        <p class="muted">${filter.context.map((c) => contextLabel(t, c)).join(", ")} · ${actionLabel(t, filter.action)} · ${expiryText(t, filter.expiresAt, now)}</p>
        <p>${keywords.length === 0 ? html`<span class="muted">${t("c_filters.noKeywords")}</span>` : keywords.map((k) => html`<span class="tag">${k.keyword}${k.wholeWord ? "" : "…"}</span> `)}${
          statuses.length > 0
            ? html` <span class="muted">${t("c_filters.pickedPosts", { count: statuses.length })}</span>`
            : ""
        }</p>
        <form method="post" action="/settings/filters/${filter.id}/delete" class="inline" data-confirm="${t("c_filters.confirmDelete", { title: filter.title })}">
          <input type="hidden" name="csrf" value="${v.csrf}">
          <a class="button button-small" href="/settings/filters/${filter.id}">${t("c_filters.edit")}</a>
          <button type="submit" class="button button-small button-danger">${t("common.delete")}</button>
        </form>
      </li>`,
        )}</ul>`
  }
</section>
<section class="panel">
  <h2>${t("c_filters.newFilter")}</h2>
  ${notice(error)}
  ${filterForm(v, undefined)}
</section>`,
  );
}

export function filterEditPage(v: View, filter: FilterWithRules, error?: string): Html {
  return layout(
    v,
    { title: v.t("c_filters.editTitle", { title: filter.filter.title }), noindex: true },
    html`<section class="panel">
  <h1>${v.t("c_filters.editHeading")}</h1>
  <p><a href="/settings/filters">${v.t("c_filters.all")}</a></p>
  ${notice(error)}
  ${filterForm(v, filter)}
</section>`,
  );
}
