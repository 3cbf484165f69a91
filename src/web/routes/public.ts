// Pages anyone may open: profiles, posts, following from another server, the data page (explore has
// its own file, routes/explore.ts). Every read is a db/queries function the client API asks too (visibility and blocks applied there),
// so a post or a profile's posts reach a viewer here exactly when they reach them in an app.

import type { Hono, MiddlewareHandler } from "hono";
import {
  endorsedBy,
  findAccountById,
  followCounts,
  relationships,
} from "../../db/queries/accounts.ts";
import { albumsOf } from "../../db/queries/albums.ts";
import { datasetExportSummary } from "../../db/queries/datasets.ts";
import { listLocalEmojis, loadAccountEmojis } from "../../db/queries/emojis.ts";
import { accountTiles, remixTiles } from "../../db/queries/gallery.ts";
import { featuredTagsOf, pinnedStatuses } from "../../db/queries/pins.ts";
import {
  countVisibleStatuses,
  findVisibleStatus,
  statusContext,
} from "../../db/queries/statuses.ts";
import { accountStatuses } from "../../db/queries/timelines.ts";
import { crawlerPolicy, isAccountReserved, isStatusReserved } from "../../domain/data-mining.ts";
import { MAX_ENDORSEMENTS } from "../../domain/endorsements.ts";
import { parseTagName } from "../../domain/featured-tags.ts";
import { isLocalHandle } from "../../domain/handles.ts";
import { AppError, notFound } from "../../errors.ts";
import { providerDisclosure } from "../../generation/disclosure.ts";
import { profilePath } from "../components/account.ts";
import type { View } from "../components/layout.ts";
import type { WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { declareMining, maxIdOf, readForm, viewOf } from "../helpers.ts";
import { AnonymousPageCache } from "../page-cache.ts";
import { aboutDataPage } from "../pages/about-data.ts";
import { continueToServerPage, profilePage, remoteFollowPage } from "../pages/profile.ts";
import { statusPage } from "../pages/status.ts";
import { findAccountByHandle, isDeletedLocalHandle, relationshipOf } from "../profiles.ts";
import { verifyCsrf } from "../security.ts";
import { parseHandle } from "../services.ts";
import { filteredTiles, PAGE_SIZE, pageOfStatuses, statusViews } from "../views.ts";

export function publicRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;

  const accountOf = async (handle: string) => {
    const account = await findAccountByHandle(db, handle, config.domain);
    if (account !== undefined) return account;
    if (await isDeletedLocalHandle(db, handle, config.domain)) {
      throw new AppError("gone", "This account was deleted by its owner.");
    }
    throw notFound("There is no account with that name here.");
  };

  // Profiles are what visitors from elsewhere open most; anonymous ones share a rendering.
  const anonymousProfiles = new AnonymousPageCache();
  web.get("/:handle{@[^/]+}", page, async (c) => {
    const account = await accountOf(c.req.param("handle"));
    const viewerId = c.get("session")?.account.id ?? null;
    const tab = c.req.query("tab") === "posts" ? "posts" : "images";
    const maxId = maxIdOf(c);
    // A featured hashtag's link: the account's posts with it (as Mastodon's /@name/tagged/tag).
    const tagged = tab === "posts" ? parseTagName(c.req.query("tagged") ?? "")?.name : undefined;
    // The accounts it features (endorsements).
    const endorsed = (await endorsedBy(db, account.id, { limit: MAX_ENDORSEMENTS })).accounts;
    const render = async (view: View) => {
      const counts = {
        statuses: await countVisibleStatuses(db, account.id, viewerId),
        ...(await followCounts(db, account)),
      };
      const found =
        tab === "images"
          ? await accountTiles(db, account.id, viewerId, maxId)
          : { items: [], next: null };
      const tiles = { ...found, items: await filteredTiles(db, found.items, viewerId, "account") };
      const posts =
        tab === "posts"
          ? await pageOfStatuses(
              db,
              await accountStatuses(
                db,
                viewerId,
                account.id,
                tagged === undefined ? {} : { tagged },
                {
                  limit: PAGE_SIZE + 1,
                  ...(maxId === null ? {} : { maxId }),
                },
              ),
              viewerId,
              PAGE_SIZE,
              "account",
            )
          : { items: [], next: null };
      const relationship = await relationshipOf(db, viewerId, account);
      // Pinned posts head the first page of posts, as on Mastodon's profiles.
      const pinned =
        tab === "posts" && maxId === null && tagged === undefined
          ? await statusViews(db, await pinnedStatuses(db, viewerId, account.id), viewerId)
          : [];
      const featuredTags = (await featuredTagsOf(db, account.id)).map((t) => ({
        name: t.featuredTag.tagName,
        displayName: t.displayName,
        statusesCount: t.statusesCount,
      }));
      const extras = {
        albums: await albumsOf(db, account.id, viewerId),
        emojis: (await loadAccountEmojis(db, [account.id])).get(account.id) ?? [],
        movedTo:
          account.movedToAccountId === null
            ? null
            : ((await findAccountById(db, account.movedToAccountId)) ?? null),
        featured: endorsed,
        endorsed:
          relationship === "following" &&
          (await relationships(db, viewerId!, [account.id]))[0]!.endorsed,
      };
      return (
        await profilePage(
          view,
          account,
          counts,
          relationship,
          tab,
          tiles,
          posts,
          { pinned, featuredTags, tagged: tagged ?? null },
          extras,
        )
      ).toString();
    };
    const reserved = await isAccountReserved(db, account);
    const view = declareMining(c, viewOf(c, deps), reserved);
    if (viewerId !== null) return c.html(await render(view));
    // The account row (counts and last post time included) changes with every post and profile edit,
    // so a cached page never outlives those; the TTL bounds what else it shows (images, follows).
    // Pins, featured hashtags and featured accounts change without touching the account row: they are
    // part of it too.
    // Consent lives in the users row, not the account's: it is part of it too (the page's meta tags).
    const fingerprint = JSON.stringify([
      account,
      reserved,
      (await pinnedStatuses(db, null, account.id)).map((s) => s.id),
      (await featuredTagsOf(db, account.id)).map((t) => t.featuredTag.id),
      endorsed.map((f) => f.id),
      // Albums change without touching the account row too.
      (await albumsOf(db, account.id, null)).map((s) => [s.album.id, s.album.updatedAt, s.count]),
    ]);
    // One page per language: a visitor reading French must not be served the English one.
    const key = `${account.id} ${tab} ${maxId ?? ""} ${tagged ?? ""} ${view.t.locale}`;
    return c.html(
      await anonymousProfiles.page(key, fingerprint, view, (placeholders) =>
        render({ ...view, ...placeholders }),
      ),
    );
  });

  web.get("/:handle{@[^/]+}/remote_follow", page, async (c) => {
    const account = await accountOf(c.req.param("handle"));
    return c.html(remoteFollowPage(viewOf(c, deps), account));
  });

  web.post("/:handle{@[^/]+}/remote_follow", page, async (c) => {
    const account = await accountOf(c.req.param("handle"));
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const input = (form.handle ?? "").slice(0, 400);
    let handle: { username: string; host: string };
    try {
      handle = parseHandle(input);
    } catch (error) {
      return c.html(
        remoteFollowPage(viewOf(c, deps), account, (error as Error).message, input),
        400,
      );
    }
    if (isLocalHandle(handle, config.domain)) {
      // Someone from this very server: they just need to sign in.
      return c.redirect(`/auth/sign_in?return_to=${encodeURIComponent(profilePath(account))}`, 303);
    }
    let template: string | null;
    try {
      template = await deps.services.remoteFollow.subscribeTemplate(handle);
    } catch (error) {
      return c.html(
        remoteFollowPage(viewOf(c, deps), account, (error as Error).message, input),
        502,
      );
    }
    if (template === null) {
      return c.html(
        remoteFollowPage(
          viewOf(c, deps),
          account,
          `${handle.host} does not offer following from elsewhere. Search for ${account.iri} on your server instead.`,
          input,
        ),
        422,
      );
    }
    const target = template.replace("{uri}", encodeURIComponent(account.iri));
    return c.html(continueToServerPage(viewOf(c, deps), target, handle.host));
  });

  web.get("/:handle{@[^/]+}/:id{[0-9]{1,20}}", page, async (c) => {
    const account = await accountOf(c.req.param("handle"));
    const viewerId = c.get("session")?.account.id ?? null;
    const found = await findVisibleStatus(db, viewerId, c.req.param("id"));
    // The same answer for "no such post" and "not yours to see": existence is not revealed.
    if (found === undefined || found.reblogOfId !== null || found.accountId !== account.id) {
      throw notFound("This post does not exist or is not visible to you.");
    }
    // The thread as the API's context gives it: the parent is the nearest ancestor, the replies are
    // the direct ones among the descendants.
    const { ancestors, descendants } = await statusContext(db, viewerId, found);
    const parent = ancestors.at(-1);
    const shownParent = parent?.id === found.inReplyToId ? parent : undefined;
    const replies = descendants.filter((d) => d.inReplyToId === found.id);
    // The post asked for is shown as it is; its parent and replies in the `thread` filter context.
    const [view] = await statusViews(db, [found], viewerId);
    if (view === undefined) {
      throw notFound("This post does not exist or is not visible to you.");
    }
    const rest = await statusViews(
      db,
      [...(shownParent ? [shownParent] : []), ...replies],
      viewerId,
      "thread",
    );
    const parentView = shownParent && rest[0]?.status.id === shownParent.id ? rest[0] : undefined;
    const pageView = declareMining(c, viewOf(c, deps), await isStatusReserved(db, account, found));
    // Only a signed-in viewer gets the reaction picker, and with it this instance's emojis.
    const pickerEmojis = viewerId === null ? [] : await listLocalEmojis(db, { enabledOnly: true });
    // Its remixes, here and from other servers, as the viewer may see them (and through their filters).
    const remixes = await remixTiles(db, found.id, viewerId);
    const shownRemixes = {
      count: remixes.count,
      items: await filteredTiles(db, remixes.items, viewerId, "thread"),
    };
    return c.html(
      statusPage(
        pageView,
        view,
        parentView,
        parentView ? rest.slice(1) : rest,
        pickerEmojis,
        shownRemixes,
      ),
    );
  });

  web.get("/about/data", page, async (c) => {
    const session = c.get("session");
    const policy = await crawlerPolicy(db);
    const view = declareMining(c, viewOf(c, deps), policy.instancePagesReserved);
    return c.html(
      aboutDataPage(view, {
        provider: providerDisclosure(config, deps.generation.provider),
        policy,
        exports: await datasetExportSummary(db),
        consent: session ? session.user.aiDataConsent : null,
      }),
    );
  });
}
