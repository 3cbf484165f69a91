// Administration: announcements (publish, edit, remove), the same domain functions as the CLI's
// `announcement` commands. Times are entered and shown in UTC.
import { html } from "hono/html";
import type { Announcement } from "../../db/queries/rows.ts";
import type { View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import { type AdminNotice, adminLayout } from "./admin.ts";

/** A date for a datetime-local input (UTC, to the minute). */
const inputValue = (d: Date | null) => (d ? d.toISOString().slice(0, 16) : "");

function fields(v: View, prefix: string, a?: Announcement): Html {
  return html`<input type="hidden" name="csrf" value="${v.csrf}">
    <label for="${prefix}-text">${v.t("z_admin.announcements.text")}</label>
    <textarea id="${prefix}-text" name="text" rows="3" required maxlength="2000">${a?.text ?? ""}</textarea>
    <div class="field-pair">
      <div><label for="${prefix}-starts">${v.t("z_admin.announcements.starts")}</label>
      <input id="${prefix}-starts" name="starts_at" type="datetime-local" value="${inputValue(a?.startsAt ?? null)}"></div>
      <div><label for="${prefix}-ends">${v.t("z_admin.announcements.ends")}</label>
      <input id="${prefix}-ends" name="ends_at" type="datetime-local" value="${inputValue(a?.endsAt ?? null)}"></div>
    </div>
    <div class="check">
      <input type="checkbox" id="${prefix}-all-day" name="all_day" value="1"${a?.allDay ? " checked" : ""}>
      <label for="${prefix}-all-day">${v.t("z_admin.announcements.allDay")}</label>
    </div>`;
}

export function announcementsPage(
  v: View,
  rows: { announcement: Announcement; current: boolean }[],
  openReports: number,
  notice?: AdminNotice,
): Html {
  return adminLayout(
    v,
    "announcements",
    v.t("z_admin.tabs.announcements"),
    html`<h2>${v.t("z_admin.announcements.new")}</h2>
  <p class="muted">${v.t("z_admin.announcements.intro")}</p>
  <form method="post" action="/admin/announcements" class="stack narrow-form">
    ${fields(v, "new")}
    <button type="submit" class="button button-primary">${v.t("z_admin.announcements.publish")}</button>
  </form>
  <h2 id="announcements-title">${v.t("z_admin.announcements.heading", { count: rows.length })}</h2>
  ${
    rows.length === 0
      ? html`<p class="empty">${v.t("z_admin.announcements.none")}</p>`
      : rows.map(
          ({
            announcement: a,
            current,
          }) => html`<article class="panel announcement-admin" aria-label="${v.t("z_admin.announcements.label", { id: a.id })}">
    <p class="muted">${rich(v.t, current ? "z_admin.announcements.shown" : "z_admin.announcements.ended", { date: html`<time datetime="${a.publishedAt.toISOString()}">${a.publishedAt.toISOString().slice(0, 16).replace("T", " ")}</time>` })}</p>
    <form method="post" action="/admin/announcements/${a.id}" class="stack narrow-form">
      ${fields(v, `a${a.id}`, a)}
      <button type="submit" class="button">${v.t("z_admin.announcements.saveChanges")}</button>
    </form>
    <form method="post" action="/admin/announcements/${a.id}/delete" class="inline" data-confirm="${v.t("z_admin.announcements.confirmRemove")}">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <button type="submit" class="button button-danger">${v.t("z_moves.remove")}</button>
    </form>
  </article>`,
        )
  }
  <p class="muted">${rich(v.t, "z_admin.domains.cli", { command: html`<code>npm run cli -- announcement list</code>` })}</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
