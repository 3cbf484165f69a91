// Explore: tabs over the instance's images (the recent gallery, the front page for visitors), what
// trends, the latest public posts (local or federated), trending hashtags and, signed in, the images of
// the accounts one follows; beside them, signed in, a few accounts to follow. Each tab is its own path
// with a plain "more" link, so every page works without JavaScript.
import { html } from "hono/html";
import type { GalleryTile } from "../../db/queries/gallery.ts";
import type { Account } from "../../db/queries/rows.ts";
import type { Translator } from "../../i18n/index.ts";
import { accountLine, profilePath } from "../components/account.ts";
import { gallery, placeholderStyles } from "../components/gallery.ts";
import { layout, type View } from "../components/layout.ts";
import { rich } from "../components/text.ts";
import type { Html } from "../context.ts";
import { tagPath } from "./tags.ts";

export type ExploreTab = "gallery" | "trending" | "latest" | "tags" | "following";

/** What the tab shows: a grid of tiles (with how to reach its next page), or trending hashtags. */
export type ExploreBody =
  | {
      kind: "tiles";
      tiles: GalleryTile[];
      /** The next page's link, or null on the last page. */
      nextHref: string | null;
      /** Why each tile trends (status id → its engaged accounts, counted from postedAt to countedAt). */
      engaged?: ReadonlyMap<string, { accounts: number; postedAt: Date; countedAt: Date }>;
    }
  | { kind: "tags"; tags: TrendingTagView[]; nextHref: string | null };

export interface TrendingTagView {
  name: string;
  displayName: string;
  /** Distinct accounts that used it today and yesterday (UTC), from its history. */
  today: number;
  yesterday: number;
  /** Its uses over the history's seven days. */
  weekUses: number;
}

const TABS: { tab: ExploreTab; href: string; signedIn?: boolean }[] = [
  { tab: "gallery", href: "/explore" },
  { tab: "trending", href: "/explore/trending" },
  { tab: "latest", href: "/explore/latest" },
  { tab: "tags", href: "/explore/tags" },
  { tab: "following", href: "/explore/following", signedIn: true },
];

function tabs(v: View, current: ExploreTab): Html {
  return html`<nav class="tabs" aria-label="${v.t("explore.title")}">
  <ul>
    ${TABS.filter((t) => !t.signedIn || v.session).map(
      (t) =>
        html`<li><a href="${t.href}"${t.tab === current ? html` aria-current="page"` : ""}>${v.t(`explore.tabs.${t.tab}`)}</a></li>`,
    )}
  </ul>
</nav>`;
}

/** Latest's switch between this server's posts and every server's it knows (the Latest tab is the page). */
function scopeSwitch(v: View, federated: boolean): Html {
  const link = (href: string, label: string, on: boolean) =>
    html`<li><a href="${href}"${on ? html` aria-current="true"` : ""}>${label}</a></li>`;
  return html`<nav class="tabs tabs-small" aria-label="${v.t("explore.scopeNav")}">
  <ul>
    ${link("/explore/latest", v.t("explore.thisServer"), !federated)}
    ${link("/explore/latest?scope=federated", v.t("explore.allServers"), federated)}
  </ul>
</nav>`;
}

const people = (t: Translator, n: number) => t("explore.people", { count: n });

/**
 * The span a trending post's engagement fell in: it trends only while under two days old, and every
 * favourite, boost or reply the trends refresh counted came between its posting and that refresh, so
 * that span bounds them ("the last 6 hours"; the refresh runs every few minutes).
 */
function span(t: Translator, postedAt: Date, countedAt: Date): string {
  const hours = Math.max(1, Math.ceil((countedAt.getTime() - postedAt.getTime()) / 3_600_000));
  if (hours === 1) return t("explore.lastHour");
  if (hours <= 24) return t("explore.lastHours", { count: hours });
  return t("explore.lastTwoDays");
}

function tagList(v: View, body: { tags: TrendingTagView[]; nextHref: string | null }): Html {
  const t = v.t;
  if (body.tags.length === 0) {
    return html`<p class="empty">${t("explore.noTags")}</p>`;
  }
  return html`<ol class="trend-tags" aria-label="${t("explore.trendingTags")}">
  ${body.tags.map(
    (tag) => html`<li>
    <a href="${tagPath(tag.name)}">#${tag.displayName}</a>
    <span class="muted">${t("explore.tagLine", {
      today: people(t, tag.today),
      yesterday: people(t, tag.yesterday),
      posts: t("explore.posts", { count: tag.weekUses }),
    })}</span>
  </li>`,
  )}
</ol>
${
  body.nextHref
    ? html`<nav class="pager" aria-label="${t("common.more")}"><a class="button" rel="next" href="${body.nextHref}">${t("explore.moreTags")}</a></nav>`
    : ""
}`;
}

function tileGrid(
  v: View,
  tab: Exclude<ExploreTab, "tags">,
  body: ExploreBody & { kind: "tiles" },
) {
  const engaged = body.engaged;
  return gallery(
    v,
    body.tiles,
    body.nextHref,
    (href) => href,
    v.t(
      tab === "trending"
        ? "explore.trendingImages"
        : tab === "gallery"
          ? "explore.recentImages"
          : "explore.images",
    ),
    v.t(`explore.empty.${tab}`),
    {
      ...(engaged
        ? {
            noteOf: (t: GalleryTile) => {
              const why = engaged.get(t.statusId);
              return why === undefined
                ? undefined
                : v.t("explore.why", {
                    people: people(v.t, why.accounts),
                    span: span(v.t, why.postedAt, why.countedAt),
                  });
            },
            more: v.t("explore.moreImages"),
          }
        : {}),
    },
  );
}

/** A few accounts to follow, each with the follow form that brings the viewer back here. */
function whoToFollow(v: View, accounts: readonly Account[]): Html {
  if (!v.session || accounts.length === 0) return html``;
  return html`<aside class="who-to-follow" aria-labelledby="who-to-follow">
  <h2 id="who-to-follow">${v.t("explore.whoToFollow")}</h2>
  <ul>
    ${accounts.map(
      (a) => html`<li>
      ${accountLine(v, a)}
      <form method="post" action="${profilePath(a)}/follow" class="inline">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <input type="hidden" name="return_to" value="${v.here}">
        <button type="submit" class="button button-small button-primary">${v.t("common.follow")}</button>
      </form>
    </li>`,
    )}
  </ul>
</aside>`;
}

export function explorePage(
  v: View,
  tab: ExploreTab,
  body: ExploreBody,
  extras: { federated?: boolean; suggestions?: readonly Account[] } = {},
): Html {
  const description = v.t(`explore.intro.${tab}`, { instance: v.instanceName });
  const path = TABS.find((t) => t.tab === tab)!.href;
  const label = v.t(`explore.tabs.${tab}`);
  const explore = v.t("explore.title");
  return layout(
    v,
    {
      title: tab === "gallery" ? explore : v.t("explore.tabTitle", { tab: label }),
      description,
      social: {
        type: "website",
        title: `${explore} · ${v.instanceName}`,
        description,
        url: `${v.origin}${path}`,
      },
      head: body.kind === "tiles" ? placeholderStyles(v, body.tiles) : html``,
    },
    html`<section class="intro">
  <h1>${explore}</h1>
  <p class="muted">${description}${v.session ? "" : html` ${rich(v.t, "explore.signInToPost", { signIn: html`<a href="/auth/sign_in">${v.t("layout.signIn")}</a>` })}`}</p>
</section>
${tabs(v, tab)}
${whoToFollow(v, extras.suggestions ?? [])}
${tab === "latest" ? scopeSwitch(v, extras.federated === true) : ""}
${body.kind === "tags" ? tagList(v, body) : tileGrid(v, tab === "tags" ? "gallery" : tab, body)}`,
  );
}
