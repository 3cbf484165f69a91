// Administration: dataset exports. Start one (optionally only posts since a date), follow its progress
// in the table, and download the finished tar. What goes in is decided by the export itself
// (domain/datasets/selection.ts); this page only says so.
import { html } from "hono/html";
import type { DatasetExport } from "../../db/queries/rows.ts";
import type { View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import { type AdminNotice, adminLayout } from "./admin.ts";

function size(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function progress(v: View, e: DatasetExport): Html {
  if (e.state === "queued") return html``;
  if (e.total === 0) {
    return html`${e.state === "running" ? v.t("z_admin.datasets.selecting") : v.t("gallery.images", { count: 0 })}`;
  }
  const values = { done: v.t.number(e.done), count: e.total };
  return html`<progress max="${e.total}" value="${e.done}" aria-label="${v.t("z_admin.datasets.exportLabel", { id: e.id })}">${v.t("z_admin.datasets.doneOf", values)}</progress> ${v.t("z_admin.datasets.imagesOf", values)}`;
}

export function datasetsPage(
  v: View,
  exports: DatasetExport[],
  openReports = 0,
  notice?: AdminNotice,
): Html {
  const busy = exports.some((e) => e.state === "queued" || e.state === "running");
  return adminLayout(
    v,
    "datasets",
    v.t("z_admin.tabs.datasets"),
    html`<h2>${v.t("z_admin.datasets.heading")}</h2>
  <p>${rich(v.t, "z_admin.datasets.intro", { metadata: html`<code>metadata.jsonl</code>`, command: html`<code>npm run cli -- dataset export --out FILE.tar</code>` })}</p>
  <form method="post" action="/admin/datasets" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="since">${v.t("z_admin.datasets.since")}</label>
    <input type="date" id="since" name="since">
    <button type="submit" class="button button-primary">${v.t("z_admin.datasets.start")}</button>
  </form>
  <h2 id="exports-title">${v.t("z_admin.datasets.exports")}</h2>
  ${busy ? html`<p class="muted" role="status">${v.t("z_admin.datasets.busy")}</p>` : ""}
  ${
    exports.length === 0
      ? html`<p>${v.t("z_admin.datasets.none")}</p>`
      : tableWrap(
          { labelledBy: "exports-title" },
          html`<table aria-labelledby="exports-title">
    <thead><tr><th scope="col">${v.t("z_admin.datasets.started")}</th><th scope="col">${v.t("z_admin.domains.since")}</th><th scope="col">${v.t("z_admin.reports.state")}</th><th scope="col">${v.t("z_admin.datasets.progress")}</th><th scope="col">${v.t("z_admin.datasets.members")}</th><th scope="col">${v.t("z_admin.datasets.file")}</th><th scope="col"></th></tr></thead>
    <tbody>
    ${exports.map(
      (e) => html`<tr id="export-${e.id}">
      <td><time datetime="${e.createdAt.toISOString()}">${e.createdAt.toISOString().slice(0, 16).replace("T", " ")}</time></td>
      <td>${e.since === null ? v.t("z_admin.datasets.all") : e.since.toISOString().slice(0, 10)}</td>
      <td>${v.t(`z_admin.datasets.states.${e.state}`)}${e.errorMessage ? html`<br><span class="${e.state === "failed" ? "error" : "muted"}">${e.errorMessage}</span>` : ""}</td>
      <td>${progress(v, e)}</td>
      <td>${e.state === "succeeded" ? e.users : ""}</td>
      <td>${e.path ? html`<code>${e.path}</code> ${size(e.byteSize)}` : ""}</td>
      <td>${e.state === "succeeded" ? html`<a class="button" href="/admin/datasets/${e.id}/download" download>${v.t("z_admin.datasets.download")}</a>` : ""}</td>
    </tr>`,
    )}
    </tbody>
  </table>`,
        )
  }`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
