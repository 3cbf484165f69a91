// The root Hono app: request logging, the health check, and one error handler that turns AppError into
// an HTTP answer. Later capabilities (federation, API, pages, media) mount here.
import { type Context, Hono } from "hono";
import { federationMiddleware } from "../federation/index.ts";
import { apiRouter, defaultImagesRouter, oauthMetadata, oauthRouter } from "./api/index.ts";
import { pingDatabase } from "./db/client.ts";
import type { Deps } from "./deps.ts";
import { AppError } from "./errors.ts";
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
  const app = new Hono();
  const routes = new Hono();

  app.use(async (c, next) => {
    if (!httpLog.isEnabledFor("info")) return next();
    const started = performance.now();
    await next();
    httpLog.info("{method} {path} {status} {ms}ms", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });

  // ActivityPub first: it answers only ActivityPub requests and lets the rest fall through.
  app.use(federationMiddleware(deps.federation));

  app.get("/health", (c) => {
    const databaseOk = pingDatabase(deps.db);
    return c.json(
      {
        status: databaseOk ? "ok" : "unavailable",
        software: SOFTWARE_NAME,
        version: SOFTWARE_VERSION,
        database: databaseOk ? "ok" : "unavailable",
      },
      databaseOk ? 200 : 503,
    );
  });

  routes.route("/media", mediaRoutes(deps.media.store));
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

function onError(error: Error, c: Context): Response {
  if (error instanceof AppError) {
    return c.json(
      { error: error.message, ...(error.details ? { details: error.details } : {}) },
      error.status as 400,
    );
  }
  httpLog.error("Unhandled error on {method} {path}: {error}", {
    method: c.req.method,
    path: c.req.path,
    error,
  });
  return c.json({ error: "Internal server error" }, 500);
}
