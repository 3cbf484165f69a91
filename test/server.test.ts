import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { countLocalUsers } from "../src/domain/accounts.ts";
import { startServer } from "../src/server.ts";
import { createTestInstance, freePort, serveTestInstance, tempDir } from "./helpers/instance.ts";
import { runScript, startScript } from "./helpers/process.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("HTTP server", () => {
  it("answers /health with the version and the database state", async () => {
    const instance = await serveTestInstance();
    cleanups.push(() => instance.close());
    const res = await fetch(`${instance.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok", version: "0.1.0" });
  });

  it("answers 503 from /health when the database is gone", async () => {
    const instance = await createTestInstance();
    cleanups.push(() => instance.close());
    instance.deps.db.$client.close();
    const res = await instance.app.request("/health");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ database: "unavailable" });
  });

  it("finishes an in-flight request before closing the database on shutdown", async () => {
    const instance = await createTestInstance();
    cleanups.push(() => instance.close());
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    // A slow write: the response must still commit and arrive although shutdown began meanwhile.
    instance.app.post("/slow", async (c) => {
      entered();
      await gate;
      instance.deps.db.$client
        .prepare("insert into domain_blocks (domain) values ('slow.example')")
        .run();
      return c.json({ done: true });
    });
    const port = await freePort();
    const events: string[] = [];
    const running = await startServer({
      app: instance.app,
      port,
      hostname: "127.0.0.1",
      onClosed: () => {
        events.push("closed");
      },
    });
    const response = fetch(`http://127.0.0.1:${port}/slow`, { method: "POST" }).then(async (r) => {
      events.push("response");
      return { status: r.status, body: await r.json() };
    });
    await inside;
    const stopped = running.stop();
    // New connections are refused while the old request is still running.
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    release();
    expect(await response).toEqual({ status: 200, body: { done: true } });
    await stopped;
    expect(events).toEqual(["response", "closed"]);
    expect(
      instance.deps.db.$client.prepare("select count(*) from domain_blocks").pluck().get(),
    ).toBe(1);
  });
});

describe("npm start", () => {
  it("prints the first admin's password once, serves /health and stops cleanly on SIGTERM", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const port = await freePort();
    const env = { DATA_DIR: dir.path, PORT: String(port), LOG_LEVEL: "info" };
    const first = await startScript("src/main.ts", env, /listening on/);
    expect(first.output()).toMatch(/username: admin\n\s+password: \S{16,}/);
    const health = await new Promise<number | undefined>((resolve, reject) => {
      request(`http://127.0.0.1:${port}/health`, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on("error", reject)
        .end();
    });
    expect(health).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("Stopped cleanly");

    // A second start finds the admin and prints no password.
    const second = await startScript("src/main.ts", env, /listening on/);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    expect(second.output()).not.toContain("password:");

    const instance = await createTestInstance({ DATA_DIR: dir.path });
    expect(await countLocalUsers(instance.deps.db)).toBe(1);
    await instance.deps.close();
  });

  it("exits with code 2 naming PORT when PORT is not a number", async () => {
    const result = await runScript("src/main.ts", [], { PORT: "abc" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT: must be a whole number/);
  });
});
