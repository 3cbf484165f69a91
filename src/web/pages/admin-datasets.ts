// Administration: dataset exports. Start one (optionally only posts since a date), follow its progress
// in the table, and download the finished tar. What goes in is decided by the export itself
// (domain/datasets/selection.ts); this page only says so.
import { html } from "hono/html";
import type { DatasetExport } from "../../db/queries/rows.ts";
import type { View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
import type { Html } from "../context.ts";
import { type AdminNotice, adminLayout } from "./admin.ts";

const STATES: Record<DatasetExport["state"], string> = {
  queued: "Waiting",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
};

function size(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function progress(e: DatasetExport): Html {
  if (e.state === "queued") return html``;
  if (e.total === 0) return html`${e.state === "running" ? "Selecting…" : "0 images"}`;
  return html`<progress max="${e.total}" value="${e.done}" aria-label="Export ${e.id}">${e.done} of ${e.total}</progress> ${e.done} of ${e.total} images`;
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
    "Datasets",
    html`<h2>Export a dataset</h2>
  <p>The public AI images of members who allowed datasets, with their prompts, under the licence each
  chose, as a Hugging Face ImageFolder archive (<code>metadata.jsonl</code> and a datasheet). Never in it:
  posts from other servers, posts that are not public, deleted or kept-out posts, members who did not
  consent or withdrew. The same as <code>npm run cli -- dataset export --out FILE.tar</code>.</p>
  <form method="post" action="/admin/datasets" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="since">Only posts since (optional)</label>
    <input type="date" id="since" name="since">
    <button type="submit" class="button button-primary">Start export</button>
  </form>
  <h2 id="exports-title">Exports</h2>
  ${busy ? html`<p class="muted" role="status">An export is under way: reload the page to see its progress.</p>` : ""}
  ${
    exports.length === 0
      ? html`<p>No export yet.</p>`
      : tableWrap(
          { labelledBy: "exports-title" },
          html`<table aria-labelledby="exports-title">
    <thead><tr><th scope="col">Started</th><th scope="col">Since</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col">Members</th><th scope="col">File</th><th scope="col"></th></tr></thead>
    <tbody>
    ${exports.map(
      (e) => html`<tr id="export-${e.id}">
      <td><time datetime="${e.createdAt.toISOString()}">${e.createdAt.toISOString().slice(0, 16).replace("T", " ")}</time></td>
      <td>${e.since === null ? "All" : e.since.toISOString().slice(0, 10)}</td>
      <td>${STATES[e.state]}${e.errorMessage ? html`<br><span class="${e.state === "failed" ? "error" : "muted"}">${e.errorMessage}</span>` : ""}</td>
      <td>${progress(e)}</td>
      <td>${e.state === "succeeded" ? e.users : ""}</td>
      <td>${e.path ? html`<code>${e.path}</code> ${size(e.byteSize)}` : ""}</td>
      <td>${e.state === "succeeded" ? html`<a class="button" href="/admin/datasets/${e.id}/download" download>Download</a>` : ""}</td>
    </tr>`,
    )}
    </tbody>
  </table>`,
        )
  }`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
