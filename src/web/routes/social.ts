// Signed-in pages' forms for featuring accounts on one's profile, the posting and reading preferences,
// and dismissing an announcement: the same domain functions as the client API, CSRF-checked POSTs
// that redirect back.
import type { Hono, MiddlewareHandler } from "hono";
import { findAccountById } from "../../db/queries/accounts.ts";
import { listDatasetOptOuts } from "../../db/queries/datasets.ts";
import type { Visibility } from "../../db/queries/rows.ts";
import { dismissAnnouncement } from "../../domain/announcements.ts";
import { endorseAccount, unendorseAccount } from "../../domain/endorsements.ts";
import {
  type ExpandMedia,
  setInterfaceLocale,
  updatePreferences,
} from "../../domain/preferences.ts";
import { AppError, notFound } from "../../errors.ts";
import { profilePath } from "../components/account.ts";
import type { WebContext, WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { settingsPage } from "../pages/settings.ts";
import { findAccountByHandle } from "../profiles.ts";
import { verifyCsrf } from "../security.ts";

export function socialRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;
  const checkedForm = async (c: WebContext) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    return form;
  };

  for (const action of ["endorse", "unendorse"] as const) {
    web.post(`/:handle{@[^/]+}/${action}`, page, signedIn, async (c) => {
      const session = sessionOf(c);
      await checkedForm(c);
      const target = await findAccountByHandle(db, c.req.param("handle"), config.domain);
      if (target === undefined) throw notFound("There is no account with that name here.");
      const me = (await findAccountById(db, session.account.id))!;
      // endorseAccount refuses an account one does not follow (400 page with its reason).
      if (action === "endorse") await endorseAccount(db, me, target);
      else await unendorseAccount(db, me, target);
      return c.redirect(profilePath(target), 303);
    });
  }

  web.post("/settings/preferences", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await checkedForm(c);
    try {
      await updatePreferences(db, session.account.id, {
        defaultVisibility: (form.default_visibility ?? "public") as Visibility,
        defaultSensitive: form.default_sensitive === "1",
        defaultLanguage: form.default_language ?? "",
        expandMedia: (form.expand_media ?? "default") as ExpandMedia,
        expandSpoilers: form.expand_spoilers === "1",
      });
      // A form without the field (an older page) leaves the language as it is.
      if (form.locale !== undefined) await setInterfaceLocale(db, session.account.id, form.locale);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return c.html(
        settingsPage(
          viewOf(c, deps),
          session.account,
          session.user,
          { kind: "error", text: error.message },
          undefined,
          await listDatasetOptOuts(deps.db, session.account.id),
        ),
        400,
      );
    }
    return c.redirect("/settings?saved=1", 303);
  });

  web.post("/announcements/:id{[0-9]+}/dismiss", page, signedIn, async (c) => {
    const session = sessionOf(c);
    await checkedForm(c);
    await dismissAnnouncement(db, session.account.id, c.req.param("id"));
    return c.redirect("/home", 303);
  });
}
