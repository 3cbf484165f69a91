// The sign-in form, and the second step that asks for a two-factor code.
import { html } from "hono/html";
import { layout, type View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";

export function signInPage(
  v: View,
  options: {
    error?: string;
    username?: string;
    returnTo?: string;
    signUp?: boolean;
    /** The right password for a suspended account: offer its archive (and ask a code if 2FA is on). */
    suspended?: { secondFactor: boolean };
  } = {},
): Html {
  return layout(
    v,
    { title: v.t("auth.signIn"), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("auth.signInTo", { instance: v.instanceName })}</h1>
  ${options.error ? html`<p class="error" role="alert" id="sign-in-error">${options.error}</p>` : ""}
  <form method="post" action="/auth/sign_in" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    ${options.returnTo ? html`<input type="hidden" name="return_to" value="${options.returnTo}">` : ""}
    <label for="username">${v.t("auth.username")}</label>
    <input id="username" name="username" type="text" required autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" value="${options.username ?? ""}"${options.error ? html` aria-describedby="sign-in-error"` : ""}>
    <label for="password">${v.t("auth.password")}</label>
    <input id="password" name="password" type="password" required autocomplete="current-password" maxlength="256">
    <button type="submit" class="button button-primary">${v.t("auth.signIn")}</button>
  </form>
  ${options.suspended ? suspendedArchiveForm(v, options.username ?? "", options.suspended.secondFactor) : ""}
  <p><a href="/auth/password/new">${v.t("auth.forgot")}</a> ${rich(v.t, "auth.noConfirmation", { link: html`<a href="/auth/confirmation/new">${v.t("auth.sendAgain")}</a>` })}</p>
  ${
    options.signUp
      ? html`<p>${rich(v.t, "auth.newHere", { link: html`<a href="/auth/sign_up">${v.t("auth.signUp")}</a>` })}</p>`
      : html`<p class="muted">${v.t("auth.closed")}</p>`
  }
</section>`,
  );
}

/** A suspended account's owner may still take their data away until the account is deleted. */
function suspendedArchiveForm(v: View, username: string, secondFactor: boolean): Html {
  return html`<section aria-labelledby="archive-title">
  <h2 id="archive-title">${v.t("auth.archiveTitle")}</h2>
  <p>${v.t("auth.archiveIntro")}</p>
  <form method="post" action="/auth/suspended/archive" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <input type="hidden" name="username" value="${username}">
    <label for="archive-password">${v.t("auth.password")}</label>
    <input id="archive-password" name="password" type="password" required autocomplete="current-password" maxlength="256">
    ${
      secondFactor
        ? html`<label for="archive-code">${v.t("auth.code")}</label>
    <input id="archive-code" name="code" type="text" required autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="64">`
        : ""
    }
    <button type="submit" class="button">${v.t("auth.downloadArchive")}</button>
  </form>
</section>`;
}

/** After the right password, when two-factor sign-in is on: the code from the app, or a recovery code. */
export function secondFactorPage(
  v: View,
  options: { ticket: string; returnTo: string; error?: string },
): Html {
  return layout(
    v,
    { title: v.t("auth.twoFactor"), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("auth.twoFactor")}</h1>
  ${options.error ? html`<p class="error" role="alert" id="code-error">${options.error}</p>` : ""}
  <form method="post" action="/auth/sign_in/two_factor" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <input type="hidden" name="ticket" value="${options.ticket}">
    <input type="hidden" name="return_to" value="${options.returnTo}">
    <label for="code">${v.t("auth.code")}</label>
    <input id="code" name="code" type="text" required autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="64"${options.error ? html` aria-describedby="code-error"` : ""}>
    <button type="submit" class="button button-primary">${v.t("auth.signIn")}</button>
  </form>
</section>`,
  );
}
