// The web pages' router: security headers and the session on every page, static assets, and the page
// routes; errors become HTML pages here (the root app answers JSON for everything else).

import { Hono, type MiddlewareHandler } from "hono";
import { html } from "hono/html";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { AcrossBlockError } from "../domain/block-policy.ts";
import type { DatasetExportService } from "../domain/datasets/jobs.ts";
import type { BulkImportService } from "../domain/imports/jobs.ts";
import type { LocalUrls } from "../domain/local-urls.ts";
import type { PollService } from "../domain/poll-endings.ts";
import type { ScheduledStatusService } from "../domain/scheduled-statuses.ts";
import { LoginThrottle } from "../domain/sign-in-throttle.ts";
import { SignUpThrottle } from "../domain/sign-up-throttle.ts";
import { AppError } from "../errors.ts";
import type { GenerationService } from "../generation/jobs.ts";
import type { Translator } from "../i18n/index.ts";
import { logger } from "../logging.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { MediaService } from "../media/service.ts";
import { messagePage } from "./components/layout.ts";
import type { WebEnv } from "./context.ts";
import type { WebRouterDeps } from "./deps.ts";
import { localize, signedIn, viewOf } from "./helpers.ts";
import { manifestRoutes } from "./manifest.ts";
import { aboutRoutes } from "./routes/about.ts";
import { accountDeletionRoutes } from "./routes/account-deletion.ts";
import { accountLinkRoutes } from "./routes/account-links.ts";
import { accountMoveRoutes } from "./routes/account-moves.ts";
import { accountSecurityRoutes } from "./routes/account-security.ts";
import { actionRoutes } from "./routes/actions.ts";
import { adminRoutes } from "./routes/admin.ts";
import { adminAnnouncementRoutes } from "./routes/admin-announcements.ts";
import { adminCrawlerRoutes } from "./routes/admin-crawlers.ts";
import { adminDatasetRoutes } from "./routes/admin-datasets.ts";
import { adminEmojiRoutes } from "./routes/admin-emojis.ts";
import { adminRegistrationRoutes } from "./routes/admin-registrations.ts";
import { adminRuleRoutes } from "./routes/admin-rules.ts";
import { albumRoutes } from "./routes/albums.ts";
import { authRoutes } from "./routes/auth.ts";
import { composeRoutes } from "./routes/compose.ts";
import { dataMiningRoutes } from "./routes/data-mining.ts";
import { domainBlockRoutes } from "./routes/domain-blocks.ts";
import { exploreRoutes } from "./routes/explore.ts";
import { featuredTagRoutes } from "./routes/featured-tags.ts";
import { filterRoutes } from "./routes/filters.ts";
import { importRoutes } from "./routes/imports.ts";
import { listRoutes } from "./routes/lists.ts";
import { publicRoutes } from "./routes/public.ts";
import { scheduledRoutes } from "./routes/scheduled.ts";
import { signUpRoutes } from "./routes/sign-up.ts";
import { signedInRoutes } from "./routes/signed-in.ts";
import { socialRoutes } from "./routes/social.ts";
import { studioRoutes } from "./routes/studio.ts";
import { suspendedArchiveRoutes } from "./routes/suspended-archive.ts";
import { tagRoutes } from "./routes/tags.ts";
import { twoFactorRoutes } from "./routes/two-factor.ts";
import { loadSession, securityHeaders } from "./security.ts";
import type { WebServices } from "./services.ts";
import { loadStaticAssets } from "./static.ts";

const log = logger("web");

export interface CreateWebRouterOptions {
  config: Config;
  db: Database;
  urls: LocalUrls;
  services: WebServices;
  events: { kick(): void };
  generation: GenerationService;
  media: MediaService;
  scheduledStatuses: ScheduledStatusService;
  /** Votes (the API's PollService: one rule and one clock for both doors). */
  polls: PollService;
  /** Dataset exports (the admin page starts them; the worker runs them). */
  datasetExports: DatasetExportService;
  /** CSV imports (Settings → Import; the worker applies them). */
  imports: BulkImportService;
  /** Failed sign-ins, shared with the OAuth authorize form (one count per account and address). */
  throttle?: LoginThrottle;
  signUpThrottle?: SignUpThrottle;
  mailer: Mailer;
}

const TITLED_STATUSES = [400, 401, 403, 404, 410, 413, 422, 429, 503] as const;

/** The heading of an error page: what the status means to a person. */
function errorTitle(t: Translator, status: number): string {
  const titled = TITLED_STATUSES.find((s) => s === status);
  return titled === undefined ? t("errors.other") : t(`errors.${titled}`);
}

// Paths whose clients expect JSON even from a browser's address bar (ActivityPub clients never ask for
// HTML, so /users and /statuses ids opened in a browser get the HTML page).
const MACHINE_PATHS = /^\/(?:api|oauth|\.well-known|nodeinfo|media)(?:\/|$)/;

/** Whether an unanswered request came from a browser that reads HTML (and not from an API path). */
function wantsHtml(accept: string | undefined, path: string): boolean {
  return (accept?.includes("text/html") ?? false) && !MACHINE_PATHS.test(path);
}

export function createWebRouter(options: CreateWebRouterOptions): Hono<WebEnv> {
  const cookies = { secure: new URL(options.config.origin).protocol === "https:" };
  const deps: WebRouterDeps = {
    config: options.config,
    db: options.db,
    urls: options.urls,
    services: options.services,
    assets: loadStaticAssets(),
    throttle: options.throttle ?? new LoginThrottle(),
    signUpThrottle: options.signUpThrottle ?? new SignUpThrottle(),
    cookies,
    events: options.events,
    generation: options.generation,
    media: options.media,
    scheduledStatuses: options.scheduledStatuses,
    polls: options.polls,
    datasetExports: options.datasetExports,
    imports: options.imports,
    mailer: options.mailer,
  };
  const web = new Hono<WebEnv>();
  deps.assets.mount(web as unknown as Hono<never>);
  manifestRoutes(web, deps);

  // Applied per route (not with use("*")) so API and federation paths never load a session.
  const headers = securityHeaders(cookies);
  const session = loadSession(deps.db, cookies);
  const page: MiddlewareHandler<WebEnv> = (c, next) =>
    headers(c, async () => {
      await session(c, async () => {
        await localize(c, next);
      });
    });
  // In limited federation mode the instance is a closed one (Mastodon then answers its client API only to
  // users): its posts, profiles, hashtags and explore tabs need a session, as the API's do. The about,
  // sign-in and sign-up pages stay open, so that one can become a user.
  const contentPage: MiddlewareHandler<WebEnv> = deps.config.limitedFederationMode
    ? (c, next) =>
        page(c, async () => {
          // Called by hand, not by Hono's chain: a redirect signedIn answers must become the response.
          const answer = await signedIn(c, next);
          if (answer instanceof Response) c.res = answer;
        })
    : page;
  dataMiningRoutes(web, deps);
  exploreRoutes(web, deps, contentPage);
  publicRoutes(web, deps, contentPage);
  aboutRoutes(web, deps, page);
  authRoutes(web, deps, page);
  suspendedArchiveRoutes(web, deps, page);
  signUpRoutes(web, deps, page);
  accountLinkRoutes(web, deps, page);
  signedInRoutes(web, deps, page);
  featuredTagRoutes(web, deps, page);
  accountDeletionRoutes(web, deps, page);
  accountMoveRoutes(web, deps, page);
  accountSecurityRoutes(web, deps, page);
  twoFactorRoutes(web, deps, page);
  domainBlockRoutes(web, deps, page);
  filterRoutes(web, deps, page);
  socialRoutes(web, deps, page);
  adminRoutes(web, deps, page);
  adminAnnouncementRoutes(web, deps, page);
  adminRuleRoutes(web, deps, page);
  adminEmojiRoutes(web, deps, page);
  adminRegistrationRoutes(web, deps, page);
  adminCrawlerRoutes(web, deps, page);
  adminDatasetRoutes(web, deps, page);
  actionRoutes(web, deps, page);
  composeRoutes(web, deps, page);
  studioRoutes(web, deps, page);
  tagRoutes(web, deps, contentPage);
  listRoutes(web, deps, page);
  albumRoutes(web, deps, page);
  importRoutes(web, deps, page);
  scheduledRoutes(web, deps, page);

  // Last: a path nothing above answered. Browsers get an HTML page with the site's navigation; API
  // clients, servers and scripts keep the root app's JSON 404.
  web.all("*", async (c, next) => {
    // Others go on (routes mounted later, then the root app's JSON 404).
    if (!wantsHtml(c.req.header("accept"), c.req.path)) return next();
    // Through the page middleware by hand, so the answer has its nonce, headers and session nav.
    await page(c, async () => {
      const v = viewOf(c, deps);
      c.res = await c.html(
        messagePage(
          v,
          v.t("errors.404"),
          v.t("errors.notFoundMessage"),
          html`<p><a class="button" href="/explore">${v.t("errors.goToExplore")}</a></p>`,
        ),
        404,
      );
    });
    return c.res;
  });

  web.onError((error, c) => {
    const status = error instanceof AppError ? error.status : 500;
    if (!(error instanceof AppError)) {
      log.error("Unhandled error on {method} {path}: {error}", {
        method: c.req.method,
        path: c.req.path,
        error,
      });
    }
    // An error before the page middleware ran has no nonce; the page then simply has no scripts.
    if (c.get("nonce") === undefined) c.set("nonce", "");
    if (c.get("anonymousCsrf") === undefined) c.set("anonymousCsrf", "");
    const v = viewOf(c, deps);
    const message =
      error instanceof AcrossBlockError
        ? v.t("errors.acrossBlock")
        : error instanceof AppError
          ? error.message
          : v.t("errors.internal");
    return c.html(messagePage(v, errorTitle(v.t, status), message), status as 400);
  });

  return web;
}

export type { InteractionServices, WebServices } from "./services.ts";
export { fetchRemoteFollowResolver } from "./services.ts";
