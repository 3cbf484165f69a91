// The administration pages' frame (a tab per subject) and the users tab; spending, domain blocks,
// reports, announcements and dataset exports have their own modules beside this one.
import { html } from "hono/html";
import type { LocalUserSummary } from "../../domain/accounts.ts";
import { layout, type View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";

export type AdminTab =
  | "users"
  | "registrations"
  | "rules"
  | "emojis"
  | "spending"
  | "domains"
  | "reports"
  | "announcements"
  | "crawlers"
  | "datasets"
  | "audit";

const tabs: { tab: AdminTab; href: string }[] = [
  { tab: "users", href: "/admin" },
  { tab: "registrations", href: "/admin/registrations" },
  { tab: "rules", href: "/admin/rules" },
  { tab: "emojis", href: "/admin/emojis" },
  { tab: "spending", href: "/admin/spending" },
  { tab: "domains", href: "/admin/domain_blocks" },
  { tab: "reports", href: "/admin/reports" },
  { tab: "announcements", href: "/admin/announcements" },
  { tab: "crawlers", href: "/admin/crawlers" },
  { tab: "datasets", href: "/admin/datasets" },
  { tab: "audit", href: "/admin/audit" },
];

export interface AdminNotice {
  kind: "ok" | "error";
  text: string;
}

/** An administration page: the tabs, an optional notice, then `body`. */
export function adminLayout(
  v: View,
  current: AdminTab,
  title: string,
  body: Html,
  options: { openReports?: number; notice?: AdminNotice } = {},
): Html {
  const n = options.notice;
  return layout(
    v,
    { title: v.t("z_admin.pageTitle", { title }), noindex: true },
    html`<section class="panel">
  <h1>${v.t("z_admin.title")}</h1>
  <nav class="tabs" aria-label="${v.t("z_admin.sections")}">
    ${tabs.map(
      (t) =>
        html`<a href="${t.href}"${t.tab === current ? html` aria-current="page"` : ""}>${v.t(`z_admin.tabs.${t.tab}`)}${
          t.tab === "reports" && (options.openReports ?? 0) > 0
            ? html` <span class="badge" aria-label="${v.t("z_admin.openCount", { count: options.openReports ?? 0 })}">${options.openReports}</span>`
            : ""
        }</a>`,
    )}
  </nav>
  ${n ? html`<p class="${n.kind === "ok" ? "success" : "error"}" role="${n.kind === "ok" ? "status" : "alert"}">${n.text}</p>` : ""}
  ${body}
</section>`,
  );
}

function suspensionButton(v: View, u: LocalUserSummary): Html {
  const suspended = u.suspendedAt !== null;
  const action = suspended ? "unsuspend" : "suspend";
  return html`<form method="post" action="/admin/users/${u.username}/${action}" class="inline"${
    suspended
      ? ""
      : html` data-confirm="${v.t("z_admin.users.confirmSuspend", { username: u.username })}"`
  }>
        <input type="hidden" name="csrf" value="${v.csrf}">
        <button type="submit" class="button${suspended ? "" : " button-danger"}">${v.t(suspended ? "z_admin.users.unsuspend" : "z_admin.users.suspend")}</button>
      </form>`;
}

export function adminPage(
  v: View,
  users: LocalUserSummary[],
  openReports = 0,
  notice?: AdminNotice,
): Html {
  return adminLayout(
    v,
    "users",
    v.t("z_admin.tabs.users"),
    html`<h2 id="users-title">${v.t("z_admin.users.heading", { count: users.length })}</h2>
  ${tableWrap(
    { labelledBy: "users-title" },
    html`<table aria-labelledby="users-title">
    <thead><tr><th scope="col">${v.t("auth.username")}</th><th scope="col">${v.t("z_admin.users.role")}</th><th scope="col">${v.t("z_admin.users.posts")}</th><th scope="col">${v.t("z_admin.users.joined")}</th><th scope="col">${v.t("z_admin.users.status")}</th><th scope="col"></th></tr></thead>
    <tbody>
    ${users.map(
      (u) => html`<tr>
      <th scope="row"><a href="/@${u.username}">@${u.username}</a></th>
      <td>${v.t(u.admin ? "z_admin.users.administrator" : "z_admin.users.user")}</td>
      <td>${u.statusesCount}</td>
      <td><time datetime="${u.createdAt.toISOString()}">${u.createdAt.toISOString().slice(0, 10)}</time></td>
      <td>${u.suspendedAt === null ? v.t("z_admin.users.active") : html`<strong>${v.t("z_admin.users.suspended")}</strong>`}</td>
      <td>${v.session?.account.id === u.id ? "" : suspensionButton(v, u)}</td>
    </tr>`,
    )}
    </tbody>
  </table>`,
  )}
  <p class="muted">${rich(v.t, "z_admin.users.cli", {
    create: html`<code>npm run cli -- user create NAME</code>`,
    remove: html`<code>npm run cli -- user delete NAME --yes</code>`,
  })}</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
