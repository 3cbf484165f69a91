// The lists pages: one's lists with a form to make one, and a list's page (its timeline, its members
// with add and remove, rename and delete). Plain forms, so they work without JavaScript.
import { html } from "hono/html";
import type { Account, List, RepliesPolicy } from "../../db/queries/rows.ts";
import { LIST_TITLE_MAX } from "../../domain/lists.ts";
import { accountLine, displayNameOf, handleOf } from "../components/account.ts";
import { layout, type View } from "../components/layout.ts";
import { placeholderStylesFor } from "../components/placeholder-styles.ts";
import { statusCard } from "../components/status.ts";
import type { Html } from "../context.ts";
import type { Page, StatusView } from "../views.ts";

const POLICIES: readonly RepliesPolicy[] = ["list", "followed", "none"];

const csrf = (v: View) => html`<input type="hidden" name="csrf" value="${v.csrf}">`;

function errorNotice(error: string | undefined): Html | string {
  return error ? html`<p class="notice notice-error" role="alert">${error}</p>` : "";
}

function listFields(
  v: View,
  list: Pick<List, "title" | "repliesPolicy" | "exclusive"> | null,
): Html {
  const policy = list?.repliesPolicy ?? "list";
  return html`<label for="title">${v.t("c_lists.titleLabel")}</label>
  <input type="text" id="title" name="title" maxlength="${LIST_TITLE_MAX}" required value="${list?.title ?? ""}">
  <label for="replies_policy">${v.t("c_lists.showReplies")}</label>
  <select id="replies_policy" name="replies_policy">${POLICIES.map(
    (p) =>
      html`<option value="${p}"${p === policy ? " selected" : ""}>${v.t(`c_lists.policies.${p}`)}</option>`,
  )}</select>
  <label class="checkbox"><input type="checkbox" name="exclusive" value="1"${list?.exclusive ? " checked" : ""}>
  ${v.t("c_lists.exclusive")}</label>`;
}

export function listsPage(v: View, lists: List[], error?: string): Html {
  return layout(
    v,
    { title: v.t("c_lists.title"), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("c_lists.title")}</h1>
  <p class="muted">${v.t("c_lists.intro")}</p>
  ${errorNotice(error)}
  ${
    lists.length === 0
      ? html`<p class="empty">${v.t("c_lists.none")}</p>`
      : html`<ul class="lists">${lists.map(
          (l) => html`<li><a href="/lists/${l.id}">${l.title}</a></li>`,
        )}</ul>`
  }
  <h2>${v.t("c_lists.newList")}</h2>
  <form method="post" action="/lists" class="stack">
    ${csrf(v)}
    ${listFields(v, null)}
    <button type="submit" class="button button-primary">${v.t("c_lists.create")}</button>
  </form>
</section>`,
  );
}

export interface ListPageData {
  list: List;
  timeline: Page<StatusView>;
  members: Account[];
  /** Accounts the owner follows that are not members yet (the ones that can be added). */
  addable: Account[];
}

export function listPage(v: View, d: ListPageData, error?: string): Html {
  const { list, timeline } = d;
  const domain = new URL(v.origin).host;
  return layout(
    v,
    {
      title: list.title,
      noindex: true,
      head: placeholderStylesFor(
        v,
        timeline.items.flatMap((p) => p.media),
      ),
    },
    html`<section class="intro column">
  <p><a href="/lists">${v.t("c_lists.back")}</a></p>
  <h1>${list.title}</h1>
  ${errorNotice(error)}
</section>
<section class="panel narrow">
  <h2>${v.t("c_lists.members")}</h2>
  ${
    d.members.length === 0
      ? html`<p class="empty">${v.t("c_lists.nobody")}</p>`
      : html`<ul class="members">${d.members.map(
          (a) => html`<li>${accountLine(v, a)}
      <form method="post" action="/lists/${list.id}/accounts/remove" class="inline">
        ${csrf(v)}<input type="hidden" name="account_id" value="${a.id}">
        <button type="submit" class="link-button">${v.t("c_lists.remove", { name: displayNameOf(a) })}</button>
      </form></li>`,
        )}</ul>`
  }
  ${
    d.addable.length === 0
      ? html`<p class="muted">${v.t("c_lists.allAdded")}</p>`
      : html`<form method="post" action="/lists/${list.id}/accounts" class="stack">
    ${csrf(v)}
    <label for="account_id">${v.t("c_lists.addLabel")}</label>
    <select id="account_id" name="account_id">${d.addable.map(
      (a) => html`<option value="${a.id}">${displayNameOf(a)} (${handleOf(a, domain)})</option>`,
    )}</select>
    <button type="submit" class="button">${v.t("c_lists.add")}</button>
  </form>`
  }
  <details><summary>${v.t("c_lists.change")}</summary>
  <form method="post" action="/lists/${list.id}" class="stack">
    ${csrf(v)}
    ${listFields(v, list)}
    <button type="submit" class="button">${v.t("common.save")}</button>
  </form>
  </details>
  <form method="post" action="/lists/${list.id}/delete" class="inline">
    ${csrf(v)}
    <button type="submit" class="button button-danger">${v.t("c_lists.delete")}</button>
  </form>
</section>
<div class="statuses" data-infinite>
${
  timeline.items.length === 0
    ? html`<p class="empty">${v.t("c_lists.noPosts")}</p>`
    : timeline.items.map((p) => statusCard(v, p))
}
</div>
${
  timeline.next
    ? html`<nav class="pager" aria-label="${v.t("common.more")}"><a class="button" rel="next" data-next href="/lists/${list.id}?max_id=${encodeURIComponent(timeline.next)}">${v.t("common.olderPosts")}</a></nav>`
    : ""
}`,
  );
}
