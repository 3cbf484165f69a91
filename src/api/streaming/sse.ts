// The streaming API over server-sent events: GET /api/v1/streaming/health, then /user,
// /user/notification, /public, /public/local, /public/remote, /hashtag?tag=, /hashtag/local?tag=, /list?list= and /direct. Each
// event is `event: <name>` + `data: <payload>` (the entity as a JSON string, or a bare id for `delete`), with
// a `:thump` comment as heartbeat so proxies keep the connection open. The WebSocket form is websocket.ts.
import { Hono } from "hono";
import { stream } from "hono/streaming";
import { AppError } from "../../errors.ts";
import { clientAddress } from "../client-address.ts";
import { pendingError } from "../middleware.ts";
import type { ApiDeps, ApiEnv, StreamConnection } from "../types.ts";
import { canSubscribe, ownsStreamList, parseSubscription } from "./hub.ts";

const PATHS: Record<string, string> = {
  "/user": "user",
  "/user/notification": "user:notification",
  "/public": "public",
  "/public/local": "public:local",
  "/public/remote": "public:remote",
  "/hashtag": "hashtag",
  "/hashtag/local": "hashtag:local",
  "/list": "list",
  "/direct": "direct",
};

export function streamingRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const health = () => new Response("OK", { headers: { "Content-Type": "text/plain" } });
  app.get("/health", health);

  for (const [path, name] of Object.entries(PATHS)) {
    app.get(path, async (c) => {
      const auth = c.get("auth") ?? null;
      // A new account that cannot act yet (e-mail not confirmed, not approved) streams nothing either.
      if (auth !== null && auth.pending !== null) throw pendingError(auth.pending);
      const viewerId = auth?.accountId ?? null;
      const scopes = auth?.scopes ?? [];
      const subscription = parseSubscription(name, c.req.query("tag"), c.req.query("list"));
      if (typeof subscription === "string") throw new AppError("bad_request", subscription);
      if ((name.startsWith("user") || name === "list" || name === "direct") && auth === null) {
        throw new AppError("unauthorized", "Missing access token");
      }
      if (!canSubscribe(viewerId, scopes, subscription.stream)) {
        throw new AppError("forbidden", "Access token does not have the required scopes");
      }
      if (!(await ownsStreamList(deps.db, viewerId, subscription))) {
        throw new AppError("unauthorized", "Not authorized to stream this list");
      }
      // A slot per stream (slots.ts): past the caller's cap, 429 instead of one more open stream.
      const slot = deps.streaming.reserve(
        auth?.token.id ?? null,
        clientAddress(c, deps.config.trustedProxies),
      );
      if (slot === undefined) throw new AppError("rate_limited", "Too many streaming connections");
      const release: () => void = slot;
      c.header("Content-Type", "text/event-stream; charset=utf-8");
      c.header("Cache-Control", "no-store");
      c.header("X-Accel-Buffering", "no");
      return stream(c, async (out) => {
        let ended = false;
        let finish: () => void = () => {};
        const done = new Promise<void>((resolve) => {
          finish = resolve;
        });
        const write = (text: string) => {
          if (ended) return;
          out.write(text).catch(() => end());
        };
        const connection: StreamConnection = {
          viewerId,
          scopes,
          subscriptions: [subscription],
          send(_stream, event, payload) {
            write(`event: ${event}\ndata: ${payload}\n\n`);
          },
          close() {
            end();
          },
        };
        const heartbeat = setInterval(() => write(":thump\n\n"), deps.streaming.heartbeatMs);
        function end() {
          if (ended) return;
          ended = true;
          clearInterval(heartbeat);
          deps.streaming.remove(connection);
          release();
          out.close().catch(() => {});
          finish();
        }
        out.onAbort(end);
        deps.streaming.add(connection);
        // A first comment tells the client the stream is open (and flushes the headers).
        write(":)\n\n");
        await done;
      });
    });
  }
  // Without an Upgrade header, /api/v1/streaming answers like the health check; WebSocket clients are
  // taken over by websocket.ts before Hono sees them.
  app.get("/", health);
  return app;
}
