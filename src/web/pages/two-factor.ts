// Settings → Two-factor sign-in: setting up an authenticator app (the secret as text, its otpauth://
// address and a QR code of it), the recovery codes shown once, turning it off and new recovery codes.
import { html, raw } from "hono/html";
import type { TwoFactorSetup } from "../../domain/two-factor.ts";
import { layout, type View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
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
      return html`<p>${v.t("z_security.twoFactorIntro")}</p>
  <form method="post" action="/settings/two_factor/setup" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <button type="submit" class="button button-primary">${v.t("z_security.setUpTwoFactor")}</button>
  </form>`;
    case "setup":
      // The SVG is made by the qrcode library from our own otpauth:// address: no outside markup.
      return html`<p>${v.t("z_security.scan")}</p>
  <div class="qr-code" role="img" aria-label="${v.t("z_security.qrLabel")}">${raw(state.qrSvg)}</div>
  <p>${rich(v.t, "z_security.secret", { secret: html`<code id="otp-secret">${state.setup.secret}</code>` })}</p>
  <p>${rich(v.t, "z_security.otpAddress", { uri: html`<code id="otp-uri">${state.setup.uri}</code>` })}</p>
  <form method="post" action="/settings/two_factor/confirm" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    ${codeField("code", v.t("z_security.codeNow"))}
    <button type="submit" class="button button-primary">${v.t("z_security.turnOn")}</button>
  </form>`;
    case "codes":
      return html`<p role="status">${v.t("z_security.keepCodes")}</p>
  <ul class="recovery-codes" id="recovery-codes">${state.codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
  <p><a href="/settings/two_factor">${v.t("z_security.doneLink")}</a></p>`;
    case "on":
      return html`<p>${rich(v.t, "z_security.onSince", { date: html`<time datetime="${state.since.toISOString()}">${state.since.toISOString().slice(0, 10)}</time>` })} ${v.t("z_security.codesLeft", { count: state.codesLeft })}</p>
  <form method="post" action="/settings/two_factor/recovery_codes" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>${v.t("z_security.newCodes")}</h2>
    <p class="hint">${v.t("z_security.oldStop")}</p>
    ${codeField("regenerate_code", v.t("z_security.codeFromApp"))}
    <button type="submit" class="button">${v.t("z_security.makeCodes")}</button>
  </form>
  <form method="post" action="/settings/two_factor/disable" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <h2>${v.t("z_security.turnOffTitle")}</h2>
    <label for="disable_password">${v.t("auth.password")}</label>
    <input id="disable_password" name="password" type="password" autocomplete="current-password" required>
    ${codeField("disable_code", v.t("z_security.codeOrRecovery"))}
    <button type="submit" class="button button-danger">${v.t("z_security.turnOff")}</button>
  </form>`;
  }
}

export function twoFactorPage(v: View, state: TwoFactorState, notice?: TwoFactorNotice): Html {
  return layout(
    v,
    { title: v.t("z_security.twoFactorTab"), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("auth.twoFactor")}</h1>
  <p><a href="/settings/security">${v.t("z_security.backToSecurity")}</a></p>
  ${notice ? html`<p class="${notice.kind === "ok" ? "success" : "error"}" role="${notice.kind === "ok" ? "status" : "alert"}">${notice.text}</p>` : ""}
  ${body(v, state)}
</section>`,
  );
}
