// Administration: the domain block list (add, remove) and reports (list, one report, resolve).
import { html, raw } from "hono/html";
import type { Status } from "../../db/queries/rows.ts";
import { COMMENT_MAX_LENGTH, publicDomain } from "../../domain/moderation.ts";
import type { ReportSummary } from "../../domain/reports.ts";
import { accountLine, statusPath } from "../components/account.ts";
import type { View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
import { rich } from "../components/text.ts";
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
    v.t("z_admin.tabs.domains"),
    html`<h2 id="blocks-title">${v.t("z_admin.domains.heading", { count: blocks.length })}</h2>
  <p class="muted">${v.t("z_admin.domains.intro")}</p>
  <form method="post" action="/admin/domain_blocks" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="block-domain">${v.t("z_admin.domains.instanceField")}</label>
    <input id="block-domain" name="domain" type="text" required maxlength="300" placeholder="spam.example">
    <label for="block-reason">${v.t("z_admin.domains.publicComment")}</label>
    <input id="block-reason" name="reason" type="text" maxlength="${COMMENT_MAX_LENGTH}">
    <label for="block-private">${v.t("z_admin.domains.privateComment")}</label>
    <input id="block-private" name="private_comment" type="text" maxlength="${COMMENT_MAX_LENGTH}">
    <div class="check">
      <input type="checkbox" id="block-obfuscate" name="obfuscate" value="1">
      <label for="block-obfuscate">${v.t("z_admin.domains.obfuscate")}</label>
    </div>
    <button type="submit" class="button button-primary">${v.t("z_admin.domains.block")}</button>
  </form>
  ${
    blocks.length === 0
      ? html`<p class="empty">${v.t("z_admin.domains.none")}</p>`
      : tableWrap(
          { labelledBy: "blocks-title" },
          html`<table aria-labelledby="blocks-title">
    <thead><tr><th scope="col">${v.t("z_admin.domains.instance")}</th><th scope="col">${v.t("z_admin.domains.comments")}</th><th scope="col">${v.t("z_admin.domains.since")}</th><th scope="col"><span class="visually-hidden">${v.t("actions.label")}</span></th></tr></thead>
    <tbody>${blocks.map(
      (b) => html`<tr>
      <th scope="row">${b.domain}${b.obfuscate ? html` <span class="muted">${v.t("z_admin.domains.publishedAs", { domain: publicDomain(b) })}</span>` : ""}</th>
      <td>${b.reason || html`<span class="muted">—</span>`}${b.privateComment ? html`<br><span class="muted">${v.t("z_admin.domains.private", { comment: b.privateComment })}</span>` : ""}</td><td>${day(b.createdAt)}</td>
      <td><form method="post" action="/admin/domain_blocks/delete" class="inline">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <input type="hidden" name="domain" value="${b.domain}">
        <button type="submit" class="button button-small" aria-label="${v.t("z_domainBlocks.unblockDomain", { domain: b.domain })}">${v.t("z_domainBlocks.unblock")}</button>
      </form></td>
    </tr>`,
    )}</tbody></table>`,
        )
  }
  <p class="muted">${rich(v.t, "z_admin.domains.cli", { command: html`<code>npm run cli -- domain list</code>` })}</p>`,
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
    v.t("z_admin.tabs.reports"),
    html`<h2 id="reports-title">${v.t(state === "open" ? "z_admin.reports.open" : "z_admin.reports.resolved")}</h2>
  <p>${
    state === "open"
      ? html`<a href="/admin/reports?state=resolved">${v.t("z_admin.reports.showResolved")}</a>`
      : html`<a href="/admin/reports">${v.t("z_admin.reports.showOpen")}</a>`
  }</p>
  ${
    list.length === 0
      ? html`<p class="empty">${v.t(state === "open" ? "z_admin.reports.noOpen" : "z_admin.reports.noResolved")}</p>`
      : tableWrap(
          { labelledBy: "reports-title" },
          html`<table aria-labelledby="reports-title">
    <thead><tr><th scope="col">${v.t("z_admin.reports.report")}</th><th scope="col">${v.t("z_admin.reports.about")}</th><th scope="col">${v.t("z_admin.reports.from")}</th><th scope="col">${v.t("z_admin.users.posts")}</th><th scope="col">${v.t("z_admin.reports.received")}</th></tr></thead>
    <tbody>${list.map(
      (r) => html`<tr>
      <th scope="row"><a href="/admin/reports/${r.report.id}">${r.report.comment.slice(0, 80) || v.t("z_admin.reports.noCommentShort")}</a></th>
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
    v.t("z_admin.reports.report"),
    html`<h2>${rich(v.t, "z_admin.reports.reportAbout", { account: accountLine(v, r.target) })}</h2>
  <dl class="figures">
    <div><dt>${v.t("z_admin.reports.from")}</dt><dd>${accountLine(v, r.reporter)}${r.reporter.domain ? html` <span class="muted">${v.t("z_admin.reports.sentBy", { domain: r.reporter.domain })}</span>` : ""}</dd></div>
    <div><dt>${v.t("z_admin.reports.received")}</dt><dd>${day(r.report.createdAt)}</dd></div>
    <div><dt>${v.t("z_admin.reports.category")}</dt><dd>${v.t(`z_admin.reports.categories.${r.report.category}`)}${r.report.forwarded ? html` <span class="muted">${v.t("z_admin.reports.forwardedTo", { domain: r.target.domain ?? "" })}</span>` : ""}</dd></div>
    <div><dt>${v.t("z_admin.reports.state")}</dt><dd>${resolved ? rich(v.t, "z_admin.reports.resolvedOn", { date: day(r.report.resolvedAt!) }) : v.t("z_admin.reports.stateOpen")}</dd></div>
  </dl>
  <h3>${v.t("z_admin.reports.comment")}</h3>
  <p class="report-comment">${r.report.comment || html`<span class="muted">${v.t("z_admin.reports.noComment")}</span>`}</p>
  <h3>${v.t("z_admin.reports.reportedPosts", { count: r.statuses.length })}</h3>
  ${
    r.statuses.length === 0
      ? html`<p class="empty">${v.t(r.report.statusIds.length > 0 ? "z_admin.reports.postsDeleted" : "z_admin.reports.noPosts")}</p>`
      : html`<ul class="report-statuses">${r.statuses.map(
          (s) =>
            html`<li><blockquote class="prose">${raw(s.content)}</blockquote><a href="${statusPath(r.target, s.id)}">${v.t("z_admin.reports.openPost")}</a></li>`,
        )}</ul>`
  }
  <form method="post" action="/admin/reports/${r.report.id}/${resolved ? "reopen" : "resolve"}" class="inline">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <button type="submit" class="button${resolved ? "" : " button-primary"}">${v.t(resolved ? "z_admin.reports.reopen" : "z_admin.reports.resolve")}</button>
  </form>
  <p><a href="/admin/reports">${v.t("z_admin.reports.back")}</a></p>`,
    { openReports },
  );
}
