// Pages for signed-in users: home timeline, notifications, settings, following (from a profile or from
// /authorize_interaction) (compose, actions, administration: compose.ts, actions.ts, admin.ts).
import type { Hono, MiddlewareHandler } from "hono";
import { findAccountById } from "../../db/queries/accounts.ts";
import { currentAnnouncements } from "../../db/queries/announcements.ts";
import { listDatasetOptOuts } from "../../db/queries/datasets.ts";
import { listNotifications } from "../../db/queries/notifications.ts";
import { findVisibleStatus } from "../../db/queries/statuses.ts";
import { homeTimeline } from "../../db/queries/timelines.ts";
import { buildAccountArchive } from "../../domain/account-archive.ts";
import { parseDatasetAttribution, parseDatasetLicense } from "../../domain/datasets/choices.ts";
import { unfollowAccount } from "../../domain/follows.ts";
import { advanceMarker, getMarkers } from "../../domain/markers.ts";
import { updateProfile } from "../../domain/profiles.ts";
import { AppError, badRequest, notFound } from "../../errors.ts";
import { profilePath } from "../components/account.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { maxIdOf, readForm, safeReturnTo, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { homePage } from "../pages/home.ts";
import { authorizeInteractionPage } from "../pages/interaction.ts";
import { notificationsPage } from "../pages/notifications.ts";
import { settingsPage } from "../pages/settings.ts";
import { findAccountByHandle, relationshipOf } from "../profiles.ts";
import { unreadBadge, verifyCsrf } from "../security.ts";
import { notificationViews, PAGE_SIZE, pageOfStatuses, statusViews } from "../views.ts";

const MAX_URI = 2048;
const NOTIFICATIONS_PAGE = 30;

/** The `max_id` bound of a page, as the db/queries page parameters take it. */
const pageBefore = (maxId: string | null, limit: number) => ({
  limit,
  ...(maxId === null ? {} : { maxId }),
});

export function signedInRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config, services } = deps;

  web.get("/home", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const viewerId = session.account.id;
    const rows = await homeTimeline(db, viewerId, pageBefore(maxIdOf(c), PAGE_SIZE + 1));
    return c.html(
      homePage(
        viewOf(c, deps),
        await pageOfStatuses(db, rows, viewerId, PAGE_SIZE, "home"),
        await currentAnnouncements(db, viewerId),
      ),
    );
  });

  web.get("/notifications", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const accountId = session.account.id;
    // The API's list (blocked and muted accounts' left out), one more than shown to know of a next page.
    const rows = await listNotifications(
      db,
      accountId,
      {},
      pageBefore(maxIdOf(c), NOTIFICATIONS_PAGE + 1),
    );
    const shown = rows.slice(0, NOTIFICATIONS_PAGE);
    const list = {
      items: await notificationViews(db, shown, accountId),
      next: rows.length > NOTIFICATIONS_PAGE ? shown[shown.length - 1]!.id : null,
    };
    const lastReadId = (await getMarkers(db, accountId, ["notifications"]))[0]?.lastReadId ?? null;
    // Seen once shown, as opening notifications in an app does: the marker moves to the newest shown,
    // and the badge (this page's own included) counts only what is newer.
    const newest = list.items[0]?.notification.id;
    if (newest !== undefined) {
      await advanceMarker(db, accountId, "notifications", newest);
      c.set("unreadCount", await unreadBadge(db, accountId));
    }
    return c.html(notificationsPage(viewOf(c, deps), list, lastReadId));
  });

  web.get("/settings", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const saved = c.req.query("saved") === "1";
    return c.html(
      settingsPage(
        viewOf(c, deps),
        session.account,
        session.user,
        saved ? { kind: "ok", text: viewOf(c, deps).t("settings.saved") } : undefined,
        undefined,
        await listDatasetOptOuts(db, session.account.id),
      ),
    );
  });

  web.post("/settings/profile", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const fields = [0, 1, 2, 3].map((i) => ({
      name: form[`field_name_${i}`] ?? "",
      value: form[`field_value_${i}`] ?? "",
    }));
    // Read before anything is saved: a bad licence must not leave the profile half-saved. The
    // licence and attribution are kept as they are when the form does not carry them.
    const dataset = {
      consent: form.ai_data_consent === "1",
      ...(form.dataset_license ? { license: parseDatasetLicense(form.dataset_license) } : {}),
      ...(form.dataset_attribution
        ? { attribution: parseDatasetAttribution(form.dataset_attribution) }
        : {}),
    };
    try {
      await updateProfile(db, session.account.id, {
        displayName: form.display_name ?? "",
        note: form.bio ?? "",
        fields,
        locked: form.locked === "1",
        discoverable: form.discoverable === "1",
        indexable: form.indexable === "1",
        dataset,
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error;
      return c.html(
        settingsPage(
          viewOf(c, deps),
          session.account,
          session.user,
          { kind: "error", text: error.message },
          undefined,
          await listDatasetOptOuts(db, session.account.id),
        ),
        400,
      );
    }
    return c.redirect("/settings?saved=1", 303);
  });

  web.post("/settings/archive", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const tar = await buildAccountArchive(db, deps.media.store, session.account.id);
    const day = new Date().toISOString().slice(0, 10);
    return c.body(new Uint8Array(tar), 200, {
      "Content-Type": "application/x-tar",
      "Content-Disposition": `attachment; filename="atelier-${session.account.username}-${day}.tar"`,
    });
  });

  web.post("/:handle{@[^/]+}/follow", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const target = await findAccountByHandle(db, c.req.param("handle"), config.domain);
    if (target === undefined) throw notFound("There is no account with that name here.");
    if (target.id === session.account.id) throw badRequest("You cannot follow yourself.");
    await services.interactions.followAccount(session.account.id, target.id);
    // A follow button outside the profile (explore's "Who to follow") brings the viewer back.
    const back = form.return_to ? safeReturnTo(form.return_to, config.origin) : profilePath(target);
    return c.redirect(back, 303);
  });

  web.post("/:handle{@[^/]+}/unfollow", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const target = await findAccountByHandle(db, c.req.param("handle"), config.domain);
    if (target === undefined) throw notFound("There is no account with that name here.");
    const me = (await findAccountById(db, session.account.id, { includeSuspended: true }))!;
    await unfollowAccount(db, me, target);
    return c.redirect(profilePath(target), 303);
  });

  /** Resolves the `uri` of an interaction to what the page shows, or null. */
  const interactionTarget = async (uri: string, viewerId: string) => {
    const found = await services.interactions.resolve(uri);
    if (found === null) return null;
    if (found.type === "account") {
      const account = await findAccountById(db, found.accountId);
      if (account === undefined) return null;
      return { account, relationship: await relationshipOf(db, viewerId, account) };
    }
    const row = await findVisibleStatus(db, viewerId, found.statusId);
    const status =
      row === undefined || row.reblogOfId !== null
        ? undefined
        : (await statusViews(db, [row], viewerId))[0];
    if (status === undefined) return null;
    return {
      account: status.account,
      status,
      relationship: await relationshipOf(db, viewerId, status.account),
    };
  };

  const uriOf = (c: WebContext, value: string | undefined) => {
    const uri = (value ?? "").trim();
    if (uri === "" || uri.length > MAX_URI) {
      throw badRequest(translatorOf(c)("c_interaction.errors.uri"));
    }
    return uri;
  };

  web.get("/authorize_interaction", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const uri = uriOf(c, c.req.query("uri"));
    const target = await interactionTarget(uri, session.account.id);
    return c.html(authorizeInteractionPage(viewOf(c, deps), uri, target), target ? 200 : 404);
  });

  web.post("/authorize_interaction", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const uri = uriOf(c, form.uri);
    const target = await interactionTarget(uri, session.account.id);
    if (target === null) {
      return c.html(authorizeInteractionPage(viewOf(c, deps), uri, null), 404);
    }
    if (target.account.id === session.account.id) {
      throw badRequest(translatorOf(c)("c_interaction.errors.self"));
    }
    await services.interactions.followAccount(session.account.id, target.account.id);
    const after = {
      ...target,
      relationship: await relationshipOf(db, session.account.id, target.account),
    };
    const view = viewOf(c, deps);
    return c.html(
      authorizeInteractionPage(
        view,
        uri,
        after,
        view.t(
          after.relationship === "following"
            ? "c_interaction.nowFollowing"
            : "c_interaction.requestSent",
        ),
      ),
    );
  });
}
