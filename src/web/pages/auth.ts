// The sign-in form, and the second step that asks for a two-factor code.
import { html } from "hono/html";
import { layout, type View } from "../components/layout.ts";
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
    { title: "Sign in", noindex: true },
    html`<section class="panel narrow">
  <h1>Sign in to ${v.instanceName}</h1>
  ${options.error ? html`<p class="error" role="alert" id="sign-in-error">${options.error}</p>` : ""}
  <form method="post" action="/auth/sign_in" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    ${options.returnTo ? html`<input type="hidden" name="return_to" value="${options.returnTo}">` : ""}
    <label for="username">Username</label>
    <input id="username" name="username" type="text" required autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" value="${options.username ?? ""}"${options.error ? html` aria-describedby="sign-in-error"` : ""}>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" required autocomplete="current-password" maxlength="256">
    <button type="submit" class="button button-primary">Sign in</button>
  </form>
  ${options.suspended ? suspendedArchiveForm(v, options.username ?? "", options.suspended.secondFactor) : ""}
  <p><a href="/auth/password/new">Forgot your password?</a> No confirmation e-mail? <a href="/auth/confirmation/new">Send it again</a>.</p>
  ${
    options.signUp
      ? html`<p>New here? <a href="/auth/sign_up">Sign up</a>.</p>`
      : html`<p class="muted">This server is not taking sign-ups at the moment.</p>`
  }
</section>`,
  );
}

/** A suspended account's owner may still take their data away until the account is deleted. */
function suspendedArchiveForm(v: View, username: string, secondFactor: boolean): Html {
  return html`<section aria-labelledby="archive-title">
  <h2 id="archive-title">Download your archive</h2>
  <p>Until your account is deleted, you can still download your posts, images and settings.</p>
  <form method="post" action="/auth/suspended/archive" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <input type="hidden" name="username" value="${username}">
    <label for="archive-password">Password</label>
    <input id="archive-password" name="password" type="password" required autocomplete="current-password" maxlength="256">
    ${
      secondFactor
        ? html`<label for="archive-code">Code from your authenticator app, or a recovery code</label>
    <input id="archive-code" name="code" type="text" required autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="64">`
        : ""
    }
    <button type="submit" class="button">Download my archive</button>
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
    { title: "Two-factor sign-in", noindex: true },
    html`<section class="panel narrow">
  <h1>Two-factor sign-in</h1>
  ${options.error ? html`<p class="error" role="alert" id="code-error">${options.error}</p>` : ""}
  <form method="post" action="/auth/sign_in/two_factor" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <input type="hidden" name="ticket" value="${options.ticket}">
    <input type="hidden" name="return_to" value="${options.returnTo}">
    <label for="code">Code from your authenticator app, or a recovery code</label>
    <input id="code" name="code" type="text" required autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="64"${options.error ? html` aria-describedby="code-error"` : ""}>
    <button type="submit" class="button button-primary">Sign in</button>
  </form>
</section>`,
  );
}
