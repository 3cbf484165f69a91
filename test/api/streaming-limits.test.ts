// Caps on simultaneous streaming connections (per token, per address) and the rate limit on WebSocket
// upgrades, with real WebSocket and SSE clients against a server on 127.0.0.1.
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { CreateDepsOptions } from "../../src/deps.ts";
import { localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

let instance: ServedInstance | undefined;
const open: WebSocket[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) ws.terminate();
  await instance?.close();
  instance = undefined;
});

async function serve(env: Record<string, string> = {}, options: CreateDepsOptions = {}) {
  instance = await serveTestInstance(env, options);
  return instance;
}

type Outcome =
  | { opened: WebSocket }
  | { status: number; body: unknown; retryAfter: string | undefined };

/** Opens a WebSocket stream; either it opens or the server answers the upgrade with a status. */
function connect(query: string, headers: Record<string, string> = {}): Promise<Outcome> {
  const url = `${instance!.url.replace(/^http/, "ws")}/api/v1/streaming?${query}`;
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    ws.once("open", () => {
      open.push(ws);
      resolve({ opened: ws });
    });
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(body),
          retryAfter: res.headers["retry-after"],
        }),
      );
    });
    ws.once("error", reject);
  });
}

async function closeAndWait(ws: WebSocket): Promise<void> {
  const closed = new Promise((resolve) => ws.once("close", resolve));
  ws.close();
  await closed;
}

describe("streaming limits", () => {
  it("refuses a token's 17th WebSocket stream with 429 before the handshake, and frees a slot on close", async () => {
    const served = await serve();
    const { token } = await localUser(served, "alice");
    const streams: WebSocket[] = [];
    for (let i = 0; i < 16; i++) {
      const outcome = await connect(`stream=user&access_token=${token}`);
      expect(outcome).toHaveProperty("opened");
      streams.push((outcome as { opened: WebSocket }).opened);
    }
    expect(await connect(`stream=user&access_token=${token}`)).toEqual({
      status: 429,
      body: { error: "Too many streaming connections" },
      retryAfter: undefined,
    });
    // Another token from the same address still streams.
    const { token: other } = await localUser(served, "bob");
    expect(await connect(`stream=user&access_token=${other}`)).toHaveProperty("opened");
    await closeAndWait(streams[0]!);
    await expect
      .poll(async () => {
        const outcome = await connect(`stream=user&access_token=${token}`);
        return "opened" in outcome;
      })
      .toBe(true);
  });

  it("caps anonymous streams per client address, counting X-Forwarded-For behind a trusted proxy", async () => {
    await serve({}, { streaming: { caps: { perAddress: 3 } } });
    const from = (address: string) => ({ "x-forwarded-for": address });
    const streams: WebSocket[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await connect("stream=public", from("203.0.113.1"));
      streams.push((outcome as { opened: WebSocket }).opened);
    }
    expect(streams.every((s) => s instanceof WebSocket)).toBe(true);
    expect(await connect("stream=public", from("203.0.113.1"))).toMatchObject({ status: 429 });
    expect(await connect("stream=public", from("203.0.113.2"))).toHaveProperty("opened");
    await closeAndWait(streams[1]!);
    await expect
      .poll(async () => "opened" in (await connect("stream=public", from("203.0.113.1"))))
      .toBe(true);
  });

  it("counts WebSocket upgrades against the API rate limit", async () => {
    const served = await serve({ API_RATE_LIMIT: "3" });
    const { token } = await localUser(served, "alice");
    for (let i = 0; i < 3; i++) {
      const outcome = await connect(`stream=user&access_token=${token}`);
      await closeAndWait((outcome as { opened: WebSocket }).opened);
    }
    const limited = await connect(`stream=user&access_token=${token}`);
    expect(limited).toMatchObject({ status: 429, body: { error: "Too many requests" } });
    expect(Number((limited as { retryAfter: string }).retryAfter)).toBeGreaterThan(0);
    // The same window as the token's API calls.
    const res = await fetch(`${served.url}/api/v1/timelines/home`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(429);
  });

  it("refuses an SSE stream past the token's cap with 429, and frees the slot when it closes", async () => {
    const served = await serve({}, { streaming: { caps: { perToken: 2 } } });
    const { token } = await localUser(served, "alice");
    const sse = async () => {
      const controller = new AbortController();
      const res = await fetch(`${served.url}/api/v1/streaming/public`, {
        headers: { Authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      return { res, close: () => controller.abort() };
    };
    const first = await sse();
    const second = await sse();
    expect([first.res.status, second.res.status]).toEqual([200, 200]);
    const third = await sse();
    expect(third.res.status).toBe(429);
    expect(await third.res.json()).toEqual({ error: "Too many streaming connections" });
    // A WebSocket stream shares the same slots.
    expect(await connect(`stream=public&access_token=${token}`)).toMatchObject({ status: 429 });
    first.close();
    await expect
      .poll(async () => {
        const again = await sse();
        again.close();
        return again.res.status;
      })
      .toBe(200);
    second.close();
  });
});
