// The root Hono app: request logging, the health check, and one error handler that turns AppError into
// an HTTP answer. Later capabilities (federation, API, pages, media) mount here.
import { Hono } from "hono";
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
  const app = new Hono();

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

  app.route("/media", mediaRoutes(deps.media.store));
  // Mastodon client API and its OAuth server.
  app.route("/api", apiRouter(deps));
  app.route("/oauth", oauthRouter(deps));
  app.get("/.well-known/oauth-authorization-server", (c) => c.json(oauthMetadata(deps)));
  app.route("/", defaultImagesRouter());
  // Server-rendered pages (explore, profiles, posts, sign-in, settings…) and their static assets.
  app.route(
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

  app.notFound((c) => c.json({ error: "Not found" }, 404));

  app.onError((error, c) => {
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
  });

  return app;
}
