// The pages behind the e-mailed links of account recovery: asking for a password reset, choosing the new
// password, and the confirmation of a changed e-mail address.
import { html } from "hono/html";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../domain/passwords.ts";
import { layout, type View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";

/** "Forgot your password?": the address to send the link to; once sent, one answer for every address. */
export function forgotPasswordPage(v: View, sent: boolean): Html {
  return layout(
    v,
    { title: v.t("z_recovery.resetTitle"), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("z_recovery.resetTitle")}</h1>
  ${
    sent
      ? html`<p role="status">${v.t("z_recovery.sent")}</p>`
      : html`<form method="post" action="/auth/password/new" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="email">${v.t("z_recovery.accountEmail")}</label>
    <input id="email" name="email" type="email" required autocomplete="email" maxlength="254">
    <button type="submit" class="button button-primary">${v.t("z_recovery.sendLink")}</button>
  </form>`
  }
  <p><a href="/auth/sign_in">${v.t("z_recovery.backToSignIn")}</a></p>
</section>`,
  );
}

/** The link's page: the new password twice, or why the link no longer works. */
export function resetPasswordPage(
  v: View,
  options: { token: string; valid: boolean; error?: string },
): Html {
  if (!options.valid) {
    return layout(
      v,
      { title: v.t("signUp.invalidLink"), noindex: true },
      html`<section class="panel narrow">
  <h1>${v.t("signUp.invalidLink")}</h1>
  <p class="error" role="alert">${rich(v.t, "z_recovery.invalidReset", {
    link: html`<a href="/auth/password/new">${v.t("z_recovery.askNew")}</a>`,
  })}</p>
</section>`,
    );
  }
  return layout(
    v,
    { title: v.t("z_recovery.chooseTitle"), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("z_recovery.chooseTitle")}</h1>
  ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
  <form method="post" action="/auth/password/edit" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <input type="hidden" name="token" value="${options.token}">
    <p class="hint" id="password-hint">${v.t("z_recovery.passwordHint", { min: PASSWORD_MIN_LENGTH })}</p>
    <label for="password">${v.t("z_recovery.newPassword")}</label>
    <input id="password" name="password" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" required aria-describedby="password-hint">
    <label for="password_confirmation">${v.t("z_recovery.newPasswordAgain")}</label>
    <input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" required>
    <button type="submit" class="button button-primary">${v.t("z_recovery.setPassword")}</button>
  </form>
</section>`,
  );
}

export function passwordResetDonePage(v: View): Html {
  return layout(
    v,
    { title: v.t("z_recovery.doneTitle"), noindex: true },
    html`<section class="panel narrow" role="status">
  <h1>${v.t("z_recovery.doneTitle")}</h1>
  <p>${rich(v.t, "z_recovery.done", { link: html`<a href="/auth/sign_in">${v.t("auth.signIn")}</a>` })}</p>
</section>`,
  );
}

/** The page the link sent to a new address opens. */
export function emailChangedPage(v: View, username: string | null): Html {
  return layout(
    v,
    {
      title: username ? v.t("z_recovery.emailChangedTitle") : v.t("signUp.invalidLink"),
      noindex: true,
    },
    html`<section class="panel narrow">
  ${
    username
      ? html`<h1>${v.t("z_recovery.emailChangedTitle")}</h1>
  <p role="status">${v.t("z_recovery.emailChanged", { username })}</p>`
      : html`<h1>${v.t("signUp.invalidLink")}</h1>
  <p class="error" role="alert">${v.t("z_recovery.invalidEmailLink")}</p>`
  }
</section>`,
  );
}
