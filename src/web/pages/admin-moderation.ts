// Administration: the domain block list (add, remove) and reports (list, one report, resolve).
import { html, raw } from "hono/html";
import type { Status } from "../../db/queries/rows.ts";
import { COMMENT_MAX_LENGTH, publicDomain } from "../../domain/moderation.ts";
import type { ReportSummary } from "../../domain/reports.ts";
import { accountLine, statusPath } from "../components/account.ts";
import type { View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
import type { Html } from "../context.ts";
import { type AdminNotice, adminLayout } from "./admin.ts";

export interface DomainBlockRow {
  domain: string;
  reason: string;
  privateComment: string | null;
  obfuscate: boolean;
  createdAt: Date;
}

const day = (d: Date) =>
  html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 10)}</time>`;

export function domainBlocksPage(
  v: View,
  blocks: DomainBlockRow[],
  openReports: number,
  notice?: AdminNotice,
): Html {
  return adminLayout(
    v,
    "domains",
    "Domain blocks",
    html`<h2 id="blocks-title">Blocked instances (${blocks.length})</h2>
  <p class="muted">Nothing is accepted from a blocked instance and nothing is delivered to it; follows with its accounts are removed. Without a port, a block covers every port and every subdomain.</p>
  <form method="post" action="/admin/domain_blocks" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="block-domain">Instance (host, host:port or URL)</label>
    <input id="block-domain" name="domain" type="text" required maxlength="300" placeholder="spam.example">
    <label for="block-reason">Public comment (only administrators see it, unless SHOW_DOMAIN_BLOCK_REASONS publishes it)</label>
    <input id="block-reason" name="reason" type="text" maxlength="${COMMENT_MAX_LENGTH}">
    <label for="block-private">Private comment (administrators only, always)</label>
    <input id="block-private" name="private_comment" type="text" maxlength="${COMMENT_MAX_LENGTH}">
    <div class="check">
      <input type="checkbox" id="block-obfuscate" name="obfuscate" value="1">
      <label for="block-obfuscate">Obfuscate the name in the published list (the middle of it is starred)</label>
    </div>
    <button type="submit" class="button button-primary">Block instance</button>
  </form>
  ${
    blocks.length === 0
      ? html`<p class="empty">No instance is blocked.</p>`
      : tableWrap(
          { labelledBy: "blocks-title" },
          html`<table aria-labelledby="blocks-title">
    <thead><tr><th scope="col">Instance</th><th scope="col">Comments</th><th scope="col">Since</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>${blocks.map(
      (b) => html`<tr>
      <th scope="row">${b.domain}${b.obfuscate ? html` <span class="muted">(published as ${publicDomain(b)})</span>` : ""}</th>
      <td>${b.reason || html`<span class="muted">—</span>`}${b.privateComment ? html`<br><span class="muted">Private: ${b.privateComment}</span>` : ""}</td><td>${day(b.createdAt)}</td>
      <td><form method="post" action="/admin/domain_blocks/delete" class="inline">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <input type="hidden" name="domain" value="${b.domain}">
        <button type="submit" class="button button-small" aria-label="Unblock ${b.domain}">Unblock</button>
      </form></td>
    </tr>`,
    )}</tbody></table>`,
        )
  }
  <p class="muted">The same list: <code>npm run cli -- domain list</code>.</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}

export function reportsPage(
  v: View,
  state: "open" | "resolved",
  list: ReportSummary[],
  openReports: number,
): Html {
  return adminLayout(
    v,
    "reports",
    "Reports",
    html`<h2 id="reports-title">${state === "open" ? "Open reports" : "Resolved reports"}</h2>
  <p>${
    state === "open"
      ? html`<a href="/admin/reports?state=resolved">Show resolved reports</a>`
      : html`<a href="/admin/reports">Show open reports</a>`
  }</p>
  ${
    list.length === 0
      ? html`<p class="empty">${state === "open" ? "No open reports." : "No resolved reports yet."}</p>`
      : tableWrap(
          { labelledBy: "reports-title" },
          html`<table aria-labelledby="reports-title">
    <thead><tr><th scope="col">Report</th><th scope="col">About</th><th scope="col">From</th><th scope="col">Posts</th><th scope="col">Received</th></tr></thead>
    <tbody>${list.map(
      (r) => html`<tr>
      <th scope="row"><a href="/admin/reports/${r.report.id}">${r.report.comment.slice(0, 80) || "(no comment)"}</a></th>
      <td>${accountLine(v, r.target)}</td>
      <td>${accountLine(v, r.reporter)}</td>
      <td>${r.report.statusIds.length}</td>
      <td>${day(r.report.createdAt)}</td>
    </tr>`,
    )}</tbody></table>`,
        )
  }`,
    { openReports },
  );
}

export function reportPage(
  v: View,
  r: ReportSummary & { statuses: Status[] },
  openReports: number,
): Html {
  const resolved = r.report.resolvedAt !== null;
  return adminLayout(
    v,
    "reports",
    "Report",
    html`<h2>Report about ${accountLine(v, r.target)}</h2>
  <dl class="figures">
    <div><dt>From</dt><dd>${accountLine(v, r.reporter)}${r.reporter.domain ? html` <span class="muted">(sent by ${r.reporter.domain})</span>` : ""}</dd></div>
    <div><dt>Received</dt><dd>${day(r.report.createdAt)}</dd></div>
    <div><dt>Category</dt><dd>${r.report.category}${r.report.forwarded ? html` <span class="muted">(forwarded to ${r.target.domain})</span>` : ""}</dd></div>
    <div><dt>State</dt><dd>${resolved ? html`Resolved ${day(r.report.resolvedAt!)}` : "Open"}</dd></div>
  </dl>
  <h3>Comment</h3>
  <p class="report-comment">${r.report.comment || html`<span class="muted">No comment.</span>`}</p>
  <h3>Reported posts (${r.statuses.length})</h3>
  ${
    r.statuses.length === 0
      ? html`<p class="empty">No posts named${r.report.statusIds.length > 0 ? " (they were deleted)" : ""}.</p>`
      : html`<ul class="report-statuses">${r.statuses.map(
          (s) =>
            html`<li><blockquote class="prose">${raw(s.content)}</blockquote><a href="${statusPath(r.target, s.id)}">Open the post</a></li>`,
        )}</ul>`
  }
  <form method="post" action="/admin/reports/${r.report.id}/${resolved ? "reopen" : "resolve"}" class="inline">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <button type="submit" class="button${resolved ? "" : " button-primary"}">${resolved ? "Reopen" : "Mark as resolved"}</button>
  </form>
  <p><a href="/admin/reports">Back to reports</a></p>`,
    { openReports },
  );
}
