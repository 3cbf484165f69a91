// Runs the app on @hono/node-server and stops it gracefully: stop accepting, let in-flight requests
// finish (bounded by a timeout), then release the deps (closing the database last).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import { logger } from "./logging.ts";

const log = logger("server");

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Stops accepting connections, waits for in-flight requests, then runs `onClosed`. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  app: Hono;
  port: number;
  hostname?: string;
  /** Called after the last request finished (close the database here). */
  onClosed?: () => Promise<void> | void;
  /** Attaches to the Node server (WebSocket upgrades); what it returns is closed first on stop. */
  attach?: (server: Server) => { close(): void };
  /** How long in-flight requests get before their connections are cut. */
  shutdownTimeoutMs?: number;
}

export function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { app, port, hostname, onClosed, attach, shutdownTimeoutMs = 25_000 } = options;
  return new Promise((resolvePromise, reject) => {
    const server = serve({
      fetch: app.fetch,
      port,
      ...(hostname !== undefined ? { hostname } : {}),
    }) as Server;
    const attached = attach?.(server);
    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      let stopping: Promise<void> | undefined;
      resolvePromise({
        server,
        port: (server.address() as AddressInfo).port,
        stop() {
          stopping ??= (async () => {
            // Long-lived streams (SSE, WebSocket) end first, or they would hold the shutdown open.
            attached?.close();
            await new Promise<void>((done) => {
              const timer = setTimeout(() => {
                log.warning("In-flight requests did not finish in time; closing connections.");
                server.closeAllConnections();
              }, shutdownTimeoutMs);
              timer.unref();
              // close() stops accepting and waits for active requests; idle keep-alive sockets are
              // closed now so they do not hold the shutdown open.
              server.close(() => {
                clearTimeout(timer);
                done();
              });
              server.closeIdleConnections();
            });
            await onClosed?.();
          })();
          return stopping;
        },
      });
    });
  });
}
