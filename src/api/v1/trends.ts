// /api/v1/trends/statuses, /trends/tags (and /trends, its deprecated alias) and /trends/links, as
// Mastodon answers them: open to anonymous callers, paged by `offset` and `limit` (statuses 20, at
// most 40; tags and links 10, at most 20) with a Link header that pages by offset. The scores are the
// trends refresh's (domain/trends/); who may see what is db/queries/trends.ts's and visibility's.
// A trending link is Mastodon's Trends::Link: the PreviewCard with its last seven days of shares.
import type { Context } from "hono";
import { Hono } from "hono";
import { linkHistory, trendingLinks } from "../../db/queries/link-trends.ts";
import { type TrendPage, trendingStatuses, trendingTags } from "../../db/queries/trends.ts";
import { AppError } from "../../errors.ts";
import { maybeViewerId } from "../middleware.ts";
import { renderStatuses, serializeContext } from "../render.ts";
import { renderTags } from "../render-tags.ts";
import { toApiPreviewCard } from "../serializers/preview-card.ts";
import type { ApiDeps, ApiEnv, ApiTrendLink } from "../types.ts";

/** Mastodon's limit_param: the default, or what was asked for up to twice the default. */
function readTrendPage(c: Context, defaultLimit: number): TrendPage {
  const number = (name: string, fallback: number) => {
    const raw = c.req.query(name);
    if (raw === undefined || raw === "") return fallback;
    const n = Number.parseInt(raw, 10);
    if (Number.isNaN(n)) throw new AppError("unprocessable", `${name} must be a number`);
    return Math.abs(n);
  };
  return {
    limit: Math.min(Math.max(number("limit", defaultLimit), 1), defaultLimit * 2),
    offset: number("offset", 0),
  };
}

/** rel="next" when the page is full (more may follow), rel="prev" past the first page. */
function setOffsetLinks(c: Context, origin: string, page: TrendPage, count: number): void {
  const link = (offset: number, rel: string) => {
    const url = new URL(c.req.path, origin);
    for (const [k, v] of new URL(c.req.url).searchParams) {
      if (k !== "offset" && k !== "access_token") url.searchParams.set(k, v);
    }
    url.searchParams.set("offset", String(offset));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (count >= page.limit) links.push(link(page.offset + page.limit, "next"));
  if (page.offset > 0) links.push(link(Math.max(page.offset - page.limit, 0), "prev"));
  if (links.length > 0) c.header("Link", links.join(", "));
}

export function trendsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const tagsHandler = async (c: Context<ApiEnv>) => {
    const page = readTrendPage(c, 10);
    const rows = await trendingTags(deps.db, page, { requireReview: deps.config.trendsReview });
    setOffsetLinks(c, deps.config.origin, page, rows.length);
    return c.json(await renderTags(deps, rows, maybeViewerId(c)));
  };
  app.get("/trends", tagsHandler);
  app.get("/trends/tags", tagsHandler);

  app.get("/trends/statuses", async (c) => {
    const viewer = maybeViewerId(c);
    const page = readTrendPage(c, 20);
    const rows = await trendingStatuses(deps.db, viewer, page);
    setOffsetLinks(c, deps.config.origin, page, rows.length);
    // Mastodon applies the viewer's "public" filters to trending statuses.
    return c.json(
      await renderStatuses(
        deps,
        rows.map((r) => r.status),
        viewer,
        "public",
      ),
    );
  });

  app.get("/trends/links", async (c) => {
    const page = readTrendPage(c, 10);
    const cards = await trendingLinks(deps.db, page, { requireReview: deps.config.trendsReview });
    setOffsetLinks(c, deps.config.origin, page, cards.length);
    const history = await linkHistory(
      deps.db,
      cards.map((card) => card.id),
    );
    const ctx = serializeContext(deps);
    return c.json(
      cards.map(
        (card): ApiTrendLink => ({
          ...toApiPreviewCard(card, ctx),
          history: history.get(card.id) ?? [],
        }),
      ),
    );
  });

  return app;
}
