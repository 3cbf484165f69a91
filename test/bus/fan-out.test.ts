// Two processes of one instance (their deps, in this test process) sharing one store (a SQLite data dir,
// or with ATELIER_TEST_STORE=postgres one PostgreSQL database) and one Redis: streaming events and actor-cache invalidations cross between them over the bus, and a web
// process wakes the dispatching one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachWebSocketStreaming } from "../../src/api/index.ts";
import { createApp } from "../../src/app.ts";
import { createDeps, type Deps } from "../../src/deps.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { call, localUser } from "../helpers/factories.ts";
import { freePort, newStoreVariables, tempDir, testConfig } from "../helpers/instance.ts";
import { startRedis, type TestServer } from "../helpers/servers.ts";
import { collectSse, until } from "../helpers/sse.ts";

interface Process {
  deps: Deps;
  app: ReturnType<typeof createApp>;
  server: RunningServer;
  url: string;
}

let redis: TestServer;
const dir = tempDir();
let a: Process;
let b: Process;
let token: string;
const streams: AbortController[] = [];

async function serve(env: Record<string, string>): Promise<Process> {
  const port = await freePort();
  const deps = await createDeps(testConfig({ ...env, PORT: String(port), HOST: "127.0.0.1" }));
  const app = createApp(deps);
  const server = await startServer({
    app,
    port,
    hostname: "127.0.0.1",
    onClosed: () => deps.close(),
    attach: attachWebSocketStreaming(deps),
  });
  await deps.start();
  return { deps, app, server, url: `http://127.0.0.1:${port}` };
}

async function openStream(p: Process, path: string) {
  const controller = new AbortController();
  streams.push(controller);
  const res = await fetch(`${p.url}${path}`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  return collectSse(res);
}

beforeAll(async () => {
  redis = await startRedis();
  // One instance behind a proxy: both processes have its origin, each its own port.
  const env = {
    ...newStoreVariables(dir.path),
    ORIGIN: "https://atelier.test",
    REDIS_URL: redis.url,
  };
  a = await serve({ ...env, ROLE: "all" });
  b = await serve({ ...env, ROLE: "web" });
  // Only a wake-up over the bus may now make A dispatch what B records (its own look is an hour away).
  a.deps.events.poll(3_600_000);
  ({ token } = await localUser(a.deps, "alice"));
}, 60_000);

afterAll(async () => {
  for (const s of streams) s.abort();
  await b?.server.stop();
  await a?.server.stop();
  await redis?.stop();
  dir.remove();
});

describe("two processes sharing one store and Redis", () => {
  it("shows a status posted on A on a stream opened on B, and one posted on B on both", async () => {
    const onB = await openStream(b, "/api/v1/streaming/user");
    const onA = await openStream(a, "/api/v1/streaming/user");
    const fromA = await call(a, "POST", "/api/v1/statuses", { token, body: { status: "from A" } });
    expect(fromA.status).toBe(200);
    await until(() => onB.some((e) => e.event === "update" && e.data.includes(fromA.json.id)));
    await until(() => onA.some((e) => e.event === "update" && e.data.includes(fromA.json.id)));

    // B records the event and wakes A, the dispatching process, which fans it out to both.
    const fromB = await call(b, "POST", "/api/v1/statuses", { token, body: { status: "from B" } });
    expect(fromB.status).toBe(200);
    await until(() => onA.some((e) => e.event === "update" && e.data.includes(fromB.json.id)));
    await until(() => onB.some((e) => e.event === "update" && e.data.includes(fromB.json.id)));
    expect(onB.filter((e) => e.event === "update")).toHaveLength(2);
  });

  it("drops B's cached actor document when the account changes on A", async () => {
    const fetchActor = () =>
      fetch(`${b.url}/users/alice`, { headers: { Accept: "application/activity+json" } });
    expect((await fetchActor()).status).toBe(200);
    expect(b.deps.federation.actorCache.size).toBe(1);
    const updated = await call(a, "PATCH", "/api/v1/accounts/update_credentials", {
      token,
      body: { display_name: "Alice Again" },
    });
    expect(updated.status).toBe(200);
    // The entry is removed by the bus message, not found stale on the next fetch.
    await until(() => b.deps.federation.actorCache.size === 0);
    const actor = (await (await fetchActor()).json()) as { name: string };
    expect(actor.name).toBe("Alice Again");
  });
});
