// /api/v1/timelines: home (followed accounts and oneself, boosts included), public (local, remote,
// only_media), hashtag, link (a trending link's statuses) and list timelines, paged by status id with
// Link headers. The viewer's filters apply in Mastodon's contexts: home for home and lists, public for
// public, hashtag and link timelines.
import { Hono } from "hono";
import { linkTimeline } from "../../db/queries/link-timeline.ts";
import { trendingLinkByUrl } from "../../db/queries/link-trends.ts";
import { listTimeline } from "../../db/queries/list-timeline.ts";
import { homeTimeline, publicTimeline, tagTimeline } from "../../db/queries/timelines.ts";
import { ownList } from "../../domain/lists.ts";
import { notFound } from "../../errors.ts";
import { booleanParam } from "../http.ts";
import { maybeViewerId, optionalScope, requireScope, viewerId } from "../middleware.ts";
import { readPage, setLinkHeader } from "../pagination.ts";
import { renderStatuses } from "../render.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

export function timelinesRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/home", requireScope("read:statuses"), async (c) => {
    const viewer = viewerId(c);
    const page = readPage(c);
    const rows = await homeTimeline(deps.db, viewer, page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((x) => x.id),
      page.limit,
    );
    return c.json(await renderStatuses(deps, rows, viewer, "home"));
  });

  const filters = (q: (k: string) => string | undefined) => ({
    local: booleanParam(q("local")) ?? false,
    remote: booleanParam(q("remote")) ?? false,
    onlyMedia: booleanParam(q("only_media")) ?? false,
  });

  app.get("/public", optionalScope("read:statuses"), async (c) => {
    const viewer = maybeViewerId(c);
    const page = readPage(c);
    const rows = await publicTimeline(
      deps.db,
      viewer,
      filters((k) => c.req.query(k)),
      page,
    );
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((x) => x.id),
      page.limit,
    );
    return c.json(await renderStatuses(deps, rows, viewer, "public"));
  });

  app.get("/tag/:hashtag", optionalScope("read:statuses"), async (c) => {
    const viewer = maybeViewerId(c);
    const tag = c.req.param("hashtag").replace(/^#/, "").toLowerCase();
    const page = readPage(c);
    const rows = await tagTimeline(
      deps.db,
      viewer,
      tag,
      filters((k) => c.req.query(k)),
      page,
    );
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((x) => x.id),
      page.limit,
    );
    return c.json(await renderStatuses(deps, rows, viewer, "public"));
  });

  // Mastodon 4.3: the public statuses sharing a link, for trending links only (a link that does not
  // trend, or that awaits review under TRENDS_REVIEW, is not found).
  app.get("/link", optionalScope("read:statuses"), async (c) => {
    const viewer = maybeViewerId(c);
    const url = c.req.query("url") ?? "";
    // No stored card's URL holds a control character (and PostgreSQL refuses NUL in text).
    const card =
      url === "" || /\p{Cc}/u.test(url)
        ? undefined
        : await trendingLinkByUrl(deps.db, url, { requireReview: deps.config.trendsReview });
    if (card === undefined) throw notFound("Record not found");
    const page = readPage(c);
    const rows = await linkTimeline(deps.db, viewer, card.id, page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((x) => x.id),
      page.limit,
    );
    return c.json(await renderStatuses(deps, rows, viewer, "public"));
  });

  app.get("/list/:id", requireScope("read:lists"), async (c) => {
    const viewer = viewerId(c);
    const list = await ownList(deps.db, viewer, c.req.param("id"));
    const page = readPage(c);
    const rows = await listTimeline(deps.db, viewer, list, page);
    setLinkHeader(
      c,
      deps.config.origin,
      rows.map((x) => x.id),
      page.limit,
    );
    return c.json(await renderStatuses(deps, rows, viewer, "home"));
  });

  // No /direct: Mastodon removed that timeline in 3.0 for /api/v1/conversations, and answers 404.

  return app;
}
