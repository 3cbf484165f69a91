// Explore: tabs over the instance's images (the recent gallery, the front page for visitors), what
// trends, the latest public posts (local or federated), trending hashtags and, signed in, the images of
// the accounts one follows; beside them, signed in, a few accounts to follow. Each tab is its own path
// with a plain "more" link, so every page works without JavaScript.
import { html } from "hono/html";
import type { GalleryTile } from "../../db/queries/gallery.ts";
import type { Account } from "../../db/queries/rows.ts";
import { accountLine, profilePath } from "../components/account.ts";
import { gallery, placeholderStyles } from "../components/gallery.ts";
import { layout, type View } from "../components/layout.ts";
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

const TABS: { tab: ExploreTab; href: string; label: string; signedIn?: boolean }[] = [
  { tab: "gallery", href: "/explore", label: "Recent" },
  { tab: "trending", href: "/explore/trending", label: "Trending" },
  { tab: "latest", href: "/explore/latest", label: "Latest" },
  { tab: "tags", href: "/explore/tags", label: "Tags" },
  { tab: "following", href: "/explore/following", label: "Following", signedIn: true },
];

const INTRO: Record<ExploreTab, (v: View) => string> = {
  gallery: (v) => `Recent public images made on ${v.instanceName}.`,
  trending: () =>
    "Images from the last two days that many people liked, boosted or replied to, most talked about first.",
  latest: () => "The newest public posts with images, as they arrive.",
  tags: () => "Hashtags more people are using today than usual.",
  following: () => "Images from the accounts you follow, newest first.",
};

function tabs(v: View, current: ExploreTab): Html {
  return html`<nav class="tabs" aria-label="Explore">
  <ul>
    ${TABS.filter((t) => !t.signedIn || v.session).map(
      (t) =>
        html`<li><a href="${t.href}"${t.tab === current ? html` aria-current="page"` : ""}>${t.label}</a></li>`,
    )}
  </ul>
</nav>`;
}

/** Latest's switch between this server's posts and every server's it knows (the Latest tab is the page). */
function scopeSwitch(federated: boolean): Html {
  const link = (href: string, label: string, on: boolean) =>
    html`<li><a href="${href}"${on ? html` aria-current="true"` : ""}>${label}</a></li>`;
  return html`<nav class="tabs tabs-small" aria-label="Which servers">
  <ul>
    ${link("/explore/latest", "This server", !federated)}
    ${link("/explore/latest?scope=federated", "All servers", federated)}
  </ul>
</nav>`;
}

const people = (n: number) => `${n} ${n === 1 ? "person" : "people"}`;

/**
 * The span a trending post's engagement fell in: it trends only while under two days old, and every
 * favourite, boost or reply the trends refresh counted came between its posting and that refresh, so
 * that span bounds them ("the last 6 hours"; the refresh runs every few minutes).
 */
function span(postedAt: Date, countedAt: Date): string {
  const hours = Math.max(1, Math.ceil((countedAt.getTime() - postedAt.getTime()) / 3_600_000));
  if (hours === 1) return "the last hour";
  if (hours <= 24) return `the last ${hours} hours`;
  return "the last 2 days";
}

function tagList(body: { tags: TrendingTagView[]; nextHref: string | null }): Html {
  if (body.tags.length === 0) {
    return html`<p class="empty">No hashtag is trending right now.</p>`;
  }
  return html`<ol class="trend-tags" aria-label="Trending hashtags">
  ${body.tags.map(
    (t) => html`<li>
    <a href="${tagPath(t.name)}">#${t.displayName}</a>
    <span class="muted">${people(t.today)} today, ${people(t.yesterday)} yesterday · ${t.weekUses} ${t.weekUses === 1 ? "post" : "posts"} this week</span>
  </li>`,
  )}
</ol>
${
  body.nextHref
    ? html`<nav class="pager" aria-label="More"><a class="button" rel="next" href="${body.nextHref}">More hashtags</a></nav>`
    : ""
}`;
}

const EMPTY: Record<Exclude<ExploreTab, "tags">, string> = {
  gallery: "Nothing has been posted here yet.",
  trending: "Nothing is trending right now.",
  latest: "No public images yet.",
  following: "No images from the accounts you follow yet.",
};

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
    tab === "trending" ? "Trending images" : tab === "gallery" ? "Recent images" : "Images",
    EMPTY[tab],
    {
      ...(engaged
        ? {
            noteOf: (t: GalleryTile) => {
              const why = engaged.get(t.statusId);
              return why === undefined
                ? undefined
                : `${people(why.accounts)} liked, boosted or replied in ${span(why.postedAt, why.countedAt)}`;
            },
            more: "More images",
          }
        : {}),
    },
  );
}

/** A few accounts to follow, each with the follow form that brings the viewer back here. */
function whoToFollow(v: View, accounts: readonly Account[]): Html {
  if (!v.session || accounts.length === 0) return html``;
  return html`<aside class="who-to-follow" aria-labelledby="who-to-follow">
  <h2 id="who-to-follow">Who to follow</h2>
  <ul>
    ${accounts.map(
      (a) => html`<li>
      ${accountLine(v, a)}
      <form method="post" action="${profilePath(a)}/follow" class="inline">
        <input type="hidden" name="csrf" value="${v.csrf}">
        <input type="hidden" name="return_to" value="${v.here}">
        <button type="submit" class="button button-small button-primary">Follow</button>
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
  const description = INTRO[tab](v);
  const path = TABS.find((t) => t.tab === tab)!.href;
  const label = TABS.find((t) => t.tab === tab)!.label;
  return layout(
    v,
    {
      title: tab === "gallery" ? "Explore" : `${label} · Explore`,
      description,
      social: {
        type: "website",
        title: `Explore · ${v.instanceName}`,
        description,
        url: `${v.origin}${path}`,
      },
      head: body.kind === "tiles" ? placeholderStyles(v, body.tiles) : html``,
    },
    html`<section class="intro">
  <h1>Explore</h1>
  <p class="muted">${description}${v.session ? "" : html` <a href="/auth/sign_in">Sign in</a> to post your own.`}</p>
</section>
${tabs(v, tab)}
${whoToFollow(v, extras.suggestions ?? [])}
${tab === "latest" ? scopeSwitch(extras.federated === true) : ""}
${body.kind === "tags" ? tagList(body) : tileGrid(v, tab === "tags" ? "gallery" : tab, body)}`,
  );
}
