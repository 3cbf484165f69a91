// Administration: the instance rules (add, remove), the same domain functions as the CLI's `rule`
// commands; members see them on the about page and agree to them at sign-up.
import { html } from "hono/html";
import type { InstanceRule } from "../../domain/instance-rules.ts";
import { RULE_HINT_MAX_LENGTH, RULE_TEXT_MAX_LENGTH } from "../../domain/instance-rules.ts";
import type { View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import { type AdminNotice, adminLayout } from "./admin.ts";

export function rulesPage(
  v: View,
  rules: InstanceRule[],
  openReports: number,
  notice?: AdminNotice,
): Html {
  return adminLayout(
    v,
    "rules",
    v.t("z_admin.tabs.rules"),
    html`<h2>${v.t("z_admin.rules.new")}</h2>
  <p class="muted">${rich(v.t, "z_admin.rules.intro", {
    about: html`<a href="/about">${v.t("z_admin.rules.aboutPage")}</a>`,
    api: html`<code>/api/v1/instance/rules</code>`,
  })}</p>
  <form method="post" action="/admin/rules" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="rule-text">${v.t("z_admin.rules.rule")}</label>
    <input id="rule-text" name="text" type="text" required maxlength="${RULE_TEXT_MAX_LENGTH}">
    <label for="rule-hint">${v.t("z_admin.rules.hint")}</label>
    <textarea id="rule-hint" name="hint" rows="2" maxlength="${RULE_HINT_MAX_LENGTH}"></textarea>
    <button type="submit" class="button button-primary">${v.t("z_admin.rules.add")}</button>
  </form>
  <h2 id="rules-title">${v.t("z_admin.rules.heading", { count: rules.length })}</h2>
  ${
    rules.length === 0
      ? html`<p class="empty">${v.t("z_admin.rules.none")}</p>`
      : html`<ol class="rules" aria-labelledby="rules-title">${rules.map(
          (r) => html`<li>
      <strong>${r.text}</strong>${r.hint === "" ? "" : html`<br><span class="muted">${r.hint}</span>`}
      <form method="post" action="/admin/rules/${r.id}/delete" class="inline" data-confirm="${v.t("z_admin.rules.confirmRemove")}">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <button type="submit" class="button button-danger">${v.t("z_moves.remove")}</button>
      </form>
    </li>`,
        )}</ol>`
  }
  <p class="muted">${rich(v.t, "z_admin.domains.cli", { command: html`<code>npm run cli -- rule list</code>` })}</p>`,
    { openReports, ...(notice ? { notice } : {}) },
  );
}
