// The consent and transparency page: what the instance stores about a user, what goes to an AI provider
// (from the provider in use), the dataset and crawler policies in force, and the visitor's own choices.
// Every variable sentence comes from the facts passed in, so the page says what the code does.
import { html } from "hono/html";
import type { CrawlerPolicy } from "../../domain/data-mining.ts";
import type { ProviderCall, ProviderDisclosure } from "../../generation/disclosure.ts";
import { layout, type View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";

export interface AboutDataFacts {
  provider: ProviderDisclosure;
  policy: CrawlerPolicy;
  /**
   * Dataset exports made so far, or null where this server has no way to make one (then none was ever
   * made).
   */
  exports: { made: number; lastAt: Date | null } | null;
  /** The signed-in visitor's choice; null for anyone else. */
  consent: boolean | null;
}

const STORED = ["account", "posts", "prompts", "activity", "sessions"] as const;

function providerSection(v: View, p: ProviderDisclosure): Html {
  if (!p.external) {
    return html`<p>${rich(v.t, "z_data.provider.local", { here: html`<strong>${v.t("z_data.provider.here")}</strong>` })}</p>`;
  }
  return html`<p>${rich(v.t, "z_data.provider.external", { host: html`<strong>${p.host}</strong>` })}</p>
  <ul>${p.calls.map((call: ProviderCall) => html`<li>${v.t(`z_data.calls.${call}`)}</li>`)}</ul>
  <p>${v.t("z_data.provider.nothingElse")}</p>`;
}

function datasetsSection(v: View, facts: AboutDataFacts): Html {
  const e = facts.exports;
  const made =
    e === null
      ? html`<p>${v.t("z_data.datasets.noWay")}</p>`
      : e.made === 0
        ? html`<p>${v.t("z_data.datasets.none")}</p>`
        : html`<p>${
            e.lastAt
              ? rich(
                  v.t,
                  "z_data.datasets.madeLast",
                  {
                    date: html`<time datetime="${e.lastAt.toISOString()}">${e.lastAt.toISOString().slice(0, 10)}</time>`,
                  },
                  { count: e.made },
                )
              : v.t("z_data.datasets.made", { count: e.made })
          }</p>`;
  return html`${made}
  <p>${v.t("z_data.datasets.holds")}</p>
  <p>${rich(v.t, "z_data.datasets.setting", { allow: html`<strong>${v.t("z_data.datasets.allow")}</strong>` })}</p>`;
}

function crawlersSection(v: View, policy: CrawlerPolicy): Html {
  const robots = html`<strong><a href="/robots.txt">robots.txt</a></strong>`;
  const asks =
    policy.aiCrawlers.length === 0
      ? v.t("z_data.crawlers.robotsEmpty")
      : v.t("z_data.crawlers.robotsList", {
          whose: v.t(
            policy.aiCrawlersEdited ? "z_data.crawlers.adminList" : "z_data.crawlers.defaultList",
          ),
          crawlers: policy.aiCrawlers.join(", "),
        });
  return html`<p>${v.t("z_data.crawlers.intro")}</p>
  <ul>
    <li>${rich(v.t, "z_data.crawlers.robots", { robots, asks })}</li>
    <li>${rich(v.t, "z_data.crawlers.tdm", {
      name: html`<strong>${v.t("z_data.crawlers.tdmName")}</strong>`,
      w3c: html`<a href="https://www.w3.org/community/reports/tdmrep/CG-FINAL-tdmrep-20240510/">W3C TDMRep</a>`,
      header: html`<code>tdm-reservation: 1</code>`,
      meta: html`<code>noai, noimageai</code>`,
      reserved: v.t(
        policy.instancePagesReserved ? "z_data.crawlers.reserved" : "z_data.crawlers.notReserved",
      ),
      list: html`<a href="/.well-known/tdmrep.json">/.well-known/tdmrep.json</a>`,
    })}</li>
    <li>${rich(v.t, "z_data.crawlers.actor", {
      name: html`<strong>${v.t("z_data.crawlers.actorName")}</strong>`,
      field: html`<code>aiDatasetConsent</code>`,
    })}</li>
  </ul>
  <p>${v.t("z_data.crawlers.requests")}</p>`;
}

function yourChoices(v: View, consent: boolean | null): Html {
  if (consent === null) {
    return html`<p>${rich(v.t, "z_data.choices.signIn", { link: html`<a href="/auth/sign_in">${v.t("auth.signIn")}</a>` })}</p>`;
  }
  return html`<p class="notice">${rich(v.t, "z_data.choices.current", {
    choice: html`<strong>${v.t(consent ? "z_data.choices.allowed" : "z_data.choices.notAllowed")}</strong>`,
  })} ${v.t(consent ? "z_data.choices.allowedText" : "z_data.choices.notAllowedText")} <a href="/settings">${v.t("z_data.choices.change")}</a>.</p>`;
}

export function aboutDataPage(v: View, facts: AboutDataFacts): Html {
  const instance = v.instanceName;
  const settings = html`<a href="/settings">${v.t("z_data.settingsLink")}</a>`;
  return layout(
    v,
    { title: v.t("layout.yourData"), description: v.t("z_data.description", { instance }) },
    html`<article class="panel prose-page">
  <h1>${v.t("layout.yourData")}</h1>
  <p>${v.t("z_data.intro", { instance })}</p>

  <h2>${v.t("z_data.storedTitle")}</h2>
  <ul>${STORED.map(
    (item) =>
      html`
    <li><strong>${v.t(`z_data.stored.${item}.label`)}</strong> ${v.t(`z_data.stored.${item}.text`)}</li>`,
  )}
  </ul>

  <h2>${v.t("z_data.providerTitle")}</h2>
  ${providerSection(v, facts.provider)}

  <h2>${v.t("z_data.othersTitle")}</h2>
  <p>${v.t("z_data.others")}</p>

  <h2>${v.t("z_data.datasetsTitle")}</h2>
  ${datasetsSection(v, facts)}

  <h2>${v.t("z_data.crawlersTitle")}</h2>
  ${crawlersSection(v, facts.policy)}

  <h2>${v.t("z_data.choicesTitle")}</h2>
  ${yourChoices(v, facts.consent)}

  <h2>${v.t("z_data.rightsTitle")}</h2>
  <p>${rich(v.t, "z_data.rights", { settings })}</p>
</article>`,
  );
}
