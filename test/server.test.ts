import { request } from "node:http";
import { count } from "drizzle-orm";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { closeStore } from "../src/db/dialect.ts";
import { newId } from "../src/db/ids.ts";
import { domainBlocks } from "../src/db/schema/index.ts";
import { countLocalUsers } from "../src/domain/accounts.ts";
import { startServer } from "../src/server.ts";
import {
  createTestInstance,
  freePort,
  newStoreVariables,
  serveTestInstance,
  tempDir,
} from "./helpers/instance.ts";
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
    const url = instance.config.databaseUrl;
    if (url === undefined) {
      await closeStore(instance.deps.db);
    } else {
      // PostgreSQL: the server refuses the database and ends its sessions, as when it goes away (the
      // pool, which the instance's listeners hold connections of, is left to the instance to close).
      await refuseConnections(url, true);
      cleanups.push(() => refuseConnections(url, false));
    }
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
      await instance.deps.db
        .insert(domainBlocks)
        .values({ domain: "slow.example", blockId: newId() });
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
    expect(await instance.deps.db.select({ n: count() }).from(domainBlocks)).toEqual([{ n: 1 }]);
  });
});

describe("npm start", () => {
  it("prints the first admin's password once, serves /health and stops cleanly on SIGTERM", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const port = await freePort();
    // On the run's store: a database of its own when the suite runs on PostgreSQL.
    const env = { ...newStoreVariables(dir.path), PORT: String(port), LOG_LEVEL: "info" };
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

    const instance = await createTestInstance(env);
    expect(await countLocalUsers(instance.deps.db)).toBe(1);
    await instance.deps.close();
  });

  it("exits with code 2 naming PORT when PORT is not a number", async () => {
    const result = await runScript("src/main.ts", [], { PORT: "abc" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT: must be a whole number/);
  });
});

/** Makes the PostgreSQL server refuse (or accept again) connections to the database at `url`. */
async function refuseConnections(url: string, refuse: boolean): Promise<void> {
  const database = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`alter database "${database}" allow_connections ${!refuse}`);
    if (refuse) {
      await client.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1",
        [database],
      );
    }
  } finally {
    await client.end();
  }
}
