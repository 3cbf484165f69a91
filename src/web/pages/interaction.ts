// /authorize_interaction: where a remote server sends someone who wants to follow (or reply to) something
// from their Atelier account; it shows the account or status and a Follow button.
import { html } from "hono/html";
import type { Account } from "../../db/queries/rows.ts";
import { accountLine, displayNameOf, handleOf, profilePath } from "../components/account.ts";
import { layout, type View } from "../components/layout.ts";
import { statusCard } from "../components/status.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import type { StatusView } from "../views.ts";

export function authorizeInteractionPage(
  v: View,
  uri: string,
  target: { account: Account; status?: StatusView; relationship: string } | null,
  notice?: string,
): Html {
  const t = v.t;
  if (target === null) {
    return layout(
      v,
      { title: t("c_interaction.notFoundTitle"), noindex: true },
      html`<section class="panel narrow"><h1>${t("c_interaction.nothingFound")}</h1><p>${rich(t, "c_interaction.couldNotFind", { uri: html`<code>${uri}</code>` })}</p></section>`,
    );
  }
  const a = target.account;
  const handle = html`<strong>${handleOf(a, new URL(v.origin).host)}</strong>`;
  return layout(
    v,
    { title: t("c_interaction.followTitle", { name: displayNameOf(a) }), noindex: true },
    html`<section class="panel narrow">
  <h1>${target.status ? t("c_interaction.postHeading") : t("c_interaction.followQuestion", { name: displayNameOf(a) })}</h1>
  ${notice ? html`<p class="success" role="status">${notice}</p>` : ""}
  ${target.status ? statusCard(v, target.status) : html`<div class="card">${accountLine(v, a)}</div>`}
  ${
    target.relationship === "self"
      ? html`<p>${t("c_interaction.self")}</p>`
      : target.relationship === "following"
        ? html`<p>${rich(t, "c_interaction.following", { handle })}</p>`
        : target.relationship === "requested"
          ? html`<p>${rich(t, "c_interaction.requested", { handle })}</p>`
          : html`<form method="post" action="/authorize_interaction" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <input type="hidden" name="uri" value="${uri}">
    <button type="submit" class="button button-primary">${t("c_interaction.followButton", { handle: handleOf(a, new URL(v.origin).host) })}</button>
  </form>`
  }
  <p><a href="${profilePath(a)}">${t("c_interaction.viewProfile")}</a></p>
</section>`,
  );
}
