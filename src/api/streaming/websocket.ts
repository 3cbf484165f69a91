// The streaming API over WebSocket, on /api/v1/streaming (`?stream=user`, `?stream=hashtag&tag=x`, then
// `{"type":"subscribe"|"unsubscribe","stream":…,"tag":…}` messages), as Mastodon's streaming server speaks
// it: each event is `{"stream":[…],"event":"update","payload":"<entity as JSON string>"}`. The access token
// comes from `access_token` in the query, `Authorization: Bearer`, or Sec-WebSocket-Protocol.
import type { IncomingMessage, Server } from "node:http";
import { createRequire } from "node:module";
import type { Duplex } from "node:stream";
import type { RawData, WebSocket, WebSocketServer } from "ws";
import { proxyMatcher, resolveClientAddress } from "../../domain/client-address.ts";
import { resolveAccessToken } from "../../domain/oauth.ts";
import { logger } from "../../logging.ts";
import { pendingError } from "../middleware.ts";
import { rateLimitKey } from "../rate-limit.ts";
import type { ApiDeps, StreamConnection, Subscription } from "../types.ts";
import { canSubscribe, ownsStreamList, parseSubscription, streamLabel } from "./hub.ts";

const log = logger("api", "streaming");
const PATH = "/api/v1/streaming";
// Subscribe messages are tiny; anything larger is not a client of this API.
const MAX_MESSAGE_BYTES = 16 * 1024;
const MAX_SUBSCRIPTIONS = 50;
// ws is loaded at the first upgrade: a server nobody streams from does not need it at start-up.
const require = createRequire(import.meta.url);

function refuse(
  socket: Duplex,
  status: number,
  reason: string,
  error = reason,
  headers: Record<string, string> = {},
): void {
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  const body = JSON.stringify({ error });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
  );
}

function tokenOf(request: IncomingMessage, url: URL): string | undefined {
  const query = url.searchParams.get("access_token");
  if (query) return query;
  const header = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization?.trim() ?? "");
  if (header) return header[1];
  const protocol = request.headers["sec-websocket-protocol"]?.split(",")[0]?.trim();
  return protocol || undefined;
}

/**
 * Serves WebSocket upgrades of `server` on /api/v1/streaming. Returns what closes them all (call before
 * the HTTP server stops, so open sockets do not hold the shutdown).
 */
export function attachWebSocketStreaming(deps: ApiDeps): (server: Server) => { close(): void } {
  return (server) => {
    let wsServer: WebSocketServer | undefined;
    const wss = () => {
      if (wsServer === undefined) {
        const ws = require("ws") as typeof import("ws");
        wsServer = new ws.WebSocketServer({
          noServer: true,
          maxPayload: MAX_MESSAGE_BYTES,
          // Clients that send the token as the subprotocol expect it echoed back.
          handleProtocols: (protocols) => protocols.values().next().value ?? false,
        });
      }
      return wsServer;
    };
    const onUpgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? "/", "http://localhost");
      if (url.pathname.replace(/\/$/, "") !== PATH) {
        refuse(socket, 404, "Not Found");
        return;
      }
      const token = tokenOf(request, url);
      const resolved = token === undefined ? undefined : await resolveAccessToken(deps.db, token);
      if (token !== undefined && resolved === undefined) {
        refuse(socket, 401, "Unauthorized");
        return;
      }
      // A new account that cannot act yet (e-mail not confirmed, not approved) streams nothing either.
      if (resolved !== undefined && resolved.pending !== null) {
        refuse(socket, 403, "Forbidden", pendingError(resolved.pending).message);
        return;
      }
      const tokenId = resolved?.token.id ?? null;
      const address = resolveClientAddress(
        request.socket.remoteAddress ?? "local",
        [request.headers["x-forwarded-for"] ?? []].flat().join(",") || undefined,
        proxyMatcher(deps.config.trustedProxies),
      );
      // An upgrade is an API request: it counts in the caller's rate-limit window like any other.
      const window = deps.rateLimiter.hit(rateLimitKey(tokenId, address));
      if (!window.allowed) {
        const wait = Math.max(1, Math.ceil((window.resetAt - Date.now()) / 1000));
        return refuse(socket, 429, "Too Many Requests", "Too many requests", {
          "Retry-After": String(wait),
        });
      }
      const viewerId = resolved?.token.accountId ?? null;
      const scopes = resolved?.scopes ?? [];
      const initial = url.searchParams.get("stream");
      let first: Subscription | undefined;
      if (initial !== null) {
        const parsed = parseSubscription(
          initial,
          url.searchParams.get("tag") ?? undefined,
          url.searchParams.get("list") ?? undefined,
        );
        if (typeof parsed === "string") return refuse(socket, 400, "Bad Request");
        if (!canSubscribe(viewerId, scopes, parsed.stream)) {
          return refuse(socket, viewerId === null ? 401 : 403, "Unauthorized");
        }
        if (!(await ownsStreamList(deps.db, viewerId, parsed)))
          return refuse(socket, 401, "Unauthorized");
        first = parsed;
      }
      // A slot per stream (slots.ts), refused before the handshake is accepted; the socket closing,
      // however the stream ends (or a failed handshake), frees it.
      const release = deps.streaming.reserve(tokenId, address);
      if (release === undefined) {
        return refuse(socket, 429, "Too Many Requests", "Too many streaming connections");
      }
      socket.once("close", release);
      if (socket.destroyed) return release(); // the client left while the upgrade was checked
      wss().handleUpgrade(request, socket, head, (ws) => serve(ws, viewerId, scopes, first));
    };

    const serve = (
      ws: WebSocket,
      viewerId: string | null,
      scopes: readonly string[],
      first: Subscription | undefined,
    ) => {
      const subscriptions: Subscription[] = first ? [first] : [];
      const sendJson = (value: unknown) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(value));
      };
      const connection: StreamConnection = {
        viewerId,
        scopes,
        subscriptions,
        send(stream, event, payload) {
          sendJson({ stream, event, payload });
        },
        close() {
          ws.close(1001, "Server shutting down");
        },
      };
      const ping = setInterval(() => ws.ping(), deps.streaming.heartbeatMs);
      const onMessage = async (data: RawData, isBinary: boolean) => {
        let message: { type?: unknown; stream?: unknown; tag?: unknown; list?: unknown };
        try {
          message = JSON.parse(isBinary ? "" : data.toString());
        } catch {
          return sendJson({ error: "Malformed JSON", status: 400 });
        }
        if (message.type !== "subscribe" && message.type !== "unsubscribe") {
          return sendJson({ error: "Unknown message type", status: 400 });
        }
        const parsed = parseSubscription(
          String(message.stream ?? ""),
          typeof message.tag === "string" ? message.tag : undefined,
          typeof message.list === "string" || typeof message.list === "number"
            ? String(message.list)
            : undefined,
        );
        if (typeof parsed === "string") return sendJson({ error: parsed, status: 400 });
        const same = (s: Subscription) =>
          s.stream === parsed.stream && s.tag === parsed.tag && s.list === parsed.list;
        if (message.type === "unsubscribe") {
          const at = subscriptions.findIndex(same);
          if (at >= 0) subscriptions.splice(at, 1);
          return;
        }
        if (!canSubscribe(viewerId, scopes, parsed.stream)) {
          return sendJson({ error: "Access token does not have the required scopes", status: 401 });
        }
        if (!(await ownsStreamList(deps.db, viewerId, parsed))) {
          return sendJson({ error: "Not authorized to stream this list", status: 401 });
        }
        if (subscriptions.some(same)) return;
        if (subscriptions.length >= MAX_SUBSCRIPTIONS) {
          return sendJson({ error: "Too many subscriptions", status: 400 });
        }
        subscriptions.push(parsed);
        log.debug("WebSocket subscribed to {stream}.", { stream: streamLabel(parsed) });
      };
      ws.on("message", (data, isBinary) => {
        onMessage(data, isBinary).catch((error: unknown) => {
          log.warning("WebSocket message failed: {error}", { error });
          sendJson({ error: "Internal error", status: 500 });
        });
      });
      ws.on("close", () => {
        clearInterval(ping);
        deps.streaming.remove(connection);
      });
      ws.on("error", () => ws.terminate());
      deps.streaming.add(connection);
    };

    server.on("upgrade", onUpgrade);
    return {
      close() {
        server.off("upgrade", onUpgrade);
        deps.streaming.close();
        if (wsServer !== undefined) {
          for (const client of wsServer.clients) client.terminate();
          wsServer.close();
        }
      },
    };
  };
}
