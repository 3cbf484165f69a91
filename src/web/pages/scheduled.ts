// The scheduled posts page: one's scheduled statuses, soonest first on the page, each with its text,
// images and time, and a form to cancel it (its images are then free to post again).
import { html } from "hono/html";
import type { MediaAttachment, ScheduledStatus } from "../../db/queries/rows.ts";
import { layout, type View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";

export interface ScheduledView {
  scheduled: ScheduledStatus;
  /** Thumbnails of its held images, in display order. */
  images: { media: MediaAttachment; url: string }[];
}

/** A time as the compose form takes it: UTC, to the minute (the page shows it in its language too). */
export function utcMinute(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function scheduledPage(v: View, items: ScheduledView[], notice?: string): Html {
  return layout(
    v,
    { title: v.t("c_scheduled.title"), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("c_scheduled.title")}</h1>
  ${notice ? html`<p class="success" role="status">${notice}</p>` : ""}
  <p class="muted">${rich(v.t, "c_scheduled.intro", { create: html`<a href="/compose">${v.t("c_scheduled.create")}</a>` })}</p>
  ${
    items.length === 0
      ? html`<p class="empty">${v.t("c_scheduled.none")}</p>`
      : html`<ul class="scheduled">${items.map(
          ({ scheduled: s, images }) => html`<li class="scheduled-status">
    <p><time datetime="${s.scheduledAt.toISOString()}" title="${utcMinute(s.scheduledAt)}">${v.t.dateTime(s.scheduledAt)}</time></p>
    ${s.params.text ? html`<p>${s.params.text}</p>` : ""}
    ${images.map(
      (i) =>
        html`<img src="${i.url}" alt="${i.media.description ?? ""}" width="120"${i.media.width && i.media.height ? html` height="${Math.round((120 * i.media.height) / i.media.width)}"` : ""}>`,
    )}
    <form method="post" action="/scheduled/${s.id}/cancel" class="inline">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <button type="submit" class="button button-danger">${v.t("common.cancel")}</button>
    </form>
  </li>`,
        )}</ul>`
  }
</section>`,
  );
}
