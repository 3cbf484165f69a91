// Administration: the audit log, every moderator action newest first (domain/moderation-log.ts), 50 a
// page with a link to older ones.
import { html } from "hono/html";
import type { ModerationLogRow } from "../../domain/moderation-log.ts";
import type { View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
import type { Html } from "../context.ts";
import { adminLayout } from "./admin.ts";

export function auditLogPage(
  v: View,
  rows: ModerationLogRow[],
  openReports: number,
  olderId: string | null,
): Html {
  return adminLayout(
    v,
    "audit",
    "Audit log",
    html`<p class="muted">What moderators did, from the admin pages, the admin API and the command line.</p>
  ${
    rows.length === 0
      ? html`<p class="empty">No moderator action yet.</p>`
      : tableWrap(
          { label: "Moderator actions" },
          html`<table aria-label="Moderator actions">
    <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Note</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr>
      <td><time datetime="${r.entry.createdAt.toISOString()}">${r.entry.createdAt.toISOString().slice(0, 16).replace("T", " ")}</time></td>
      <td>${r.entry.accountId === null ? html`<span class="muted">command line</span>` : r.moderator === null ? html`<span class="muted">a former moderator</span>` : `@${r.moderator}`}</td>
      <td><code>${r.entry.action}</code></td>
      <td>${r.entry.targetLabel}</td>
      <td>${r.entry.text || html`<span class="muted">—</span>`}</td>
    </tr>`,
    )}</tbody></table>`,
        )
  }
  ${olderId === null ? "" : html`<p><a href="/admin/audit?max_id=${olderId}">Older entries</a></p>`}`,
    { openReports },
  );
}
