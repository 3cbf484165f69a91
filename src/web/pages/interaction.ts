// /authorize_interaction: where a remote server sends someone who wants to follow (or reply to) something
// from their Atelier account; it shows the account or status and a Follow button.
import { html } from "hono/html";
import type { Account } from "../../db/queries/rows.ts";
import { accountLine, displayNameOf, handleOf, profilePath } from "../components/account.ts";
import { layout, type View } from "../components/layout.ts";
import { statusCard } from "../components/status.ts";
import type { Html } from "../context.ts";
import type { StatusView } from "../views.ts";

export function authorizeInteractionPage(
  v: View,
  uri: string,
  target: { account: Account; status?: StatusView; relationship: string } | null,
  notice?: string,
): Html {
  if (target === null) {
    return layout(
      v,
      { title: "Not found", noindex: true },
      html`<section class="panel narrow"><h1>Nothing found</h1><p>We could not find anything at <code>${uri}</code>. Check the address and try again.</p></section>`,
    );
  }
  const a = target.account;
  return layout(
    v,
    { title: `Follow ${displayNameOf(a)}`, noindex: true },
    html`<section class="panel narrow">
  <h1>${target.status ? "A post from the fediverse" : `Follow ${displayNameOf(a)}?`}</h1>
  ${notice ? html`<p class="success" role="status">${notice}</p>` : ""}
  ${target.status ? statusCard(v, target.status) : html`<div class="card">${accountLine(v, a)}</div>`}
  ${
    target.relationship === "self"
      ? html`<p>This is you.</p>`
      : target.relationship === "following"
        ? html`<p>You follow <strong>${handleOf(a, new URL(v.origin).host)}</strong>.</p>`
        : target.relationship === "requested"
          ? html`<p>Your follow request to <strong>${handleOf(a, new URL(v.origin).host)}</strong> is waiting for approval.</p>`
          : html`<form method="post" action="/authorize_interaction" class="stack">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <input type="hidden" name="uri" value="${uri}">
    <button type="submit" class="button button-primary">Follow ${handleOf(a, new URL(v.origin).host)}</button>
  </form>`
  }
  <p><a href="${profilePath(a)}">View profile</a></p>
</section>`,
  );
}
