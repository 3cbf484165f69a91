// Settings → Security: changing the password and the e-mail address, the state of two-factor sign-in,
// the signed-in browser sessions and the authorized apps, each with a button that ends it.
import { html } from "hono/html";
import type { AuthorizedApplication, WebSessionSummary } from "../../domain/credentials.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../domain/passwords.ts";
import { layout, type View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";

export interface SecurityNotice {
  kind: "ok" | "error";
  text: string;
}

const when = (d: Date) =>
  html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 16).replace("T", " ")} UTC</time>`;

function sessionRow(v: View, s: WebSessionSummary): Html {
  return html`<tr>
    <td>${s.userAgent || v.t("z_security.unknownBrowser")}${s.current ? html` <strong>${v.t("z_security.thisBrowser")}</strong>` : ""}</td>
    <td>${s.ip || "—"}</td>
    <td>${when(s.createdAt)}</td>
    <td>${when(s.lastSeenAt)}</td>
    <td>${
      s.current
        ? html`<span class="muted">${v.t("z_security.currentSession")}</span>`
        : html`<form method="post" action="/settings/sessions/${s.id}/revoke" class="inline">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <button type="submit" class="button">${v.t("layout.signOut")}</button>
    </form>`
    }</td>
  </tr>`;
}

function applicationRow(v: View, a: AuthorizedApplication): Html {
  return html`<tr>
    <td>${a.website && /^https?:\/\//i.test(a.website) ? html`<a href="${a.website}" rel="nofollow noopener">${a.name}</a>` : a.name}</td>
    <td>${a.scopes.join(" ")}</td>
    <td>${when(a.authorizedAt)}</td>
    <td>${a.lastUsedAt ? when(a.lastUsedAt) : v.t("z_security.never")}</td>
    <td><form method="post" action="/settings/applications/${a.id}/revoke" class="inline">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <button type="submit" class="button button-danger">${v.t("z_security.revoke")}</button>
    </form></td>
  </tr>`;
}

export function securityPage(
  v: View,
  sessions: WebSessionSummary[],
  applications: AuthorizedApplication[],
  account: { email: string | null; pendingEmail: string | null; twoFactorOn: boolean },
  notice?: SecurityNotice,
): Html {
  const { email, pendingEmail, twoFactorOn } = account;
  return layout(
    v,
    { title: v.t("z_security.tab"), noindex: true },
    html`<section class="panel">
  <h1>${v.t("settings.security")}</h1>
  <p><a href="/settings">${v.t("tags.backToSettings")}</a></p>
  ${notice ? html`<p class="${notice.kind === "ok" ? "success" : "error"}" role="${notice.kind === "ok" ? "status" : "alert"}">${notice.text}</p>` : ""}
  <form method="post" action="/settings/password" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>${v.t("z_security.changePassword")}</h2>
    <p class="hint" id="password-hint">${v.t("z_security.passwordHint", { min: PASSWORD_MIN_LENGTH })}</p>
    <label for="current_password">${v.t("z_security.currentPassword")}</label>
    <input id="current_password" name="current_password" type="password" autocomplete="current-password" required>
    <label for="new_password">${v.t("z_recovery.newPassword")}</label>
    <input id="new_password" name="password" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" required aria-describedby="password-hint">
    <label for="password_confirmation">${v.t("z_recovery.newPasswordAgain")}</label>
    <input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" required>
    <button type="submit" class="button button-primary">${v.t("z_security.changePassword")}</button>
  </form>
</section>
<section class="panel">
  <h2>${v.t("auth.twoFactor")}</h2>
  <p>${v.t(twoFactorOn ? "z_security.twoFactorOn" : "z_security.twoFactorOffText")} <a href="/settings/two_factor">${v.t(twoFactorOn ? "z_security.manageTwoFactor" : "z_security.setUpTwoFactor")}</a></p>
</section>
<section class="panel">
  <form method="post" action="/settings/email" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>${v.t("z_security.changeEmail")}</h2>
    <p class="hint" id="email-hint">${email ? html`${rich(v.t, "z_security.emailNow", { email: html`<strong>${email}</strong>` })} ` : ""}${pendingEmail ? html`${rich(v.t, "z_security.emailPending", { email: html`<strong>${pendingEmail}</strong>` })} ` : ""}${v.t("z_security.emailHint")}</p>
    <label for="new_email">${v.t("z_security.newEmail")}</label>
    <input id="new_email" name="email" type="email" autocomplete="email" maxlength="254" required aria-describedby="email-hint">
    <label for="email_current_password">${v.t("z_security.currentPassword")}</label>
    <input id="email_current_password" name="current_password" type="password" autocomplete="current-password" required>
    <button type="submit" class="button button-primary">${v.t("z_security.changeEmail")}</button>
  </form>
</section>
<section class="panel">
  <h2 id="sessions-title">${v.t("z_security.browsers")}</h2>
  ${tableWrap(
    { labelledBy: "sessions-title" },
    html`<table aria-labelledby="sessions-title">
    <thead><tr><th scope="col">${v.t("z_security.browser")}</th><th scope="col">${v.t("z_security.address")}</th><th scope="col">${v.t("z_security.signedIn")}</th><th scope="col">${v.t("z_security.lastUsed")}</th><th scope="col"></th></tr></thead>
    <tbody>${sessions.map((s) => sessionRow(v, s))}</tbody>
  </table>`,
  )}
</section>
<section class="panel">
  <h2 id="apps-title">${v.t("z_security.apps")}</h2>
  ${
    applications.length === 0
      ? html`<p class="muted">${v.t("z_security.noApps")}</p>`
      : tableWrap(
          { labelledBy: "apps-title" },
          html`<table aria-labelledby="apps-title">
    <thead><tr><th scope="col">${v.t("z_security.app")}</th><th scope="col">${v.t("z_security.scopes")}</th><th scope="col">${v.t("z_security.authorized")}</th><th scope="col">${v.t("z_security.lastUsed")}</th><th scope="col"></th></tr></thead>
    <tbody>${applications.map((a) => applicationRow(v, a))}</tbody>
  </table>`,
        )
  }
</section>`,
  );
}
