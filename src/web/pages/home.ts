// The signed-in home timeline, with links to compose, lists, scheduled posts and search, under the
// current announcements the user has not dismissed.
import { html, raw } from "hono/html";
import type { AnnouncementView } from "../../db/queries/announcements.ts";
import { noteToHtml } from "../../domain/profiles.ts";
import { layout, type View } from "../components/layout.ts";
import { placeholderStylesFor } from "../components/placeholder-styles.ts";
import { statusCard } from "../components/status.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import type { Page, StatusView } from "../views.ts";

const when = (v: View, d: Date, allDay: boolean) =>
  html`<time datetime="${d.toISOString()}">${allDay ? v.t.date(d) : v.t.dateTime(d)}</time>`;

function announcementsSection(v: View, list: AnnouncementView[]): Html | string {
  if (list.length === 0) return "";
  return html`<section class="announcements column" aria-labelledby="announcements-title">
  <h2 id="announcements-title">${v.t("home.announcements")}</h2>
  ${list.map(({ announcement: a }) => {
    const period =
      a.startsAt || a.endsAt
        ? html`<p class="muted">${a.startsAt ? when(v, a.startsAt, a.allDay) : ""}${a.startsAt && a.endsAt ? " – " : ""}${a.endsAt ? when(v, a.endsAt, a.allDay) : ""}</p>`
        : "";
    // noteToHtml escapes the administrator's text and only adds paragraphs and line breaks.
    return html`<article class="panel announcement">
    ${raw(noteToHtml(a.text))}
    ${period}
    <form method="post" action="/announcements/${a.id}/dismiss" class="inline">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <button type="submit" class="button button-small">${v.t("home.dismiss")}</button>
    </form>
  </article>`;
  })}
</section>`;
}

export function homePage(
  v: View,
  timeline: Page<StatusView>,
  announcements: AnnouncementView[] = [],
): Html {
  return layout(
    v,
    {
      title: v.t("home.title"),
      noindex: true,
      head: placeholderStylesFor(
        v,
        timeline.items.flatMap((p) => p.media),
      ),
    },
    html`${announcementsSection(v, announcements)}<section class="intro column">
  <h1>${v.t("home.title")}</h1>
  <p class="muted">${v.t("home.intro")}</p>
  <p><a class="button button-primary" href="/compose">${v.t("home.createImage")}</a>
  <a class="button" href="/lists">${v.t("home.lists")}</a> <a class="button" href="/albums">${v.t("home.albums")}</a> <a class="button" href="/scheduled">${v.t("home.scheduled")}</a></p>
  <form method="get" action="/search" role="search" class="stack">
    <label for="search-q">${v.t("home.searchLabel")}</label>
    <input type="text" id="search-q" name="q" placeholder="@someone@mastodon.social" maxlength="2048">
    <button type="submit" class="button">${v.t("common.search")}</button>
  </form>
</section>
<div class="statuses" data-infinite>
${
  timeline.items.length === 0
    ? html`<p class="empty">${rich(v.t, "home.empty", { explore: html`<a href="/explore">${v.t("explore.title")}</a>` })}</p>`
    : timeline.items.map((p) => statusCard(v, p))
}
</div>
${
  timeline.next
    ? html`<nav class="pager" aria-label="${v.t("common.more")}"><a class="button" rel="next" data-next href="/home?max_id=${encodeURIComponent(timeline.next)}">${v.t("common.olderPosts")}</a></nav>`
    : ""
}`,
  );
}
