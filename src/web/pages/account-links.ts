// The pages behind the e-mailed links of account recovery: asking for a password reset, choosing the new
// password, and the confirmation of a changed e-mail address.
import { html } from "hono/html";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../domain/passwords.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

/** "Forgot your password?": the address to send the link to; once sent, one answer for every address. */
export function forgotPasswordPage(v: View, sent: boolean): Html {
  return layout(
    v,
    { title: "Reset your password", noindex: true },
    html`<section class="panel narrow">
  <h1>Reset your password</h1>
  ${
    sent
      ? html`<p role="status">If an account has this address, a link to choose a new password is on its way. It works for an hour.</p>`
      : html`<form method="post" action="/auth/password/new" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="email">Your account's e-mail address</label>
    <input id="email" name="email" type="email" required autocomplete="email" maxlength="254">
    <button type="submit" class="button button-primary">Send me a link</button>
  </form>`
  }
  <p><a href="/auth/sign_in">Back to sign-in</a></p>
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
      { title: "Link not valid", noindex: true },
      html`<section class="panel narrow">
  <h1>Link not valid</h1>
  <p class="error" role="alert">This link was already used, has expired or is wrong. <a href="/auth/password/new">Ask for a new one</a>.</p>
</section>`,
    );
  }
  return layout(
    v,
    { title: "Choose a new password", noindex: true },
    html`<section class="panel narrow">
  <h1>Choose a new password</h1>
  ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
  <form method="post" action="/auth/password/edit" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <input type="hidden" name="token" value="${options.token}">
    <p class="hint" id="password-hint">At least ${PASSWORD_MIN_LENGTH} characters. Every browser and app signed in to your account is signed out.</p>
    <label for="password">New password</label>
    <input id="password" name="password" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" required aria-describedby="password-hint">
    <label for="password_confirmation">New password again</label>
    <input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" required>
    <button type="submit" class="button button-primary">Set the new password</button>
  </form>
</section>`,
  );
}

export function passwordResetDonePage(v: View): Html {
  return layout(
    v,
    { title: "Password changed", noindex: true },
    html`<section class="panel narrow" role="status">
  <h1>Password changed</h1>
  <p>Your new password is set, and every browser and app was signed out. <a href="/auth/sign_in">Sign in</a>.</p>
</section>`,
  );
}

/** The page the link sent to a new address opens. */
export function emailChangedPage(v: View, username: string | null): Html {
  return layout(
    v,
    { title: username ? "Address changed" : "Link not valid", noindex: true },
    html`<section class="panel narrow">
  ${
    username
      ? html`<h1>Address changed</h1>
  <p role="status">@${username}: this is now your account's e-mail address.</p>`
      : html`<h1>Link not valid</h1>
  <p class="error" role="alert">This link was already used, has expired or is wrong, or the address is now another account's.</p>`
  }
</section>`,
  );
}
