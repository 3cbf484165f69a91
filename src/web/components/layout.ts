// The page frame: head (title, CSP-nonced assets, the app manifest and theme colour, social-card meta,
// ActivityPub alternate), skip link, navigation (with the unread notifications badge), main content and
// footer.
import { html } from "hono/html";
import type { LocalUrls } from "../../domain/local-urls.ts";
import type { ActiveSession } from "../../domain/sessions.ts";
import type { Translator } from "../../i18n/index.ts";
import type { Html } from "../context.ts";
import { iconPath } from "../manifest.ts";
import type { StaticAssets } from "../static.ts";

/** What every component may need about the request and the instance. */
export interface View {
  /** The page's language: its strings, dates and numbers. */
  t: Translator;
  nonce: string;
  session: ActiveSession | undefined;
  unreadCount: number;
  csrf: string;
  assets: StaticAssets;
  instanceName: string;
  urls: LocalUrls;
  origin: string;
  /** Current path, to mark the current nav item. */
  path: string;
  /** Current path with its query: where a card's action form returns to. */
  here: string;
  /**
   * Whether the page reserves text and data mining (domain/data-mining.ts), set with the response's
   * tdm-reservation header by declareMining (helpers.ts); undefined: the page declares nothing.
   */
  miningReserved?: boolean;
  /**
   * Whether the page's first content image has been rendered (components/media.ts loadingAttrs): that
   * one loads first, the rest lazily. Shared, not copied, by the views derived from this one.
   */
  firstImage: { claimed: boolean };
}

export interface SocialMeta {
  type: "website" | "profile" | "article";
  title: string;
  description: string;
  url: string;
  image?: { url: string; alt: string; width?: number | null; height?: number | null };
  /** Large image card for posts, summary for profiles. */
  largeImage?: boolean;
}

export interface PageOptions {
  title: string;
  description?: string;
  social?: SocialMeta;
  /** ActivityPub id of the actor or status the page shows. */
  activityPubId?: string;
  /** Extra <head> content (per-page nonced <style> for placeholders). */
  head?: Html;
  /** Keep search engines away (signed-in pages, accounts that opted out). */
  noindex?: boolean;
}

function socialTags(s: SocialMeta) {
  return html`<meta property="og:type" content="${s.type}">
<meta property="og:title" content="${s.title}">
<meta property="og:description" content="${s.description}">
<meta property="og:url" content="${s.url}">
${
  s.image
    ? html`<meta property="og:image" content="${s.image.url}">
<meta property="og:image:alt" content="${s.image.alt}">
${s.image.width ? html`<meta property="og:image:width" content="${s.image.width}">` : ""}
${s.image.height ? html`<meta property="og:image:height" content="${s.image.height}">` : ""}
<meta name="twitter:image" content="${s.image.url}">
<meta name="twitter:image:alt" content="${s.image.alt}">`
    : ""
}
<meta name="twitter:card" content="${s.largeImage ? "summary_large_image" : "summary"}">
<meta name="twitter:title" content="${s.title}">
<meta name="twitter:description" content="${s.description}">`;
}

/**
 * The robots directives and the TDMRep meta: `noindex, noarchive` where the page asks for it, and on a
 * page that reserves mining `noai, noimageai` (the directives image sites use to say "not for AI
 * training") with tdm-reservation 1; a page open to mining says tdm-reservation 0.
 */
function robotsMeta(v: View, options: PageOptions) {
  const directives = [
    ...(options.noindex ? ["noindex", "noarchive"] : []),
    ...(v.miningReserved === true ? ["noai", "noimageai"] : []),
  ];
  return html`${directives.length > 0 ? html`<meta name="robots" content="${directives.join(", ")}">` : ""}
${v.miningReserved === undefined ? "" : html`<meta name="tdm-reservation" content="${v.miningReserved ? "1" : "0"}">`}`;
}

// The link to this very page is the current page; a link to the section this page is in is only "true",
// so a page never has two links announced as itself (the explore tabs name the page within the section).
function navLink(v: View, href: string, label: Html | string, extra: Html | string = "") {
  const current =
    v.path === href ? "page" : href !== "/" && v.path.startsWith(`${href}/`) ? "true" : null;
  return html`<li><a href="${href}"${current ? html` aria-current="${current}"` : ""}>${label}${extra}</a></li>`;
}

function nav(v: View) {
  const s = v.session;
  const t = v.t;
  return html`<header class="site-header">
  <a class="brand" href="/">${v.instanceName}</a>
  <nav aria-label="${t("layout.mainNav")}">
    <ul class="nav">
      ${navLink(v, "/explore", t("layout.explore"))}
      ${
        s
          ? html`${navLink(v, "/home", t("layout.home"))}
      ${navLink(v, "/compose", t("layout.create"))}
      ${navLink(v, "/studio", t("layout.studio"))}
      ${navLink(
        v,
        "/notifications",
        t("layout.notifications"),
        v.unreadCount > 0
          ? html` <span class="badge" aria-label="${t("layout.unread", { count: v.unreadCount })}">${v.unreadCount > 99 ? `${t.number(99)}+` : t.number(v.unreadCount)}</span>`
          : "",
      )}
      ${navLink(v, `/@${s.account.username}`, t("layout.profile"))}
      ${navLink(v, "/settings", t("layout.settings"))}
      ${s.user.admin ? navLink(v, "/admin", t("layout.admin")) : ""}
      <li><form method="post" action="/auth/sign_out" class="inline">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <button type="submit" class="link-button">${t("layout.signOut")}</button>
      </form></li>`
          : navLink(v, "/auth/sign_in", t("layout.signIn"))
      }
    </ul>
  </nav>
</header>`;
}

/** A whole HTML page around `body`. */
export function layout(v: View, options: PageOptions, body: Html): Html {
  const title =
    options.title === v.instanceName ? v.instanceName : `${options.title} · ${v.instanceName}`;
  return html`<!doctype html>
<html lang="${v.t.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
${options.description ? html`<meta name="description" content="${options.description}">` : ""}
${robotsMeta(v, options)}
<link rel="stylesheet" href="${v.assets.url("app.css")}">
<link rel="icon" href="${v.assets.url("favicon.svg")}" type="image/svg+xml">
<link rel="manifest" href="/manifest.webmanifest">
<link rel="apple-touch-icon" href="${iconPath(192)}">
<meta name="theme-color" media="(prefers-color-scheme: light)" content="${v.assets.theme.light.surface}">
<meta name="theme-color" media="(prefers-color-scheme: dark)" content="${v.assets.theme.dark.surface}">
${options.social ? socialTags(options.social) : ""}
${
  options.activityPubId
    ? html`<link rel="alternate" type="application/activity+json" href="${options.activityPubId}">`
    : ""
}
${options.head ?? ""}
<script nonce="${v.nonce}" src="${v.assets.url("app.js")}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${v.t("layout.skipLink")}</a>
${nav(v)}
<main id="main" tabindex="-1">
${body}
</main>
<footer class="site-footer">
  <p><a href="/about">${v.t("layout.about")}</a> · <a href="/about/data">${v.t("layout.yourData")}</a> · ${v.t("layout.poweredBy")}</p>
</footer>
</body>
</html>`;
}

/** A small page for errors and notices. */
export function messagePage(
  v: View,
  title: string,
  message: string,
  extra: Html | string = "",
): Html {
  return layout(
    v,
    { title, noindex: true },
    html`<section class="panel narrow"><h1>${title}</h1><p>${message}</p>${extra}</section>`,
  );
}
