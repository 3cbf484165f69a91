// Settings → Blocked domains: the signed-in user's own domain blocks, a form to add one and a button to
// lift each. The same list and rules as /api/v1/domain_blocks (domain/account-domain-blocks.ts).
import { html } from "hono/html";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export interface DomainBlocksNotice {
  kind: "ok" | "error";
  text: string;
}

export function domainBlocksPage(
  v: View,
  domains: readonly string[],
  notice?: DomainBlocksNotice,
): Html {
  return layout(
    v,
    { title: v.t("z_domainBlocks.tab"), noindex: true },
    html`<section class="panel">
  <h1 id="domain-blocks-title">${v.t("settings.domainBlocks")}</h1>
  <p><a href="/settings">${v.t("tags.backToSettings")}</a></p>
  ${notice ? html`<p class="${notice.kind === "ok" ? "success" : "error"}" role="${notice.kind === "ok" ? "status" : "alert"}">${notice.text}</p>` : ""}
  <p class="muted">${v.t("z_domainBlocks.intro")}</p>
  <form method="post" action="/settings/domain_blocks" class="stack narrow-form">
    <input type="hidden" name="csrf" value="${v.csrf}">
    <label for="domain-block-domain">${v.t("z_domainBlocks.domain")}</label>
    <input id="domain-block-domain" name="domain" type="text" required maxlength="300" placeholder="spam.example">
    <button type="submit" class="button button-primary">${v.t("z_domainBlocks.block")}</button>
  </form>
  ${
    domains.length === 0
      ? html`<p class="empty">${v.t("z_domainBlocks.none")}</p>`
      : html`<ul class="stack" aria-labelledby="domain-blocks-title">${domains.map(
          (d) => html`<li><strong>${d}</strong>
      <form method="post" action="/settings/domain_blocks/delete" class="inline">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <input type="hidden" name="domain" value="${d}">
        <button type="submit" class="button button-small" aria-label="${v.t("z_domainBlocks.unblockDomain", { domain: d })}">${v.t("z_domainBlocks.unblock")}</button>
      </form></li>`,
        )}</ul>`
  }
</section>`,
  );
}
