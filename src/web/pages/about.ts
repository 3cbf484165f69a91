// The about page: what this instance is, its rules, and how to join it.
import { html } from "hono/html";
import type { InstanceRule } from "../../domain/instance-rules.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

/** The rules as a numbered list (the about page and sign-up show the same one). */
export function rulesList(rules: InstanceRule[], labelledBy: string): Html {
  return html`<ol class="rules" aria-labelledby="${labelledBy}">${rules.map(
    (r) =>
      html`<li><strong>${r.text}</strong>${r.hint === "" ? "" : html`<br><span class="muted">${r.hint}</span>`}</li>`,
  )}</ol>`;
}

export function aboutPage(v: View, rules: InstanceRule[], joining: Html): Html {
  const instance = v.instanceName;
  return layout(
    v,
    {
      title: v.t("z_about.title", { instance }),
      description: v.t("z_about.description", { instance }),
    },
    html`<article class="panel prose-page">
  <h1>${v.t("z_about.title", { instance })}</h1>
  <p>${v.t("z_about.intro")}</p>
  <h2 id="rules-title">${v.t("z_about.rules")}</h2>
  ${rules.length === 0 ? html`<p class="empty">${v.t("signUp.noRules")}</p>` : rulesList(rules, "rules-title")}
  <h2>${v.t("z_about.joining")}</h2>
  ${joining}
  <p><a href="/about/data">${v.t("settings.whatStored")}</a></p>
</article>`,
  );
}
