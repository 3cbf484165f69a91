// The administration pages' frame (a tab per subject) and the users tab; spending, domain blocks,
// reports, announcements and dataset exports have their own modules beside this one.
import { html } from "hono/html";
import type { LocalUserSummary } from "../../domain/accounts.ts";
import { layout, type View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
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

const tabs: { tab: AdminTab; href: string; label: string }[] = [
  { tab: "users", href: "/admin", label: "Users" },
  { tab: "registrations", href: "/admin/registrations", label: "Sign-up" },
  { tab: "rules", href: "/admin/rules", label: "Rules" },
  { tab: "emojis", href: "/admin/emojis", label: "Emojis" },
  { tab: "spending", href: "/admin/spending", label: "Spending" },
  { tab: "domains", href: "/admin/domain_blocks", label: "Domain blocks" },
  { tab: "reports", href: "/admin/reports", label: "Reports" },
  { tab: "announcements", href: "/admin/announcements", label: "Announcements" },
  { tab: "crawlers", href: "/admin/crawlers", label: "AI crawlers" },
  { tab: "datasets", href: "/admin/datasets", label: "Datasets" },
  { tab: "audit", href: "/admin/audit", label: "Audit log" },
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
    { title: `${title} · Administration`, noindex: true },
    html`<section class="panel">
  <h1>Administration</h1>
  <nav class="tabs" aria-label="Administration sections">
    ${tabs.map(
      (t) =>
        html`<a href="${t.href}"${t.tab === current ? html` aria-current="page"` : ""}>${t.label}${
          t.tab === "reports" && (options.openReports ?? 0) > 0
            ? html` <span class="badge" aria-label="${options.openReports} open">${options.openReports}</span>`
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
      : html` data-confirm="Suspend @${u.username}? They are signed out and hidden until unsuspended."`
  }>
        <input type="hidden" name="csrf" value="${v.csrf}">
        <button type="submit" class="button${suspended ? "" : " button-danger"}">${suspended ? "Unsuspend" : "Suspend"}</button>
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
    "Users",
    html`<h2 id="users-title">Users (${users.length})</h2>
  ${tableWrap(
    { labelledBy: "users-title" },
    html`<table aria-labelledby="users-title">
    <thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Posts</th><th scope="col">Joined</th><th scope="col">Status</th><th scope="col"></th></tr></thead>
    <tbody>
    ${users.map(
      (u) => html`<tr>
      <th scope="row"><a href="/@${u.username}">@${u.username}</a></th>
      <td>${u.admin ? "Administrator" : "User"}</td>
      <td>${u.statusesCount}</td>
      <td><time datetime="${u.createdAt.toISOString()}">${u.createdAt.toISOString().slice(0, 10)}</time></td>
      <td>${u.suspendedAt === null ? "Active" : html`<strong>Suspended</strong>`}</td>
      <td>${v.session?.account.id === u.id ? "" : suspensionButton(v, u)}</td>
    </tr>`,
    )}
    </tbody>
  </table>`,
  )}
  <p class="muted">Create users with <code>npm run cli -- user create NAME</code>; delete one with <code>npm run cli -- user delete NAME --yes</code>. A suspended user cannot sign in, its apps stop working, and it and its posts are hidden until it is unsuspended; nothing is deleted.</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
