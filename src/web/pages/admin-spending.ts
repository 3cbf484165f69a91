// Administration: what image generation cost, this month against the budget, per day and per user, and
// the limits the configuration sets.
import { html } from "hono/html";
import { formatUsd } from "../../generation/quota.ts";
import type { SpendingTotal } from "../../generation/spending-report.ts";
import type { View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import { adminLayout } from "./admin.ts";

export interface SpendingPageData {
  /** "YYYY-MM" of the month shown. */
  month: string;
  previousMonth: string;
  nextMonth: string | null;
  total: SpendingTotal;
  today: SpendingTotal;
  /** undefined: no monthly budget configured. */
  budgetUsd: number | undefined;
  /** 0 = no per-user daily limit. */
  dailyQuota: number;
  days: (SpendingTotal & { day: string })[];
  byAccount: (SpendingTotal & { accountId: string | null; username: string | null })[];
  byModel: { provider: string; model: string; images: number; costMicros: number }[];
  openReports: number;
}

const cost = (v: View, t: SpendingTotal) =>
  html`${formatUsd(t.costMicros)}${t.unpricedImages > 0 ? html` <span class="muted">${v.t("z_admin.spending.unpriced", { count: t.unpricedImages })}</span>` : ""}`;

export function spendingPage(v: View, d: SpendingPageData): Html {
  const budgetMicros = d.budgetUsd === undefined ? undefined : Math.round(d.budgetUsd * 1_000_000);
  const share =
    budgetMicros === undefined || budgetMicros === 0
      ? null
      : Math.min(100, Math.round((d.total.costMicros / budgetMicros) * 100));
  const images = (n: number) => v.t("gallery.images", { count: n });
  const spent = (t: SpendingTotal) =>
    rich(v.t, "z_admin.spending.costFor", { cost: cost(v, t), images: images(t.images) });
  return adminLayout(
    v,
    "spending",
    v.t("z_admin.tabs.spending"),
    html`<h2>${v.t("z_admin.spending.heading", { month: d.month })}</h2>
  <nav class="pager-inline" aria-label="${v.t("z_admin.spending.months")}">
    <a href="/admin/spending?month=${d.previousMonth}">← ${d.previousMonth}</a>
    ${d.nextMonth ? html`<a href="/admin/spending?month=${d.nextMonth}">${d.nextMonth} →</a>` : ""}
  </nav>
  <dl class="figures">
    <div><dt>${v.t("z_admin.spending.thisMonth")}</dt><dd>${spent(d.total)}</dd></div>
    <div><dt>${v.t("z_admin.spending.budget")}</dt><dd>${
      budgetMicros === undefined
        ? html`${v.t("z_admin.spending.noneSet")} <span class="muted">(GENERATION_MONTHLY_BUDGET_USD)</span>`
        : html`${formatUsd(budgetMicros)}${share === null ? "" : html` · <meter min="0" max="100" value="${share}" aria-label="${v.t("z_admin.spending.shareSpent")}">${share}%</meter> ${v.t("z_admin.spending.used", { share })}`}`
    }</dd></div>
    <div><dt>${v.t("z_admin.spending.today")}</dt><dd>${spent(d.today)}</dd></div>
    <div><dt>${v.t("z_admin.spending.dailyLimit")}</dt><dd>${d.dailyQuota === 0 ? v.t("z_admin.spending.noLimit") : images(d.dailyQuota)}</dd></div>
  </dl>
  <h3 id="by-user">${v.t("z_admin.spending.perUser")}</h3>
  ${
    d.byAccount.length === 0
      ? html`<p class="empty">${v.t("z_admin.spending.noImages")}</p>`
      : tableWrap(
          { labelledBy: "by-user" },
          html`<table aria-labelledby="by-user">
    <thead><tr><th scope="col">${v.t("z_admin.users.user")}</th><th scope="col">${v.t("profile.images")}</th><th scope="col">${v.t("z_admin.spending.cost")}</th>${budgetMicros ? html`<th scope="col">${v.t("z_admin.spending.share")}</th>` : ""}</tr></thead>
    <tbody>${d.byAccount.map(
      (r) => html`<tr>
      <th scope="row">${r.username ? html`<a href="/@${r.username}">@${r.username}</a>` : html`<span class="muted">${v.t("z_admin.spending.deletedAccount")}</span>`}</th>
      <td>${r.images}</td><td>${cost(v, r)}</td>${
        budgetMicros ? html`<td>${Math.round((r.costMicros / budgetMicros) * 100)}%</td>` : ""
      }
    </tr>`,
    )}</tbody></table>`,
        )
  }
  <h3 id="by-day">${v.t("z_admin.spending.perDay")}</h3>
  ${
    d.days.length === 0
      ? html`<p class="empty">${v.t("z_admin.spending.nothing")}</p>`
      : tableWrap(
          { labelledBy: "by-day" },
          html`<table aria-labelledby="by-day">
    <thead><tr><th scope="col">${v.t("z_admin.spending.day")}</th><th scope="col">${v.t("profile.images")}</th><th scope="col">${v.t("z_admin.spending.cost")}</th></tr></thead>
    <tbody>${d.days.map((r) => html`<tr><th scope="row">${r.day}</th><td>${r.images}</td><td>${cost(v, r)}</td></tr>`)}</tbody>
  </table>`,
        )
  }
  <h3 id="by-model">${v.t("z_admin.spending.perModel")}</h3>
  ${
    d.byModel.length === 0
      ? html`<p class="empty">${v.t("z_admin.spending.nothing")}</p>`
      : tableWrap(
          { labelledBy: "by-model" },
          html`<table aria-labelledby="by-model">
    <thead><tr><th scope="col">${v.t("z_admin.spending.model")}</th><th scope="col">${v.t("profile.images")}</th><th scope="col">${v.t("z_admin.spending.cost")}</th></tr></thead>
    <tbody>${d.byModel.map((r) => html`<tr><th scope="row">${r.provider}/${r.model}</th><td>${r.images}</td><td>${formatUsd(r.costMicros)}</td></tr>`)}</tbody>
  </table>`,
        )
  }
  <p class="muted">${rich(v.t, "z_admin.spending.cli", { command: html`<code>npm run cli -- spending report</code>` })}</p>`,
    { openReports: d.openReports },
  );
}
