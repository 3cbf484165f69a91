// The sign-up form (username, e-mail, password, the rules to accept, a reason in approval mode), with
// each field's error beside it, and the pages that follow it.
import { html } from "hono/html";
import type { RegistrationMode } from "../../config.ts";
import type { FieldProblem } from "../../domain/accounts.ts";
import type { InstanceRule } from "../../domain/instance-rules.ts";
import { layout, type View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
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
    // The language this page is read in is the likeliest one to post in.
    locale: v.t.locale,
    aiDataConsent: false,
  };
  const e = input.errors ?? {};
  const hasErrors = Object.keys(e).length > 0;
  return layout(
    v,
    { title: v.t("signUp.title"), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("signUp.heading", { instance: v.instanceName })}</h1>
  <p class="muted">${input.invite ? v.t("signUp.invited") : v.t(`signUp.modes.${input.mode}`)}</p>
  ${hasErrors ? html`<p class="error" role="alert">${v.t("signUp.fieldsWrong")}</p>` : ""}
  ${input.notice ? html`<p class="error" role="alert">${input.notice}</p>` : ""}
  <form method="post" action="/auth/sign_up" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    ${input.invite ? html`<input type="hidden" name="invite" value="${input.invite}">` : ""}
    <label for="username">${v.t("auth.username")}</label>
    <input id="username" name="username" type="text" required autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="30" value="${f.username}"${describedBy(e, "username")}>
    ${fieldError(e, "username")}
    <label for="email">${v.t("signUp.email")}</label>
    <input id="email" name="email" type="email" required autocomplete="email" maxlength="254" value="${f.email}"${describedBy(e, "email")}>
    ${fieldError(e, "email")}
    <label for="password">${v.t("signUp.password")}</label>
    <input id="password" name="password" type="password" required autocomplete="new-password" minlength="8" maxlength="256"${describedBy(e, "password")}>
    ${fieldError(e, "password")}
    ${
      input.mode === "approval" && !input.invite
        ? html`<label for="reason">${v.t("signUp.reason")}</label>
    <textarea id="reason" name="reason" rows="3" required maxlength="500"${describedBy(e, "reason")}>${f.reason}</textarea>
    ${fieldError(e, "reason")}`
        : ""
    }
    <label for="locale">${v.t("signUp.language")}</label>
    <select id="locale" name="locale"${describedBy(e, "locale")}>${SIGN_UP_LANGUAGES.map(
      ([code, name]) =>
        html`<option value="${code}" lang="${code}"${code === f.locale ? " selected" : ""}>${name}</option>`,
    )}</select>
    ${fieldError(e, "locale")}
    <fieldset>
      <legend>${v.t("signUp.aiQuestion")}</legend>
      <p class="muted">${rich(v.t, "signUp.aiExplain", { link: html`<a href="/about/data">${v.t("signUp.aiExplainLink")}</a>` })}</p>
      <div class="check">
        <input type="radio" id="ai-data-no" name="ai_data_consent" value="0"${f.aiDataConsent ? "" : " checked"}>
        <label for="ai-data-no">${v.t("signUp.aiNo")}</label>
      </div>
      <div class="check">
        <input type="radio" id="ai-data-yes" name="ai_data_consent" value="1"${f.aiDataConsent ? " checked" : ""}>
        <label for="ai-data-yes">${v.t("signUp.aiYes")}</label>
      </div>
    </fieldset>
    <h2 id="rules-title">${v.t("signUp.rules")}</h2>
    ${input.rules.length === 0 ? html`<p class="muted">${v.t("signUp.noRules")}</p>` : rulesList(input.rules, "rules-title")}
    <div class="check">
      <input type="checkbox" id="agreement" name="agreement" value="1"${f.agreement ? " checked" : ""}${describedBy(e, "agreement")}>
      <label for="agreement">${v.t("signUp.accept", { instance: v.instanceName })}</label>
    </div>
    ${fieldError(e, "agreement")}
    <button type="submit" class="button button-primary">${v.t("signUp.title")}</button>
  </form>
  <p class="muted">${rich(v.t, "signUp.haveAccount", { link: html`<a href="/auth/sign_in">${v.t("auth.signIn")}</a>` })}</p>
</section>`,
  );
}

/** After signing up: what happens next. */
export function signedUpPage(v: View, email: string, approval: boolean): Html {
  return layout(
    v,
    { title: v.t("signUp.checkEmail"), noindex: true },
    html`<section class="panel narrow" role="status">
  <h1>${v.t("signUp.checkEmail")}</h1>
  <p>${rich(v.t, "signUp.sentLink", { email: html`<strong>${email}</strong>` })}</p>
  ${approval ? html`<p>${v.t("signUp.reviewed")}</p>` : ""}
</section>`,
  );
}

/** The page the confirmation link opens. */
export function confirmedPage(v: View, username: string | null): Html {
  return layout(
    v,
    { title: v.t(username ? "signUp.confirmed" : "signUp.invalidLink"), noindex: true },
    html`<section class="panel narrow">
  ${
    username
      ? html`<h1>${v.t("signUp.confirmed")}</h1>
  <p>${rich(v.t, "signUp.confirmedText", { username, link: html`<a href="/auth/sign_in">${v.t("auth.signIn")}</a>` })}</p>`
      : html`<h1>${v.t("signUp.invalidLink")}</h1>
  <p class="error" role="alert">${v.t("signUp.invalidLinkText")}</p>`
  }
</section>`,
  );
}

/** Asking for another confirmation link; once sent, the same answer whether the address is known. */
export function resendPage(v: View, sent: boolean): Html {
  return layout(
    v,
    { title: v.t("signUp.confirmTitle"), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("signUp.confirmTitle")}</h1>
  ${
    sent
      ? html`<p role="status">${v.t("signUp.resent")}</p>`
      : html`<form method="post" action="/auth/confirmation/new" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="email">${v.t("signUp.emailUsed")}</label>
    <input id="email" name="email" type="email" required autocomplete="email" maxlength="254">
    <button type="submit" class="button button-primary">${v.t("signUp.sendLink")}</button>
  </form>`
  }
</section>`,
  );
}
