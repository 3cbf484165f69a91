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
    v.t("z_admin.tabs.audit"),
    html`<p class="muted">${v.t("z_admin.audit.intro")}</p>
  ${
    rows.length === 0
      ? html`<p class="empty">${v.t("z_admin.audit.none")}</p>`
      : tableWrap(
          { label: v.t("z_admin.audit.actions") },
          html`<table aria-label="${v.t("z_admin.audit.actions")}">
    <thead><tr><th scope="col">${v.t("z_admin.audit.when")}</th><th scope="col">${v.t("z_admin.audit.who")}</th><th scope="col">${v.t("z_admin.audit.action")}</th><th scope="col">${v.t("z_admin.audit.target")}</th><th scope="col">${v.t("z_admin.audit.note")}</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr>
      <td><time datetime="${r.entry.createdAt.toISOString()}">${r.entry.createdAt.toISOString().slice(0, 16).replace("T", " ")}</time></td>
      <td>${r.entry.accountId === null ? html`<span class="muted">${v.t("z_admin.audit.commandLine")}</span>` : r.moderator === null ? html`<span class="muted">${v.t("z_admin.audit.formerModerator")}</span>` : `@${r.moderator}`}</td>
      <td><code>${r.entry.action}</code></td>
      <td>${r.entry.targetLabel}</td>
      <td>${r.entry.text || html`<span class="muted">—</span>`}</td>
    </tr>`,
    )}</tbody></table>`,
        )
  }
  ${olderId === null ? "" : html`<p><a href="/admin/audit?max_id=${olderId}">${v.t("z_admin.audit.older")}</a></p>`}`,
    { openReports },
  );
}
