// Several workers dispatching domain events from one database (ROLE=worker twice, or a worker beside a
// single process), each a dispatcher in a process of its own on the test's store (SQLite file, or
// PostgreSQL under `npm run test:postgres`): every event is dispatched once, each worker's in recording
// order, and the events of a worker killed while holding them are taken over once its lease runs out.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { closeStore, openStore } from "../../src/db/dialect.ts";
import { domainEvents } from "../../src/db/schema/index.ts";
import { EventDispatcher, recordEvent } from "../../src/domain/events.ts";
import { tempDir, testConfig } from "../helpers/instance.ts";
import { root } from "../helpers/process.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freshStore(): Promise<{ db: Database; target: string }> {
  const dir = tempDir();
  cleanups.push(dir.remove);
  const config = testConfig({ DATA_DIR: dir.path });
  const db = await openStore(config);
  cleanups.push(() => closeStore(db));
  return { db, target: config.databaseUrl ?? config.databasePath };
}

interface Child {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  waitFor(line: RegExp): Promise<void>;
}

function startDispatcher(target: string, mode: "drain" | "hang", leaseMs: number, batch: number) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      join(root, "src/preload.ts"),
      join(root, "test/helpers/dispatcher-child.ts"),
      target,
      mode,
      String(leaseMs),
      String(batch),
    ],
    { cwd: root, env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "error" } },
  );
  const lines: string[] = [];
  let rest = "";
  let stderr = "";
  const waiters: (() => void)[] = [];
  child.stdout.on("data", (d) => {
    const parts = (rest + d).split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.on("close", r));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  });
  const waitFor = async (line: RegExp) => {
    const deadline = Date.now() + 30_000;
    while (!lines.some((l) => line.test(l))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no ${line} from the dispatcher child:\n${lines.join("\n")}\n${stderr}`);
      }
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  return { child, lines, exited, waitFor } satisfies Child;
}

const dispatched = (c: Child) =>
  c.lines.filter((l) => l.startsWith("dispatched ")).map((l) => l.slice("dispatched ".length));

async function recordPublished(db: Database, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => String(1000 + i));
  for (const statusId of ids) await recordEvent(db, { type: "status.published", statusId });
  return ids;
}

describe("domain events with several workers", () => {
  it("are each dispatched exactly once by two dispatchers on one database", async () => {
    const { db, target } = await freshStore();
    const ids = await recordPublished(db, 100);
    const workers = [
      startDispatcher(target, "drain", 60_000, 5),
      startDispatcher(target, "drain", 60_000, 5),
    ];
    await Promise.all(workers.map((w) => w.waitFor(/^ready$/)));
    for (const w of workers) w.child.stdin?.write("go\n");
    await Promise.all(workers.map((w) => w.waitFor(/^drained$/)));
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);

    const [first, second] = workers.map(dispatched) as [string[], string[]];
    expect([...first, ...second].sort()).toEqual(ids);
    // Both took part, and each dispatched its events in the order they were recorded.
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    for (const own of [first, second]) expect(own).toEqual([...own].sort());
    expect(await db.select().from(domainEvents)).toEqual([]);
  }, 60_000);

  it("held by a worker that was killed are dispatched by another once its lease runs out", async () => {
    const { db, target } = await freshStore();
    const ids = await recordPublished(db, 3);
    const leaseMs = 3000;
    const doomed = startDispatcher(target, "hang", leaseMs, 10);
    await doomed.waitFor(/^ready$/);
    doomed.child.stdin?.write("go\n");
    await doomed.waitFor(/^claimed /);
    const claimedAt = Date.now();
    doomed.child.kill("SIGKILL");
    await doomed.exited;

    const seen: string[] = [];
    const survivor = new EventDispatcher(db).on("status.published", "test", (e) => {
      seen.push(e.statusId);
    });
    cleanups.push(() => survivor.close());
    await survivor.drain();
    // Still the dead worker's: its lease has not run out yet.
    if (Date.now() - claimedAt < leaseMs) expect(seen).toEqual([]);
    const claims = await db.select().from(domainEvents);
    expect(claims.map((e) => e.claimedBy)).toEqual(ids.map(() => claims[0]?.claimedBy));
    expect(claims[0]?.claimedBy).not.toBe(survivor.claimant);

    const deadline = Date.now() + 20_000;
    while (seen.length < ids.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      await survivor.drain();
    }
    expect(seen).toEqual(ids);
    expect(await db.select().from(domainEvents)).toEqual([]);
  }, 60_000);
});
