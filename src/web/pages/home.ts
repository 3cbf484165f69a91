// The signed-in home timeline, with links to compose, lists, scheduled posts and search, under the
// current announcements the user has not dismissed.
import { html, raw } from "hono/html";
import type { AnnouncementView } from "../../db/queries/announcements.ts";
import { noteToHtml } from "../../domain/profiles.ts";
import { layout, type View } from "../components/layout.ts";
import { placeholderStylesFor } from "../components/placeholder-styles.ts";
import { statusCard } from "../components/status.ts";
import type { Html } from "../context.ts";
import type { Page, StatusView } from "../views.ts";

const when = (d: Date, allDay: boolean) =>
  html`<time datetime="${d.toISOString()}">${allDay ? d.toISOString().slice(0, 10) : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`}</time>`;

function announcementsSection(v: View, list: AnnouncementView[]): Html | string {
  if (list.length === 0) return "";
  return html`<section class="announcements column" aria-labelledby="announcements-title">
  <h2 id="announcements-title">Announcements</h2>
  ${list.map(({ announcement: a }) => {
    const period =
      a.startsAt || a.endsAt
        ? html`<p class="muted">${a.startsAt ? when(a.startsAt, a.allDay) : ""}${a.startsAt && a.endsAt ? " – " : ""}${a.endsAt ? when(a.endsAt, a.allDay) : ""}</p>`
        : "";
    // noteToHtml escapes the administrator's text and only adds paragraphs and line breaks.
    return html`<article class="panel announcement">
    ${raw(noteToHtml(a.text))}
    ${period}
    <form method="post" action="/announcements/${a.id}/dismiss" class="inline">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <button type="submit" class="button button-small">Dismiss</button>
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
      title: "Home",
      noindex: true,
      head: placeholderStylesFor(
        v,
        timeline.items.flatMap((p) => p.media),
      ),
    },
    html`${announcementsSection(v, announcements)}<section class="intro column">
  <h1>Home</h1>
  <p class="muted">Your posts and those of the people you follow (boosts and replies too), and public posts with the hashtags you follow.</p>
  <p><a class="button button-primary" href="/compose">Create an image</a>
  <a class="button" href="/lists">Lists</a> <a class="button" href="/albums">Albums</a> <a class="button" href="/scheduled">Scheduled posts</a></p>
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
