// The sign-up form (username, e-mail, password, the rules to accept, a reason in approval mode), with
// each field's error beside it, and the pages that follow it.
import { html } from "hono/html";
import type { RegistrationMode } from "../../config.ts";
import type { FieldProblem } from "../../domain/accounts.ts";
import type { InstanceRule } from "../../domain/instance-rules.ts";
import { REGISTRATION_MESSAGES } from "../../domain/registrations.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";
import { rulesList } from "./about.ts";

export interface SignUpForm {
  username: string;
  email: string;
  reason: string;
  agreement: boolean;
  locale: string;
  aiDataConsent: boolean;
}

/**
 * The languages offered at sign-up, by their own names: the account's language and the one its posts
 * are marked with until changed in settings (where any ISO 639 code may be typed).
 */
export const SIGN_UP_LANGUAGES: readonly (readonly [string, string])[] = [
  ["en", "English"],
  ["fr", "Français"],
  ["de", "Deutsch"],
  ["es", "Español"],
  ["it", "Italiano"],
  ["pt", "Português"],
  ["nl", "Nederlands"],
  ["pl", "Polski"],
  ["sv", "Svenska"],
  ["uk", "Українська"],
  ["ru", "Русский"],
  ["tr", "Türkçe"],
  ["ar", "العربية"],
  ["hi", "हिन्दी"],
  ["ja", "日本語"],
  ["ko", "한국어"],
  ["zh", "中文"],
];

function fieldError(errors: Record<string, FieldProblem[]>, field: string): Html | string {
  const list = errors[field];
  if (list === undefined || list.length === 0) return "";
  return html`<p class="error field-error" id="${field}-error">${list.map((p) => p.description).join(" ")}</p>`;
}

const describedBy = (errors: Record<string, FieldProblem[]>, field: string) =>
  errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : "";

export function signUpPage(
  v: View,
  input: {
    mode: RegistrationMode;
    rules: InstanceRule[];
    form?: SignUpForm;
    errors?: Record<string, FieldProblem[]>;
    /** Why the sign-up was refused as a whole (too many from this address). */
    notice?: string;
    /** The code of the invite link the visitor came with (no approval needed, no reason asked). */
    invite?: string;
  },
): Html {
  const f = input.form ?? {
    username: "",
    email: "",
    reason: "",
    agreement: false,
    locale: "en",
    aiDataConsent: false,
  };
  const e = input.errors ?? {};
  const hasErrors = Object.keys(e).length > 0;
  return layout(
    v,
    { title: "Sign up", noindex: true },
    html`<section class="panel narrow">
  <h1>Sign up to ${v.instanceName}</h1>
  <p class="muted">${input.invite ? "You were invited: welcome." : REGISTRATION_MESSAGES[input.mode]}</p>
  ${hasErrors ? html`<p class="error" role="alert">Some fields need another look.</p>` : ""}
  ${input.notice ? html`<p class="error" role="alert">${input.notice}</p>` : ""}
  <form method="post" action="/auth/sign_up" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    ${input.invite ? html`<input type="hidden" name="invite" value="${input.invite}">` : ""}
    <label for="username">Username</label>
    <input id="username" name="username" type="text" required autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="30" value="${f.username}"${describedBy(e, "username")}>
    ${fieldError(e, "username")}
    <label for="email">E-mail address</label>
    <input id="email" name="email" type="email" required autocomplete="email" maxlength="254" value="${f.email}"${describedBy(e, "email")}>
    ${fieldError(e, "email")}
    <label for="password">Password (at least 8 characters)</label>
    <input id="password" name="password" type="password" required autocomplete="new-password" minlength="8" maxlength="256"${describedBy(e, "password")}>
    ${fieldError(e, "password")}
    ${
      input.mode === "approval" && !input.invite
        ? html`<label for="reason">Why do you want to join?</label>
    <textarea id="reason" name="reason" rows="3" required maxlength="500"${describedBy(e, "reason")}>${f.reason}</textarea>
    ${fieldError(e, "reason")}`
        : ""
    }
    <label for="locale">Language you post in</label>
    <select id="locale" name="locale"${describedBy(e, "locale")}>${SIGN_UP_LANGUAGES.map(
      ([code, name]) =>
        html`<option value="${code}" lang="${code}"${code === f.locale ? " selected" : ""}>${name}</option>`,
    )}</select>
    ${fieldError(e, "locale")}
    <fieldset>
      <legend>May your images and prompts go into AI datasets?</legend>
      <p class="muted">If you say yes, the administrator may include your public prompts and images in datasets exported from this server for research or training AI models. You can change this at any time in your settings. <a href="/about/data">What this means</a>.</p>
      <div class="check">
        <input type="radio" id="ai-data-no" name="ai_data_consent" value="0"${f.aiDataConsent ? "" : " checked"}>
        <label for="ai-data-no">No (the default)</label>
      </div>
      <div class="check">
        <input type="radio" id="ai-data-yes" name="ai_data_consent" value="1"${f.aiDataConsent ? " checked" : ""}>
        <label for="ai-data-yes">Yes, they may</label>
      </div>
    </fieldset>
    <h2 id="rules-title">Rules</h2>
    ${input.rules.length === 0 ? html`<p class="muted">This server has not published rules.</p>` : rulesList(input.rules, "rules-title")}
    <div class="check">
      <input type="checkbox" id="agreement" name="agreement" value="1"${f.agreement ? " checked" : ""}${describedBy(e, "agreement")}>
      <label for="agreement">I accept the rules of ${v.instanceName}</label>
    </div>
    ${fieldError(e, "agreement")}
    <button type="submit" class="button button-primary">Sign up</button>
  </form>
  <p class="muted">Already have an account? <a href="/auth/sign_in">Sign in</a>.</p>
</section>`,
  );
}

/** After signing up: what happens next. */
export function signedUpPage(v: View, email: string, approval: boolean): Html {
  return layout(
    v,
    { title: "Check your e-mail", noindex: true },
    html`<section class="panel narrow" role="status">
  <h1>Check your e-mail</h1>
  <p>We sent a link to <strong>${email}</strong>. Follow it to confirm your address; then you can sign in.</p>
  ${approval ? html`<p>An administrator also reviews your sign-up; you can sign in once it is approved.</p>` : ""}
</section>`,
  );
}

/** The page the confirmation link opens. */
export function confirmedPage(v: View, username: string | null): Html {
  return layout(
    v,
    { title: username ? "Address confirmed" : "Link not valid", noindex: true },
    html`<section class="panel narrow">
  ${
    username
      ? html`<h1>Address confirmed</h1>
  <p>Thank you, @${username}: your e-mail address is confirmed. <a href="/auth/sign_in">Sign in</a>.</p>`
      : html`<h1>Link not valid</h1>
  <p class="error" role="alert">This confirmation link was already used or is wrong.</p>`
  }
</section>`,
  );
}

/** Asking for another confirmation link; once sent, the same answer whether the address is known. */
export function resendPage(v: View, sent: boolean): Html {
  return layout(
    v,
    { title: "Confirm your e-mail address", noindex: true },
    html`<section class="panel narrow">
  <h1>Confirm your e-mail address</h1>
  ${
    sent
      ? html`<p role="status">If an account waiting for confirmation has this address, a new link is on its way.</p>`
      : html`<form method="post" action="/auth/confirmation/new" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="email">E-mail address you signed up with</label>
    <input id="email" name="email" type="email" required autocomplete="email" maxlength="254">
    <button type="submit" class="button button-primary">Send a new link</button>
  </form>`
  }
</section>`,
  );
}
