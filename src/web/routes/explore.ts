// The explore tabs. Each reads what the client API reads for the same list, so a post reaches a viewer
// here exactly when it reaches them in an app: the gallery its own query (exploreTiles), Trending
// /api/v1/trends/statuses' ranking, Latest the public timeline's query, Tags /api/v1/trends/tags' with
// their history, Following the accounts followed (followingTiles), and the "Who to follow" panel
// /api/v2/suggestions'. The viewer's filters apply to the tiles as in a timeline.
import type { Hono, MiddlewareHandler } from "hono";
import { tagHistory } from "../../db/queries/followed-tags.ts";
import {
  exploreTiles,
  followingTiles,
  GALLERY_PAGE_SIZE,
  tilesOfStatuses,
} from "../../db/queries/gallery.ts";
import { suggestionsFor } from "../../db/queries/suggestions.ts";
import { publicTimeline } from "../../db/queries/timelines.ts";
import { trendingStatuses, trendingTags } from "../../db/queries/trends.ts";
import { crawlerPolicy } from "../../domain/data-mining.ts";
import { badRequest } from "../../errors.ts";
import type { WebContext, WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { declareMining, maxIdOf, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { type ExploreBody, type ExploreTab, explorePage } from "../pages/explore.ts";
import { filteredTiles } from "../views.ts";

/** Hashtags per page of the Tags tab (the API's largest page). */
const TAGS_PAGE_SIZE = 20;
/** Accounts in the "Who to follow" panel. */
const SUGGESTIONS_SHOWN = 4;

/** An `offset` paging parameter (the trends page by rank, as the API does): a number, or a 400. */
function offsetOf(c: WebContext): number {
  const v = c.req.query("offset");
  if (v === undefined || v === "") return 0;
  if (!/^\d{1,4}$/.test(v)) throw badRequest("offset must be a number below 10000");
  return Number(v);
}

export function exploreRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;

  const render = async (
    c: WebContext,
    tab: ExploreTab,
    body: ExploreBody,
    extras: { federated?: boolean } = {},
  ) => {
    const viewerId = c.get("session")?.account.id ?? null;
    const suggestions =
      viewerId === null
        ? []
        : (await suggestionsFor(db, viewerId, SUGGESTIONS_SHOWN)).map((s) => s.account);
    const view = declareMining(c, viewOf(c, deps), (await crawlerPolicy(db)).instancePagesReserved);
    return c.html(explorePage(view, tab, body, { ...extras, suggestions }));
  };

  const gallery = async (c: WebContext) => {
    const viewerId = c.get("session")?.account.id ?? null;
    const { items, next } = await exploreTiles(db, maxIdOf(c), undefined, viewerId);
    return await render(c, "gallery", {
      kind: "tiles",
      tiles: await filteredTiles(db, items, viewerId, "public"),
      nextHref: next === null ? null : `/explore?max_id=${encodeURIComponent(next)}`,
    });
  };
  web.get("/", page, gallery);
  web.get("/explore", page, gallery);

  web.get("/explore/trending", page, async (c) => {
    const viewerId = c.get("session")?.account.id ?? null;
    const offset = offsetOf(c);
    const found = await trendingStatuses(
      db,
      viewerId,
      { limit: GALLERY_PAGE_SIZE, offset },
      { onlyImages: true },
    );
    const tiles = await tilesOfStatuses(
      db,
      found.map((r) => r.status),
      viewerId,
    );
    return await render(c, "trending", {
      kind: "tiles",
      tiles: await filteredTiles(db, tiles, viewerId, "public"),
      nextHref:
        found.length < GALLERY_PAGE_SIZE
          ? null
          : `/explore/trending?offset=${offset + GALLERY_PAGE_SIZE}`,
      engaged: new Map(
        found.map((r) => [
          r.status.id,
          { accounts: r.accounts, postedAt: r.status.createdAt, countedAt: r.refreshedAt },
        ]),
      ),
    });
  });

  web.get("/explore/latest", page, async (c) => {
    const viewerId = c.get("session")?.account.id ?? null;
    const federated = c.req.query("scope") === "federated";
    const maxId = maxIdOf(c);
    const rows = await publicTimeline(
      db,
      viewerId,
      { local: !federated, onlyMedia: true },
      { limit: GALLERY_PAGE_SIZE + 1, ...(maxId === null ? {} : { maxId }) },
    );
    const shown = rows.slice(0, GALLERY_PAGE_SIZE);
    const tiles = await tilesOfStatuses(db, shown, viewerId);
    const next = rows.length > GALLERY_PAGE_SIZE ? shown.at(-1)!.id : null;
    const scope = federated ? "scope=federated&" : "";
    return await render(
      c,
      "latest",
      {
        kind: "tiles",
        tiles: await filteredTiles(db, tiles, viewerId, "public"),
        nextHref:
          next === null ? null : `/explore/latest?${scope}max_id=${encodeURIComponent(next)}`,
      },
      { federated },
    );
  });

  web.get("/explore/tags", page, async (c) => {
    const offset = offsetOf(c);
    const found = await trendingTags(
      db,
      { limit: TAGS_PAGE_SIZE, offset },
      { requireReview: config.trendsReview },
    );
    const history = await tagHistory(
      db,
      found.map((t) => t.name),
    );
    return await render(c, "tags", {
      kind: "tags",
      tags: found.map((t) => {
        // The history runs from today back, one entry a day.
        const days = history.get(t.name) ?? [];
        return {
          ...t,
          today: Number(days[0]?.accounts ?? 0),
          yesterday: Number(days[1]?.accounts ?? 0),
          weekUses: days.reduce((sum, d) => sum + Number(d.uses), 0),
        };
      }),
      nextHref:
        found.length < TAGS_PAGE_SIZE ? null : `/explore/tags?offset=${offset + TAGS_PAGE_SIZE}`,
    });
  });

  web.get("/explore/following", page, signedIn, async (c) => {
    const viewerId = sessionOf(c).account.id;
    const { items, next } = await followingTiles(db, viewerId, maxIdOf(c));
    return await render(c, "following", {
      kind: "tiles",
      tiles: await filteredTiles(db, items, viewerId, "home"),
      nextHref: next === null ? null : `/explore/following?max_id=${encodeURIComponent(next)}`,
    });
  });
}
