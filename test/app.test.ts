// The root app: what every request passes through sits in a small outer app whose router Hono can
// compile to one regular expression; pages and the API answer from the inner one, unchanged.
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalUser } from "../src/domain/accounts.ts";
import { createTestInstance, type TestInstance } from "./helpers/instance.ts";

let instance: TestInstance;
beforeAll(async () => {
  instance = await createTestInstance();
});
afterAll(() => instance?.close());

describe("root app", () => {
  it("routes ActivityPub and /health with the regular-expression router", async () => {
    expect((await instance.app.request("/health")).status).toBe(200);
    expect(instance.app.router.name).toBe("SmartRouter + RegExpRouter");
  });

  it("passes everything else on to the pages and the API, their 404 and error answers included", async () => {
    const explore = await instance.app.request("/explore");
    expect(explore.status).toBe(200);
    expect(explore.headers.get("content-type")).toMatch(/text\/html/);
    const head = await instance.app.request("/explore", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const api = await instance.app.request("/api/v1/instance");
    expect(await api.json()).toMatchObject({ version: expect.any(String) });
    const unauthorized = await instance.app.request("/api/v1/accounts/verify_credentials");
    expect(unauthorized.status).toBe(401);
    const missing = await instance.app.request("/no/such/page");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "Not found" });
  });

  it("logs every request at info level, cached ActivityPub answers included", async () => {
    const logging = await createTestInstance({ LOG_LEVEL: "info" });
    const records: LogRecord[] = [];
    await configure({
      reset: true,
      sinks: { memory: (r) => records.push(r) },
      loggers: [{ category: ["atelier", "http"], lowestLevel: "info", sinks: ["memory"] }],
    });
    try {
      await createLocalUser(logging.deps.db, logging.deps.urls, {
        username: "nina",
        password: "nina-password",
        displayName: "Nina",
      });
      const ap = { headers: { accept: "application/activity+json" } };
      expect((await logging.app.request("/users/nina", ap)).status).toBe(200);
      expect((await logging.app.request("/users/nina", ap)).status).toBe(200); // from the cache
      await logging.app.request("/health");
      await logging.app.request("/no/such/page");
      // A sender whose connection breaks mid-body: the front handler itself fails, and the request is
      // still logged, with the 500 it gets.
      const broken = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.error(new Error("connection reset"));
        },
      });
      const failed = await logging.app.request("/users/nina/inbox", {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: broken,
        duplex: "half",
      } as RequestInit);
      expect(failed.status).toBe(500);
      // An instance started with LOG_LEVEL=error (as the shared one is) keeps no request log.
      await instance.app.request("/health");
    } finally {
      await reset();
      await logging.close();
    }
    const lines = records
      .filter((r) => r.properties.status !== undefined)
      .map((r) => `${r.properties.method} ${r.properties.path} ${r.properties.status}`);
    expect(lines).toEqual([
      "GET /users/nina 200",
      "GET /users/nina 200",
      "GET /health 200",
      "GET /no/such/page 404",
      "POST /users/nina/inbox 500",
    ]);
  });

  it("still answers routes added to it after it was made", async () => {
    const fresh = await createTestInstance();
    try {
      fresh.app.get("/added-later", (c) => c.text("here"));
      expect(await (await fresh.app.request("/added-later")).text()).toBe("here");
    } finally {
      await fresh.close();
    }
  });
});
