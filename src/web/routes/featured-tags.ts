// Settings → featured hashtags: list, add and remove, through the same domain functions as the client
// API (featureTag refuses an invalid, repeated or eleventh hashtag with a message shown on the page).
import type { Hono, MiddlewareHandler } from "hono";
import { featuredTagSuggestions, featuredTagsOf } from "../../db/queries/pins.ts";
import { featureTag, unfeatureTag } from "../../domain/featured-tags.ts";
import { AppError } from "../../errors.ts";
import type { WebContext, WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { featuredTagsPage } from "../pages/featured-tags.ts";
import { verifyCsrf } from "../security.ts";

export function featuredTagRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;

  const render = async (c: WebContext, error?: string) => {
    const accountId = sessionOf(c).account.id;
    const featured = (await featuredTagsOf(db, accountId)).map((t) => ({
      id: t.featuredTag.id,
      displayName: t.displayName,
      statusesCount: t.statusesCount,
    }));
    const suggestions = (await featuredTagSuggestions(db, accountId)).map((t) => t.displayName);
    return featuredTagsPage(viewOf(c, deps), featured, suggestions, error);
  };

  web.get("/settings/featured_tags", page, signedIn, async (c) => c.html(await render(c)));

  web.post("/settings/featured_tags", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    try {
      await featureTag(db, session.account, form.name ?? "");
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error;
      return c.html(await render(c, error.message.replace(/^Validation failed: /, "")), 400);
    }
    return c.redirect("/settings/featured_tags", 303);
  });

  web.post("/settings/featured_tags/:id/delete", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    await unfeatureTag(db, session.account, c.req.param("id"));
    return c.redirect("/settings/featured_tags", 303);
  });
}
