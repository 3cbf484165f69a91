// Settings → Import and export: links to Mastodon's CSV exports, the upload form, and the account's
// imports with their progress (processed of total, failures and why).
import { html } from "hono/html";
import { EXPORT_KINDS } from "../../domain/imports/export.ts";
import type { BulkImport } from "../../domain/imports/jobs.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export interface ImportsNotice {
  kind: "ok" | "error";
  text: string;
}

const TYPE_LABELS: Record<BulkImport["type"], string> = {
  following: "Following list",
  blocking: "Blocking list",
  muting: "Muting list",
  domain_blocking: "Domain blocking list",
  bookmarks: "Bookmarks",
  lists: "Lists",
};

const EXPORT_LABELS: Record<(typeof EXPORT_KINDS)[number], string> = {
  follows: "Follows",
  followers: "Followers",
  lists: "Lists",
  blocks: "Blocks",
  mutes: "Mutes",
  domain_blocks: "Blocked domains",
  bookmarks: "Bookmarks",
};

export function importsPage(
  v: View,
  imports: readonly { job: BulkImport; failures: { line: number; error: string | null }[] }[],
  notice?: ImportsNotice,
): Html {
  return layout(
    v,
    { title: "Import and export · Settings", noindex: true },
    html`<section class="panel">
  <h1>Import and export</h1>
  <p><a href="/settings">Back to settings</a></p>
  ${notice ? html`<p class="${notice.kind === "ok" ? "success" : "error"}" role="${notice.kind === "ok" ? "status" : "alert"}">${notice.text}</p>` : ""}
  <h2>Export</h2>
  <p class="muted">CSV files in Mastodon's formats, which other servers import.</p>
  <ul>${EXPORT_KINDS.map((k) => html`<li><a href="/settings/export/${k}.csv" download>${EXPORT_LABELS[k]}</a></li>`)}</ul>
  <h2>Import</h2>
  <form method="post" action="/settings/import" enctype="multipart/form-data" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="import-type">Kind of data</label>
    <select id="import-type" name="type">${Object.entries(TYPE_LABELS).map(([t, label]) => html`<option value="${t}">${label}</option>`)}</select>
    <fieldset><legend>Mode</legend>
      <label><input type="radio" name="mode" value="merge" checked> Merge: keep what you have and add the file's</label>
      <label><input type="radio" name="mode" value="overwrite"> Overwrite: replace what you have with the file's</label>
    </fieldset>
    <label for="import-file">CSV file (at most 20 MB, 20,000 rows)</label>
    <input id="import-file" name="file" type="file" accept=".csv,text/csv" required>
    <button type="submit" class="button button-primary">Upload</button>
  </form>
  <h2>Recent imports</h2>
  ${
    imports.length === 0
      ? html`<p class="empty">No imports yet.</p>`
      : html`<ul class="stack">${imports.map(({ job, failures }) => {
          const failed = job.processedItems - job.importedItems;
          return html`<li class="import" data-state="${job.state}"><strong>${TYPE_LABELS[job.type]}</strong> (${job.overwrite ? "overwrite" : "merge"}${job.originalFilename ? html`, ${job.originalFilename}` : ""}): ${job.state},
        <span class="import-progress">${job.processedItems}/${job.totalItems} processed</span>, ${job.importedItems} imported, ${failed} failed${job.errorMessage ? html` — ${job.errorMessage}` : ""}
        ${failures.length > 0 ? html`<ul>${failures.map((f) => html`<li>Line ${f.line}: ${f.error ?? ""}</li>`)}</ul>` : ""}</li>`;
        })}</ul>`
  }
</section>`,
  );
}
