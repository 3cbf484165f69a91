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
import type { View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import { type AdminNotice, adminLayout } from "./admin.ts";

function pendingTable(v: View, pending: PendingAccount[]): Html {
  if (pending.length === 0) return html`<p class="empty">${v.t("z_admin.signUps.noneWaiting")}</p>`;
  return tableWrap(
    { labelledBy: "pending-title" },
    html`<table aria-labelledby="pending-title">
    <thead><tr><th scope="col">${v.t("auth.username")}</th><th scope="col">${v.t("z_admin.signUps.email")}</th><th scope="col">${v.t("z_admin.signUps.reason")}</th><th scope="col">${v.t("z_admin.signUps.asked")}</th><th scope="col"></th></tr></thead>
    <tbody>${pending.map(
      (p) => html`<tr>
      <th scope="row">@${p.username}</th>
      <td>${p.email ?? ""}${p.confirmed ? "" : html` <span class="muted">${v.t("z_admin.signUps.notConfirmed")}</span>`}</td>
      <td>${p.reason}</td>
      <td><time datetime="${p.createdAt.toISOString()}">${p.createdAt.toISOString().slice(0, 10)}</time></td>
      <td>
        <form method="post" action="/admin/registrations/${p.username}/approve" class="inline">
          <input type="hidden" name="csrf" value="${v.csrf}">
          <button type="submit" class="button button-primary">${v.t("z_admin.signUps.approve")}</button>
        </form>
        <form method="post" action="/admin/registrations/${p.username}/reject" class="inline" data-confirm="${v.t("z_admin.signUps.confirmReject", { username: p.username })}">
          <input type="hidden" name="csrf" value="${v.csrf}">
          <button type="submit" class="button button-danger">${v.t("z_admin.signUps.reject")}</button>
        </form>
      </td>
    </tr>`,
    )}</tbody>
  </table>`,
  );
}

function invitesSection(v: View, invites: Invite[]): Html {
  const now = new Date();
  return html`<h2 id="invites-title">${v.t("z_admin.signUps.invites")}</h2>
  <p class="muted">${v.t("z_admin.signUps.invitesIntro")}</p>
  <form method="post" action="/admin/invites" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <div class="field-pair">
      <div><label for="invite-uses">${v.t("z_admin.signUps.uses")}</label>
      <input id="invite-uses" name="uses" type="number" min="1" max="${INVITE_MAX_USES}"></div>
      <div><label for="invite-days">${v.t("z_admin.signUps.days")}</label>
      <input id="invite-days" name="days" type="number" min="1" max="${INVITE_MAX_DAYS}"></div>
    </div>
    <button type="submit" class="button">${v.t("z_admin.signUps.makeInvite")}</button>
  </form>
  ${
    invites.length === 0
      ? html`<p class="empty">${v.t("z_admin.signUps.noInvites")}</p>`
      : html`<ul aria-labelledby="invites-title">${invites.map(
          (i) =>
            html`<li><code>${inviteLink(v.origin, i.code)}</code> · ${v.t("z_admin.signUps.used", { uses: i.uses, max: i.maxUses ?? "∞" })} · ${
              i.expiresAt
                ? rich(v.t, "z_admin.signUps.until", {
                    date: html`<time datetime="${i.expiresAt.toISOString()}">${i.expiresAt.toISOString().slice(0, 10)}</time>`,
                  })
                : v.t("z_admin.signUps.noExpiry")
            }${inviteUsable(i, now) ? "" : html` · <strong>${v.t("z_admin.signUps.spent")}</strong>`}</li>`,
        )}</ul>`
  }`;
}

function emailDomainsSection(v: View, blocks: EmailDomainBlock[]): Html {
  return html`<h2 id="email-domains-title">${v.t("z_admin.signUps.emailDomains")}</h2>
  <p class="muted">${v.t("z_admin.signUps.emailDomainsIntro")}</p>
  <form method="post" action="/admin/email-domain-blocks" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="email-domain">${v.t("z_admin.signUps.domain")}</label>
    <input id="email-domain" name="domain" required maxlength="253" placeholder="mail.example">
    <button type="submit" class="button">${v.t("z_admin.signUps.blockDomain")}</button>
  </form>
  ${
    blocks.length === 0
      ? html`<p class="empty">${v.t("z_admin.signUps.noEmailDomains")}</p>`
      : html`<ul aria-labelledby="email-domains-title">${blocks.map(
          (b) => html`<li><code>${b.domain}</code>
          <form method="post" action="/admin/email-domain-blocks/${b.domain}/remove" class="inline">
            <input type="hidden" name="csrf" value="${v.csrf}">
            <button type="submit" class="button button-small">${v.t("z_domainBlocks.unblock")}</button>
          </form></li>`,
        )}</ul>`
  }
  <p class="muted">${rich(v.t, "z_admin.signUps.emailDomainsCli", {
    block: html`<code>npm run cli -- email-domain block DOMAIN</code>`,
    list: html`<code>email-domain list</code>`,
    unblock: html`<code>email-domain unblock DOMAIN</code>`,
  })}</p>`;
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
    v.t("z_admin.tabs.registrations"),
    html`<h2>${v.t("z_admin.signUps.who")}</h2>
  <form method="post" action="/admin/registrations" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <fieldset>
      <legend>${v.t("z_admin.signUps.mode")}</legend>
      ${REGISTRATION_MODES.map(
        (m) => html`<div class="check">
        <input type="radio" id="mode-${m}" name="mode" value="${m}"${m === mode ? " checked" : ""}>
        <label for="mode-${m}">${rich(v.t, "z_admin.signUps.modeLine", { mode: html`<strong>${v.t(`z_admin.signUps.modes.${m}`)}</strong>`, text: v.t(`signUp.modes.${m}`) })}</label>
      </div>`,
      )}
    </fieldset>
    <button type="submit" class="button button-primary">${v.t("common.save")}</button>
  </form>
  <p class="muted">${rich(v.t, "z_admin.signUps.variable", { variable: html`<code>REGISTRATIONS</code>` })}</p>
  <h2 id="pending-title">${v.t("z_admin.signUps.waiting", { count: pending.length })}</h2>
  ${pendingTable(v, pending)}
  <p class="muted">${rich(v.t, "z_admin.signUps.pendingCli", {
    approve: html`<code>npm run cli -- user approve NAME</code>`,
    reject: html`<code>user reject NAME</code>`,
  })}</p>
  ${invitesSection(v, invites)}
  ${emailDomainsSection(v, emailDomains)}`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
