// The root Hono app: request logging, the health check, and one error handler that turns AppError into
// an HTTP answer. Later capabilities (federation, API, pages, media) mount here.
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { federationMiddleware, type SyncMiddleware } from "../federation/index.ts";
import { apiRouter, defaultImagesRouter, oauthMetadata, oauthRouter } from "./api/index.ts";
import { pingStore } from "./db/dialect.ts";
import type { Deps } from "./deps.ts";
import { AppError } from "./errors.ts";
import { MASK_MAX_BYTES } from "./generation/studio.ts";
import { limitBodies } from "./http/body-limit.ts";
import { withCors } from "./http/cors.ts";
import { API_SECURITY_HEADERS, answerSecurityHeaders } from "./http/security-headers.ts";
import { logger } from "./logging.ts";
import { SOFTWARE_NAME, SOFTWARE_VERSION } from "./version.ts";
import { createWebRouter } from "./web/index.ts";
import { mediaRoutes } from "./web/media.ts";

const httpLog = logger("http");

export function createApp(deps: Deps): Hono {
  // Two apps, one inside the other. The outer one holds what every request passes through (logging,
  // ActivityPub) and /health: so few routes that Hono's regular-expression router takes them. The
  // inner one holds the pages and the API, some 280 routes that router refuses (it allows no literal
  // segment beside a parameter, as in /api/v1/accounts/lookup and /api/v1/accounts/:id), so Hono falls
  // back to its trie router there, whose lookup costs more than a cached actor document. Only requests
  // that reach the inner app pay for it.
  // Not strict: a path with one trailing slash routes as the path without (toot opens
  // /oauth/authorize/, Mastodon.py reads /api/v1/instance/), as Rails does for Mastodon.
  const app = new Hono({ strict: false });
  const routes = new Hono({ strict: false });

  // One handler in front of everything, logging included, ActivityPub first (it answers only
  // ActivityPub requests and lets the rest fall through). When a single handler matches and returns a
  // Response rather than a promise, Hono hands it over as it is and @hono/node-server writes it at once:
  // that is the way of the cached actor documents and WebFinger answers, which remote servers fetch more
  // than anything else, and for which a chain of async middleware would cost more than their own work.
  const federation = federationMiddleware(deps.federation);
  // Above info, LOG_LEVEL turns the request log off for good: asking LogTape costs a look into its
  // context storage on every request.
  const mayLogRequests = ["trace", "debug", "info"].includes(deps.config.logLevel);
  // CORS around both, so the federation middleware's answers (WebFinger, NodeInfo, actors) get it too.
  const federationWithCors = withCors(federation);
  const front: SyncMiddleware = (c, next) =>
    mayLogRequests && httpLog.isEnabledFor("info")
      ? logged(c, () => federationWithCors(c, next))
      : federationWithCors(c, next);
  // Hono takes a plain Response from a middleware too; its type only names the promise.
  app.use(front as MiddlewareHandler);

  app.get("/health", async (c) => {
    const databaseOk = await pingStore(deps.db);
    return c.json(
      {
        status: databaseOk ? "ok" : "unavailable",
        software: SOFTWARE_NAME,
        version: SOFTWARE_VERSION,
        database: databaseOk ? "ok" : "unavailable",
      },
      databaseOk ? 200 : 503,
      API_SECURITY_HEADERS,
    );
  });

  // nosniff on every answer, and a CSP of nothing on each that has no CSP of its own (all but pages).
  routes.use(answerSecurityHeaders());
  // Every body the pages and the API read is bounded as it streams in (see http/body-limit.ts).
  routes.use(limitBodies({ ...deps.config.media, maxMaskBytes: MASK_MAX_BYTES }));
  routes.route("/media", mediaRoutes(deps.media.store, deps.db));
  // Mastodon client API and its OAuth server.
  routes.route("/api", apiRouter(deps));
  routes.route("/oauth", oauthRouter(deps));
  routes.get("/.well-known/oauth-authorization-server", (c) => c.json(oauthMetadata(deps)));
  routes.route("/", defaultImagesRouter());
  // Server-rendered pages (explore, profiles, posts, sign-in, settings…) and their static assets.
  routes.route(
    "/",
    createWebRouter({
      config: deps.config,
      db: deps.db,
      urls: deps.urls,
      services: deps.web,
      events: deps.events,
      generation: deps.generation,
      media: deps.media,
      scheduledStatuses: deps.scheduledStatuses,
      polls: deps.polls,
      datasetExports: deps.datasetExports,
      imports: deps.imports,
      throttle: deps.signInThrottle,
      signUpThrottle: deps.signUpThrottle,
      mailer: deps.mailer,
    }),
  );
  routes.notFound((c) => c.json({ error: "Not found" }, 404));
  routes.onError(onError);

  // What the outer app has no route for goes to the inner one (with c.env, the Node request and
  // response: rate limits read the peer address from it).
  app.notFound((c) => routes.fetch(c.req.raw, c.env));
  app.onError(onError);
  return app;
}

async function logged(c: Context, handle: () => ReturnType<SyncMiddleware>) {
  const started = performance.now();
  const log = (status: number) =>
    httpLog.info("{method} {path} {status} {ms}ms", {
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round(performance.now() - started),
    });
  let handled: Awaited<ReturnType<SyncMiddleware>>;
  try {
    handled = await handle();
  } catch (error) {
    // The front handler is the only one Hono runs here, so its error goes straight to onError, which
    // answers 500 (or the AppError's status): the request is logged with that status on the way.
    log(error instanceof AppError ? error.status : 500);
    throw error;
  }
  // A Response returned, or one that later handlers left in c.res (next() may resolve to the context).
  const response = handled instanceof Response ? handled : undefined;
  log((response ?? c.res).status);
  return response;
}

function onError(error: Error, c: Context): Response {
  if (error instanceof AppError) {
    return c.json(
      { error: error.message, ...(error.details ? { details: error.details } : {}) },
      error.status as 400,
      API_SECURITY_HEADERS,
    );
  }
  httpLog.error("Unhandled error on {method} {path}: {error}", {
    method: c.req.method,
    path: c.req.path,
    error,
  });
  return c.json({ error: "Internal server error" }, 500, API_SECURITY_HEADERS);
}
