// Process roles: `npm run start:web` and `npm run start:worker` as real child processes sharing one
// store (the SQLite data dir, or under test:postgres a PostgreSQL database). The web process queues
// work and runs none of it (a generation, a link preview's fetch); the worker runs it.
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { closeStore, openStore } from "../src/db/dialect.ts";
import { localUrls } from "../src/domain/local-urls.ts";
import { localUser } from "./helpers/factories.ts";
import { freePort, newStoreVariables, tempDir, testConfig } from "./helpers/instance.ts";
import { startLinkPages } from "./helpers/link-pages.ts";
import { type Started, startScript } from "./helpers/process.ts";
import { pause } from "./helpers/sse.ts";

const started: Started[] = [];
const dirs: { remove: () => void }[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await stop(s.child, s.exited);
  for (const d of dirs.splice(0)) d.remove();
  for (const close of closers.splice(0)) await close();
});

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  return exited;
}

describe("process roles", () => {
  it("runs a generation queued by the web process in the worker, and not in the web process", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    // The account and its token are written before either process starts, into the store they share.
    const store = newStoreVariables(dir.path);
    const db = await openStore(testConfig(store));
    const { token } = await localUser({ db, urls: localUrls(origin) }, "alice");
    await closeStore(db);
    const env = {
      ...store,
      PORT: String(port),
      HOST: "127.0.0.1",
      ORIGIN: origin,
      LOG_LEVEL: "info",
      IMAGE_PROVIDER: "local",
    };
    const web = await startScript("src/main.ts", { ...env, ROLE: "web" }, /listening on/, 30_000);
    started.push(web);
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${origin}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, json: (await res.json()) as { id: string; state: string } };
    };
    const queued = await api("POST", "/api/v1/atelier/generations", {
      prompt: "a lighthouse at dusk",
      size: "1024x1024",
    });
    expect(queued.status).toBe(202);
    expect(queued.json.state).toBe("queued");
    // A single process claims a queued job in the same call that queued it; the web process must not.
    for (let i = 0; i < 3; i++) {
      expect((await api("GET", `/api/v1/atelier/generations/${queued.json.id}`)).json.state).toBe(
        "queued",
      );
    }
    expect(web.output()).not.toMatch(/Generation job .* (succeeded|failed)/);

    const worker = await startScript(
      "src/main.ts",
      { ...env, ROLE: "worker" },
      /worker running/,
      30_000,
    );
    started.push(worker);
    // The worker finds the job by looking (no Redis here, so no wake-up reaches it).
    let state = "queued";
    for (let i = 0; i < 600 && (state === "queued" || state === "running"); i++) {
      await pause(50);
      state = (await api("GET", `/api/v1/atelier/generations/${queued.json.id}`)).json.state;
    }
    expect(state).toBe("succeeded");
    // The worker serves no HTTP: only the web process has the port.
    expect(worker.output()).not.toMatch(/listening on/);

    expect(await stop(worker.child, worker.exited)).toBe(0);
    expect(await stop(web.child, web.exited)).toBe(0);
  }, 90_000);

  it("fetches a link preview in the worker, never in the web process that took the post", async () => {
    const pages = await startLinkPages();
    const dir = tempDir();
    dirs.push(dir);
    closers.push(() => pages.close());
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const store = newStoreVariables(dir.path);
    const db = await openStore(testConfig(store));
    const { token } = await localUser({ db, urls: localUrls(origin) }, "alice");
    await closeStore(db);
    const env = {
      ...store,
      PORT: String(port),
      HOST: "127.0.0.1",
      ORIGIN: origin,
      LOG_LEVEL: "info",
      // The linked page is on loopback.
      FEDERATION_ALLOW_PRIVATE_ADDRESS: "true",
    };
    const web = await startScript("src/main.ts", { ...env, ROLE: "web" }, /listening on/, 30_000);
    started.push(web);
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${origin}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return (await res.json()) as { id: string; card: { title: string } | null };
    };
    const posted = await api("POST", "/api/v1/statuses", { status: `${pages.origin}/article` });
    await pause(1500);
    expect(pages.hits("/article")).toBe(0);
    expect((await api("GET", `/api/v1/statuses/${posted.id}`)).card).toBeNull();
    const worker = await startScript(
      "src/main.ts",
      { ...env, ROLE: "worker" },
      /worker running/,
      30_000,
    );
    started.push(worker);
    let card: { title: string } | null = null;
    for (let i = 0; i < 300 && card === null; i++) {
      await pause(50);
      card = (await api("GET", `/api/v1/statuses/${posted.id}`)).card;
    }
    expect(card?.title).toBe("Lighthouses & Light");
    expect(pages.hits("/article")).toBe(1);
  }, 90_000);

  it("starts a web and a worker process at the same moment on a fresh data dir", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const port = await freePort();
    const env = {
      ...newStoreVariables(dir.path),
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
    };
    // Both apply the migrations at start; they take turns, so neither finds a half-made schema.
    const [web, worker] = await Promise.all([
      startScript("src/main.ts", { ...env, ROLE: "web" }, /listening on/, 30_000),
      startScript("src/main.ts", { ...env, ROLE: "worker" }, /worker running/, 30_000),
    ]);
    started.push(web, worker);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toMatchObject({ status: "ok", database: "ok" });
    // Only the web process makes the first administrator.
    expect(web.output()).toMatch(/username: admin/);
    expect(worker.output()).not.toMatch(/username: admin/);
  }, 60_000);
});
