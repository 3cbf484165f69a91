// A fake OpenAI-compatible HTTP server on 127.0.0.1 for tests: each test sets how it answers; it records
// the requests it got (path, headers, JSON body) and closes every connection when stopped.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeOpenAI {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Routes by "METHOD /path" (path without the /v1 prefix). */
  handle(route: string, handler: Handler): void;
  stop(): Promise<void>;
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? "/").replace(/^\/v1/, "").split("?")[0]!;
    const recorded = {
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(recorded);
    const handler = routes.get(`${recorded.method} ${path}`);
    if (handler === undefined) {
      json(res, 404, {
        error: { message: `No route ${recorded.method} ${path}`, type: "invalid_request_error" },
      });
      return;
    }
    await handler(recorded, res);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    handle: (route, handler) => routes.set(route, handler),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
