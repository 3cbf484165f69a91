// Settings → Security: changing the password and the e-mail address, the state of two-factor sign-in,
// the signed-in browser sessions and the authorized apps, each with a button that ends it.
import { html } from "hono/html";
import type { AuthorizedApplication, WebSessionSummary } from "../../domain/credentials.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../domain/passwords.ts";
import { layout, type View } from "../components/layout.ts";
import { tableWrap } from "../components/table.ts";
import type { Html } from "../context.ts";

export interface SecurityNotice {
  kind: "ok" | "error";
  text: string;
}

const when = (d: Date) =>
  html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 16).replace("T", " ")} UTC</time>`;

function sessionRow(v: View, s: WebSessionSummary): Html {
  return html`<tr>
    <td>${s.userAgent || "Unknown browser"}${s.current ? html` <strong>(this browser)</strong>` : ""}</td>
    <td>${s.ip || "—"}</td>
    <td>${when(s.createdAt)}</td>
    <td>${when(s.lastSeenAt)}</td>
    <td>${
      s.current
        ? html`<span class="muted">Current session</span>`
        : html`<form method="post" action="/settings/sessions/${s.id}/revoke" class="inline">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <button type="submit" class="button">Sign out</button>
    </form>`
    }</td>
  </tr>`;
}

function applicationRow(v: View, a: AuthorizedApplication): Html {
  return html`<tr>
    <td>${a.website && /^https?:\/\//i.test(a.website) ? html`<a href="${a.website}" rel="nofollow noopener">${a.name}</a>` : a.name}</td>
    <td>${a.scopes.join(" ")}</td>
    <td>${when(a.authorizedAt)}</td>
    <td>${a.lastUsedAt ? when(a.lastUsedAt) : "Never"}</td>
    <td><form method="post" action="/settings/applications/${a.id}/revoke" class="inline">
      <input type="hidden" name="csrf" value="${v.csrf}">
      <button type="submit" class="button button-danger">Revoke</button>
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
    { title: "Security · Settings", noindex: true },
    html`<section class="panel">
  <h1>Security</h1>
  <p><a href="/settings">Back to settings</a></p>
  ${notice ? html`<p class="${notice.kind === "ok" ? "success" : "error"}" role="${notice.kind === "ok" ? "status" : "alert"}">${notice.text}</p>` : ""}
  <form method="post" action="/settings/password" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>Change password</h2>
    <p class="hint" id="password-hint">At least ${PASSWORD_MIN_LENGTH} characters. Changing it signs out every other browser and revokes every app's access; this browser stays signed in.</p>
    <label for="current_password">Current password</label>
    <input id="current_password" name="current_password" type="password" autocomplete="current-password" required>
    <label for="new_password">New password</label>
    <input id="new_password" name="password" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" required aria-describedby="password-hint">
    <label for="password_confirmation">New password again</label>
    <input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" required>
    <button type="submit" class="button button-primary">Change password</button>
  </form>
</section>
<section class="panel">
  <h2>Two-factor sign-in</h2>
  <p>${twoFactorOn ? "On: signing in asks for a code from your authenticator app." : "Off: signing in asks only for your password."} <a href="/settings/two_factor">${twoFactorOn ? "Manage two-factor sign-in" : "Set up two-factor sign-in"}</a></p>
</section>
<section class="panel">
  <form method="post" action="/settings/email" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>Change e-mail address</h2>
    <p class="hint" id="email-hint">${email ? html`Now: <strong>${email}</strong>. ` : ""}${pendingEmail ? html`Waiting for confirmation: <strong>${pendingEmail}</strong>. ` : ""}The new address gets a link; the old one stays in effect until it is followed.</p>
    <label for="new_email">New e-mail address</label>
    <input id="new_email" name="email" type="email" autocomplete="email" maxlength="254" required aria-describedby="email-hint">
    <label for="email_current_password">Current password</label>
    <input id="email_current_password" name="current_password" type="password" autocomplete="current-password" required>
    <button type="submit" class="button button-primary">Change e-mail address</button>
  </form>
</section>
<section class="panel">
  <h2 id="sessions-title">Signed-in browsers</h2>
  ${tableWrap(
    { labelledBy: "sessions-title" },
    html`<table aria-labelledby="sessions-title">
    <thead><tr><th scope="col">Browser</th><th scope="col">Address</th><th scope="col">Signed in</th><th scope="col">Last used</th><th scope="col"></th></tr></thead>
    <tbody>${sessions.map((s) => sessionRow(v, s))}</tbody>
  </table>`,
  )}
</section>
<section class="panel">
  <h2 id="apps-title">Authorized apps</h2>
  ${
    applications.length === 0
      ? html`<p class="muted">No app has access to your account.</p>`
      : tableWrap(
          { labelledBy: "apps-title" },
          html`<table aria-labelledby="apps-title">
    <thead><tr><th scope="col">App</th><th scope="col">Scopes</th><th scope="col">Authorized</th><th scope="col">Last used</th><th scope="col"></th></tr></thead>
    <tbody>${applications.map((a) => applicationRow(v, a))}</tbody>
  </table>`,
        )
  }
</section>`,
  );
}
