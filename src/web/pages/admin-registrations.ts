// Administration: sign-up. The registration mode in force (REGISTRATIONS is only the default), and the
// accounts waiting for an administrator's approval.
import { html } from "hono/html";
import { REGISTRATION_MODES, type RegistrationMode } from "../../config.ts";
import type { PendingAccount } from "../../domain/registrations.ts";
import { REGISTRATION_MESSAGES } from "../../domain/registrations.ts";
import type { View } from "../components/layout.ts";
import type { Html } from "../context.ts";
import { type AdminNotice, adminLayout } from "./admin.ts";

const labels: Record<RegistrationMode, string> = {
  open: "Open",
  approval: "Approval",
  invite: "Invite only",
  closed: "Closed",
};

function pendingTable(v: View, pending: PendingAccount[]): Html {
  if (pending.length === 0) return html`<p class="empty">No sign-up is waiting.</p>`;
  return html`<div class="table-wrap"><table aria-labelledby="pending-title">
    <thead><tr><th scope="col">Username</th><th scope="col">E-mail</th><th scope="col">Reason</th><th scope="col">Asked</th><th scope="col"></th></tr></thead>
    <tbody>${pending.map(
      (p) => html`<tr>
      <th scope="row">@${p.username}</th>
      <td>${p.email ?? ""}${p.confirmed ? "" : html` <span class="muted">(not confirmed)</span>`}</td>
      <td>${p.reason}</td>
      <td><time datetime="${p.createdAt.toISOString()}">${p.createdAt.toISOString().slice(0, 10)}</time></td>
      <td>
        <form method="post" action="/admin/registrations/${p.username}/approve" class="inline">
          <input type="hidden" name="csrf" value="${v.csrf}">
          <button type="submit" class="button button-primary">Approve</button>
        </form>
        <form method="post" action="/admin/registrations/${p.username}/reject" class="inline" data-confirm="Reject @${p.username}? The account is deleted.">
          <input type="hidden" name="csrf" value="${v.csrf}">
          <button type="submit" class="button button-danger">Reject</button>
        </form>
      </td>
    </tr>`,
    )}</tbody>
  </table></div>`;
}

export function registrationsPage(
  v: View,
  mode: RegistrationMode,
  pending: PendingAccount[],
  openReports: number,
  notice?: AdminNotice,
): Html {
  return adminLayout(
    v,
    "registrations",
    "Sign-up",
    html`<h2>Who may sign up</h2>
  <form method="post" action="/admin/registrations" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <fieldset>
      <legend>Registration mode</legend>
      ${REGISTRATION_MODES.map(
        (m) => html`<div class="check">
        <input type="radio" id="mode-${m}" name="mode" value="${m}"${m === mode ? " checked" : ""}>
        <label for="mode-${m}"><strong>${labels[m]}</strong>: ${REGISTRATION_MESSAGES[m]}</label>
      </div>`,
      )}
    </fieldset>
    <button type="submit" class="button button-primary">Save</button>
  </form>
  <p class="muted">The <code>REGISTRATIONS</code> variable is only the default; this choice is kept until changed here.</p>
  <h2 id="pending-title">Waiting for approval (${pending.length})</h2>
  ${pendingTable(v, pending)}
  <p class="muted">The same from the command line: <code>npm run cli -- user approve NAME</code> or <code>user reject NAME</code>.</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
