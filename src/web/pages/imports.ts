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

const IMPORT_TYPES = [
  "following",
  "blocking",
  "muting",
  "domain_blocking",
  "bookmarks",
  "lists",
] as const satisfies readonly BulkImport["type"][];

export function importsPage(
  v: View,
  imports: readonly { job: BulkImport; failures: { line: number; error: string | null }[] }[],
  notice?: ImportsNotice,
): Html {
  return layout(
    v,
    { title: v.t("z_imports.tab"), noindex: true },
    html`<section class="panel">
  <h1>${v.t("z_imports.title")}</h1>
  <p><a href="/settings">${v.t("tags.backToSettings")}</a></p>
  ${notice ? html`<p class="${notice.kind === "ok" ? "success" : "error"}" role="${notice.kind === "ok" ? "status" : "alert"}">${notice.text}</p>` : ""}
  <h2>${v.t("z_imports.export")}</h2>
  <p class="muted">${v.t("z_imports.exportIntro")}</p>
  <ul>${EXPORT_KINDS.map((k) => html`<li><a href="/settings/export/${k}.csv" download>${v.t(`z_imports.exports.${k}`)}</a></li>`)}</ul>
  <h2>${v.t("z_imports.import")}</h2>
  <form method="post" action="/settings/import" enctype="multipart/form-data" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="import-type">${v.t("z_imports.kind")}</label>
    <select id="import-type" name="type">${IMPORT_TYPES.map((t) => html`<option value="${t}">${v.t(`z_imports.types.${t}`)}</option>`)}</select>
    <fieldset><legend>${v.t("z_imports.mode")}</legend>
      <label><input type="radio" name="mode" value="merge" checked> ${v.t("z_imports.mergeHint")}</label>
      <label><input type="radio" name="mode" value="overwrite"> ${v.t("z_imports.overwriteHint")}</label>
    </fieldset>
    <label for="import-file">${v.t("z_imports.file", { mb: v.t.number(20), rows: v.t.number(20000) })}</label>
    <input id="import-file" name="file" type="file" accept=".csv,text/csv" required>
    <button type="submit" class="button button-primary">${v.t("z_imports.upload")}</button>
  </form>
  <h2>${v.t("z_imports.recent")}</h2>
  ${
    imports.length === 0
      ? html`<p class="empty">${v.t("z_imports.none")}</p>`
      : html`<ul class="stack">${imports.map(({ job, failures }) => {
          const failed = job.processedItems - job.importedItems;
          return html`<li class="import" data-state="${job.state}"><strong>${v.t(`z_imports.types.${job.type}`)}</strong> (${v.t(job.overwrite ? "z_imports.overwrite" : "z_imports.merge")}${job.originalFilename ? html`, ${job.originalFilename}` : ""}): ${v.t(`z_imports.states.${job.state}`)},
        <span class="import-progress">${v.t("z_imports.processed", { done: job.processedItems, total: job.totalItems })}</span>, ${v.t("z_imports.imported", { count: job.importedItems })}, ${v.t("z_imports.failed", { count: failed })}${job.errorMessage ? html` — ${job.errorMessage}` : ""}
        ${failures.length > 0 ? html`<ul>${failures.map((f) => html`<li>${v.t("z_imports.line", { line: f.line, error: f.error ?? "" })}</li>`)}</ul>` : ""}</li>`;
        })}</ul>`
  }
</section>`,
  );
}
