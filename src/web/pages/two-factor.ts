// Settings → Two-factor sign-in: setting up an authenticator app (the secret as text, its otpauth://
// address and a QR code of it), the recovery codes shown once, turning it off and new recovery codes.
import { html, raw } from "hono/html";
import type { TwoFactorSetup } from "../../domain/two-factor.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export type TwoFactorState =
  | { kind: "off" }
  | { kind: "setup"; setup: TwoFactorSetup; qrSvg: string }
  | { kind: "codes"; codes: string[] }
  | { kind: "on"; since: Date; codesLeft: number };

export interface TwoFactorNotice {
  kind: "ok" | "error";
  text: string;
}

const codeField = (id: string, label: string) =>
  html`<label for="${id}">${label}</label>
    <input id="${id}" name="code" type="text" required autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="64">`;

function body(v: View, state: TwoFactorState): Html {
  switch (state.kind) {
    case "off":
      return html`<p>Signing in asks only for your password. With two-factor sign-in, it also asks for a code from an authenticator app on your phone.</p>
  <form method="post" action="/settings/two_factor/setup" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <button type="submit" class="button button-primary">Set up two-factor sign-in</button>
  </form>`;
    case "setup":
      // The SVG is made by the qrcode library from our own otpauth:// address: no outside markup.
      return html`<p>Scan this code with your authenticator app, or type the secret into it. It is shown only until you confirm.</p>
  <div class="qr-code" role="img" aria-label="QR code of the otpauth address below">${raw(state.qrSvg)}</div>
  <p>Secret: <code id="otp-secret">${state.setup.secret}</code></p>
  <p>Address: <code id="otp-uri">${state.setup.uri}</code></p>
  <form method="post" action="/settings/two_factor/confirm" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    ${codeField("code", "The 6-digit code your app shows now")}
    <button type="submit" class="button button-primary">Turn on two-factor sign-in</button>
  </form>`;
    case "codes":
      return html`<p role="status">Keep these recovery codes somewhere safe. Each signs you in once instead of a code from the app; they are shown only now.</p>
  <ul class="recovery-codes" id="recovery-codes">${state.codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
  <p><a href="/settings/two_factor">Done</a></p>`;
    case "on":
      return html`<p>On since <time datetime="${state.since.toISOString()}">${state.since.toISOString().slice(0, 10)}</time>. ${state.codesLeft} recovery code${state.codesLeft === 1 ? "" : "s"} left.</p>
  <form method="post" action="/settings/two_factor/recovery_codes" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>New recovery codes</h2>
    <p class="hint">The old ones stop working.</p>
    ${codeField("regenerate_code", "Code from your app")}
    <button type="submit" class="button">Make new recovery codes</button>
  </form>
  <form method="post" action="/settings/two_factor/disable" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>Turn off</h2>
    <label for="disable_password">Password</label>
    <input id="disable_password" name="password" type="password" autocomplete="current-password" required>
    ${codeField("disable_code", "Code from your app, or a recovery code")}
    <button type="submit" class="button button-danger">Turn off two-factor sign-in</button>
  </form>`;
  }
}

export function twoFactorPage(v: View, state: TwoFactorState, notice?: TwoFactorNotice): Html {
  return layout(
    v,
    { title: "Two-factor sign-in · Settings", noindex: true },
    html`<section class="panel narrow">
  <h1>Two-factor sign-in</h1>
  <p><a href="/settings/security">Back to security</a></p>
  ${notice ? html`<p class="${notice.kind === "ok" ? "success" : "error"}" role="${notice.kind === "ok" ? "status" : "alert"}">${notice.text}</p>` : ""}
  ${body(v, state)}
</section>`,
  );
}
