// Administration: sign-up. The registration mode in force (REGISTRATIONS is only the default), the
// accounts waiting for an administrator's approval, the invite links and the blocked e-mail domains.
import { html } from "hono/html";
import { REGISTRATION_MODES, type RegistrationMode } from "../../config.ts";
import type { EmailDomainBlock } from "../../domain/email-domain-blocks.ts";
import {
  INVITE_MAX_DAYS,
  INVITE_MAX_USES,
  type Invite,
  inviteLink,
  inviteUsable,
} from "../../domain/invites.ts";
import type { PendingAccount } from "../../domain/registrations.ts";
import { REGISTRATION_MESSAGES } from "../../domain/registrations.ts";
import type { View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
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
  return tableWrap(
    { labelledBy: "pending-title" },
    html`<table aria-labelledby="pending-title">
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
  </table>`,
  );
}

function invitesSection(v: View, invites: Invite[]): Html {
  const now = new Date();
  return html`<h2 id="invites-title">Invite links</h2>
  <p class="muted">A link lets people sign up while registrations are invite-only, without approval.</p>
  <form method="post" action="/admin/invites" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <div class="field-pair">
      <div><label for="invite-uses">Uses (empty: any number)</label>
      <input id="invite-uses" name="uses" type="number" min="1" max="${INVITE_MAX_USES}"></div>
      <div><label for="invite-days">Valid for days (empty: no expiry)</label>
      <input id="invite-days" name="days" type="number" min="1" max="${INVITE_MAX_DAYS}"></div>
    </div>
    <button type="submit" class="button">Make an invite link</button>
  </form>
  ${
    invites.length === 0
      ? html`<p class="empty">No invite links.</p>`
      : html`<ul aria-labelledby="invites-title">${invites.map(
          (i) =>
            html`<li><code>${inviteLink(v.origin, i.code)}</code> · ${i.uses}/${i.maxUses ?? "∞"} used · ${
              i.expiresAt
                ? html`until <time datetime="${i.expiresAt.toISOString()}">${i.expiresAt.toISOString().slice(0, 10)}</time>`
                : "no expiry"
            }${inviteUsable(i, now) ? "" : html` · <strong>spent</strong>`}</li>`,
        )}</ul>`
  }`;
}

function emailDomainsSection(v: View, blocks: EmailDomainBlock[]): Html {
  return html`<h2 id="email-domains-title">Blocked e-mail domains</h2>
  <p class="muted">Nobody signs up with an address at these domains or their subdomains (disposable-mail providers, say). Accounts that already exist are not touched.</p>
  <form method="post" action="/admin/email-domain-blocks" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="email-domain">Domain</label>
    <input id="email-domain" name="domain" required maxlength="253" placeholder="mail.example">
    <button type="submit" class="button">Block this domain</button>
  </form>
  ${
    blocks.length === 0
      ? html`<p class="empty">No blocked e-mail domains.</p>`
      : html`<ul aria-labelledby="email-domains-title">${blocks.map(
          (b) => html`<li><code>${b.domain}</code>
          <form method="post" action="/admin/email-domain-blocks/${b.domain}/remove" class="inline">
            <input type="hidden" name="csrf" value="${v.csrf}">
            <button type="submit" class="button button-small">Unblock</button>
          </form></li>`,
        )}</ul>`
  }
  <p class="muted">The same from the command line: <code>npm run cli -- email-domain block DOMAIN</code>, <code>email-domain list</code>, <code>email-domain unblock DOMAIN</code>.</p>`;
}

export function registrationsPage(
  v: View,
  mode: RegistrationMode,
  pending: PendingAccount[],
  invites: Invite[],
  emailDomains: EmailDomainBlock[],
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
  <p class="muted">The same from the command line: <code>npm run cli -- user approve NAME</code> or <code>user reject NAME</code>.</p>
  ${invitesSection(v, invites)}
  ${emailDomainsSection(v, emailDomains)}`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
