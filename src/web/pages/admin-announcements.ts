// Administration: announcements (publish, edit, remove), the same domain functions as the CLI's
// `announcement` commands. Times are entered and shown in UTC.
import { html } from "hono/html";
import type { Announcement } from "../../db/queries/rows.ts";
import type { View } from "../components/layout.ts";
import type { Html } from "../context.ts";
import { type AdminNotice, adminLayout } from "./admin.ts";

/** A date for a datetime-local input (UTC, to the minute). */
const inputValue = (d: Date | null) => (d ? d.toISOString().slice(0, 16) : "");

function fields(v: View, prefix: string, a?: Announcement): Html {
  return html`<input type="hidden" name="csrf" value="${v.csrf}">
    <label for="${prefix}-text">Text</label>
    <textarea id="${prefix}-text" name="text" rows="3" required maxlength="2000">${a?.text ?? ""}</textarea>
    <div class="field-pair">
      <div><label for="${prefix}-starts">Starts (UTC, optional)</label>
      <input id="${prefix}-starts" name="starts_at" type="datetime-local" value="${inputValue(a?.startsAt ?? null)}"></div>
      <div><label for="${prefix}-ends">Ends (UTC, optional; hidden after)</label>
      <input id="${prefix}-ends" name="ends_at" type="datetime-local" value="${inputValue(a?.endsAt ?? null)}"></div>
    </div>
    <div class="check">
      <input type="checkbox" id="${prefix}-all-day" name="all_day" value="1"${a?.allDay ? " checked" : ""}>
      <label for="${prefix}-all-day">All day (apps show the dates without times)</label>
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
    "Announcements",
    html`<h2>New announcement</h2>
  <p class="muted">Every local user sees it on their home page and in their apps until it ends or is removed.</p>
  <form method="post" action="/admin/announcements" class="stack narrow-form">
    ${fields(v, "new")}
    <button type="submit" class="button button-primary">Publish</button>
  </form>
  <h2 id="announcements-title">Announcements (${rows.length})</h2>
  ${
    rows.length === 0
      ? html`<p class="empty">No announcements.</p>`
      : rows.map(
          ({
            announcement: a,
            current,
          }) => html`<article class="panel announcement-admin" aria-label="Announcement ${a.id}">
    <p class="muted">${current ? "Shown" : "Ended"} · published <time datetime="${a.publishedAt.toISOString()}">${a.publishedAt.toISOString().slice(0, 16).replace("T", " ")}</time></p>
    <form method="post" action="/admin/announcements/${a.id}" class="stack narrow-form">
      ${fields(v, `a${a.id}`, a)}
      <button type="submit" class="button">Save changes</button>
    </form>
    <form method="post" action="/admin/announcements/${a.id}/delete" class="inline" data-confirm="Remove this announcement?">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <button type="submit" class="button button-danger">Remove</button>
    </form>
  </article>`,
        )
  }
  <p class="muted">The same list: <code>npm run cli -- announcement list</code>.</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
