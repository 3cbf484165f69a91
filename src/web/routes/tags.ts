// Hashtag pages: /tags/:name for anyone (the public posts the API's hashtag timeline gives), following
// and unfollowing a hashtag (signed in, CSRF-checked forms calling the domain as the API does), and the
// settings page of followed hashtags (the API's followed_tags query).
import type { Hono, MiddlewareHandler } from "hono";
import { followedTags, tagHistory } from "../../db/queries/followed-tags.ts";
import { GALLERY_PAGE_SIZE, tilesOfStatuses } from "../../db/queries/gallery.ts";
import { tagTimeline } from "../../db/queries/timelines.ts";
import { crawlerPolicy } from "../../domain/data-mining.ts";
import { followsTag, followTag, namedTag, unfollowTag } from "../../domain/followed-tags.ts";
import { AppError, notFound } from "../../errors.ts";
import type { WebContext, WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import {
  declareMining,
  maxIdOf,
  readForm,
  safeReturnTo,
  sessionOf,
  signedIn,
  viewOf,
} from "../helpers.ts";
import { followedTagsPage, type TagContent, tagPage, tagPath } from "../pages/tags.ts";
import { verifyCsrf } from "../security.ts";
import { PAGE_SIZE, pageOfStatuses } from "../views.ts";

const FOLLOWED_PAGE = 100;

export function tagRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;

  /** The tag the path names; a name that is no hashtag is the site's 404 page. */
  const tagOf = async (c: WebContext) => {
    try {
      return await namedTag(db, c.req.param("name") ?? "");
    } catch (error) {
      if (error instanceof AppError && error.status === 404) {
        throw notFound("That is not a hashtag.");
      }
      throw error;
    }
  };

  web.get("/tags/:name", page, async (c) => {
    const tag = await tagOf(c);
    const viewerId = c.get("session")?.account.id ?? null;
    const maxId = maxIdOf(c);
    const tab = c.req.query("tab") === "posts" ? "posts" : "images";
    // Both tabs read the API's hashtag timeline (its rules, once); the images tab asks it for posts with
    // media only, as `only_media` does, and shows them as tiles.
    const size = tab === "images" ? GALLERY_PAGE_SIZE : PAGE_SIZE;
    const rows = await tagTimeline(
      db,
      viewerId,
      tag.name,
      tab === "images" ? { onlyMedia: true } : {},
      { limit: size + 1, ...(maxId === null ? {} : { maxId }) },
    );
    let content: TagContent;
    if (tab === "images") {
      const shown = rows.slice(0, size);
      content = {
        tab,
        tiles: {
          items: await tilesOfStatuses(db, shown, viewerId),
          next: rows.length > size ? (shown.at(-1)?.id ?? null) : null,
        },
      };
    } else {
      content = { tab, posts: await pageOfStatuses(db, rows, viewerId, PAGE_SIZE) };
    }
    const history = (await tagHistory(db, [tag.name])).get(tag.name) ?? [];
    const following = viewerId === null ? null : await followsTag(db, viewerId, tag.name);
    const view = declareMining(c, viewOf(c, deps), (await crawlerPolicy(db)).instancePagesReserved);
    return c.html(tagPage(view, tag, history, following, content));
  });

  const change = (act: typeof followTag) => async (c: WebContext) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const tag = await act(db, session.account.id, (await tagOf(c)).displayName);
    return c.redirect(safeReturnTo(form.return_to ?? tagPath(tag.name), config.origin), 303);
  };
  web.post("/tags/:name/follow", page, signedIn, change(followTag));
  web.post("/tags/:name/unfollow", page, signedIn, change(unfollowTag));

  web.get("/settings/followed_tags", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const maxId = maxIdOf(c);
    const result = await followedTags(db, session.account.id, {
      limit: FOLLOWED_PAGE + 1,
      ...(maxId === null ? {} : { maxId }),
    });
    const shown = result.tags.slice(0, FOLLOWED_PAGE);
    const next = result.tags.length > FOLLOWED_PAGE ? result.keys[FOLLOWED_PAGE - 1]! : null;
    return c.html(followedTagsPage(viewOf(c, deps), shown, next));
  });
}
