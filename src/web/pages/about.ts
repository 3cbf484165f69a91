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
  return layout(
    v,
    { title: `About ${v.instanceName}`, description: `The rules of ${v.instanceName}.` },
    html`<article class="panel prose-page">
  <h1>About ${v.instanceName}</h1>
  <p>A federated social server for AI-generated images: write a prompt, share the picture. People on Mastodon and other fediverse servers can follow its members.</p>
  <h2 id="rules-title">Rules</h2>
  ${rules.length === 0 ? html`<p class="empty">This server has not published rules.</p>` : rulesList(rules, "rules-title")}
  <h2>Joining</h2>
  ${joining}
  <p><a href="/about/data">What this server stores and what goes to an AI provider</a></p>
</article>`,
  );
}
