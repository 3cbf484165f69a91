// Administration: what image generation cost, this month against the budget, per day and per user, and
// the limits the configuration sets.
import { html } from "hono/html";
import { formatUsd } from "../../generation/quota.ts";
import type { SpendingTotal } from "../../generation/spending-report.ts";
import type { View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
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

const images = (n: number) => `${n} ${n === 1 ? "image" : "images"}`;

const cost = (t: SpendingTotal) =>
  html`${formatUsd(t.costMicros)}${t.unpricedImages > 0 ? html` <span class="muted">(${t.unpricedImages} unpriced)</span>` : ""}`;

export function spendingPage(v: View, d: SpendingPageData): Html {
  const budgetMicros = d.budgetUsd === undefined ? undefined : Math.round(d.budgetUsd * 1_000_000);
  const share =
    budgetMicros === undefined || budgetMicros === 0
      ? null
      : Math.min(100, Math.round((d.total.costMicros / budgetMicros) * 100));
  return adminLayout(
    v,
    "spending",
    "Spending",
    html`<h2>Generation spending in ${d.month} (UTC)</h2>
  <nav class="pager-inline" aria-label="Months">
    <a href="/admin/spending?month=${d.previousMonth}">← ${d.previousMonth}</a>
    ${d.nextMonth ? html`<a href="/admin/spending?month=${d.nextMonth}">${d.nextMonth} →</a>` : ""}
  </nav>
  <dl class="figures">
    <div><dt>Spent this month</dt><dd>${cost(d.total)} for ${images(d.total.images)}</dd></div>
    <div><dt>Monthly budget</dt><dd>${
      budgetMicros === undefined
        ? html`none set <span class="muted">(GENERATION_MONTHLY_BUDGET_USD)</span>`
        : html`${formatUsd(budgetMicros)}${share === null ? "" : html` · <meter min="0" max="100" value="${share}" aria-label="Share of the budget spent">${share}%</meter> ${share}% used`}`
    }</dd></div>
    <div><dt>Today</dt><dd>${cost(d.today)} for ${images(d.today.images)}</dd></div>
    <div><dt>Daily limit per user</dt><dd>${d.dailyQuota === 0 ? "no limit" : images(d.dailyQuota)}</dd></div>
  </dl>
  <h3 id="by-user">Per user</h3>
  ${
    d.byAccount.length === 0
      ? html`<p class="empty">No images were generated in this month.</p>`
      : tableWrap(
          { labelledBy: "by-user" },
          html`<table aria-labelledby="by-user">
    <thead><tr><th scope="col">User</th><th scope="col">Images</th><th scope="col">Cost</th>${budgetMicros ? html`<th scope="col">Share of budget</th>` : ""}</tr></thead>
    <tbody>${d.byAccount.map(
      (r) => html`<tr>
      <th scope="row">${r.username ? html`<a href="/@${r.username}">@${r.username}</a>` : html`<span class="muted">deleted account</span>`}</th>
      <td>${r.images}</td><td>${cost(r)}</td>${
        budgetMicros ? html`<td>${Math.round((r.costMicros / budgetMicros) * 100)}%</td>` : ""
      }
    </tr>`,
    )}</tbody></table>`,
        )
  }
  <h3 id="by-day">Per day</h3>
  ${
    d.days.length === 0
      ? html`<p class="empty">Nothing spent.</p>`
      : tableWrap(
          { labelledBy: "by-day" },
          html`<table aria-labelledby="by-day">
    <thead><tr><th scope="col">Day</th><th scope="col">Images</th><th scope="col">Cost</th></tr></thead>
    <tbody>${d.days.map((r) => html`<tr><th scope="row">${r.day}</th><td>${r.images}</td><td>${cost(r)}</td></tr>`)}</tbody>
  </table>`,
        )
  }
  <h3 id="by-model">Per model, by month</h3>
  ${
    d.byModel.length === 0
      ? html`<p class="empty">Nothing spent.</p>`
      : tableWrap(
          { labelledBy: "by-model" },
          html`<table aria-labelledby="by-model">
    <thead><tr><th scope="col">Model</th><th scope="col">Images</th><th scope="col">Cost</th></tr></thead>
    <tbody>${d.byModel.map((r) => html`<tr><th scope="row">${r.provider}/${r.model}</th><td>${r.images}</td><td>${formatUsd(r.costMicros)}</td></tr>`)}</tbody>
  </table>`,
        )
  }
  <p class="muted">The same figures: <code>npm run cli -- spending report</code>.</p>`,
    { openReports: d.openReports },
  );
}
