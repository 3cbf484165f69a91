// Federation's start-up (the instance actor, then the queue listener) must survive a database that is
// briefly locked by another process — the CLI, or a bulk import — instead of leaving federation off until
// the next restart, which is what happened before: nothing was delivered and nothing said why but one log line.
import Database from "better-sqlite3";
import { and, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { ensureInstanceActor } from "../../federation/keys.ts";
import { closeStore, openStore } from "../../src/db/dialect.ts";
import { accounts, actorKeys } from "../../src/db/schema/index.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { testsOnPostgres } from "../helpers/postgres-store.ts";

let instance: TestInstance | undefined;
afterEach(async () => {
  await instance?.close();
  instance = undefined;
});

const instanceActor = async (i: TestInstance) =>
  (
    await i.deps.db
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(isNull(accounts.domain), eq(accounts.username, "instance")))
      .limit(1)
  )[0];

// SQLite's single write lock, held by another process, makes our writes fail after busy_timeout; a
// PostgreSQL server has no such lock (a writer waits for the rows it needs), so this is SQLite's case.
describe.skipIf(testsOnPostgres())("federation start-up", () => {
  it("retries when another connection holds the write lock, and starts once it is released", async () => {
    instance = await createTestInstance();
    expect(await instanceActor(instance)).toBeUndefined();
    // Another process's long write: this connection would wait up to busy_timeout, so make that short.
    instance.deps.db.$client.pragma("busy_timeout = 20");
    const other = new Database(instance.config.databasePath);
    other.exec("BEGIN EXCLUSIVE");
    try {
      await instance.deps.federation.start();
      await new Promise((r) => setTimeout(r, 200));
      expect(await instanceActor(instance)).toBeUndefined();
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    const deadline = Date.now() + 10_000;
    while ((await instanceActor(instance)) === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await instanceActor(instance)).toBeDefined();
  });
});

// On a fresh instance the queue's start and the first inbox request both ask for the instance actor, and
// with a web and a worker process two connections do. On PostgreSQL both could read "absent" and insert:
// the loser used to fail, and an inbox delivery answered 500.
describe("the instance actor", () => {
  it("is made once when several connections ask for it at the same moment", async () => {
    instance = await createTestInstance();
    const { db, urls } = instance.deps;
    const others = await Promise.all(
      [1, 2, 3].map(() =>
        openStore({
          databasePath: instance!.config.databasePath,
          databaseUrl: instance!.config.databaseUrl,
        }),
      ),
    );
    try {
      const made = await Promise.all([
        ensureInstanceActor(db, urls),
        ensureInstanceActor(db, urls),
        ...others.map((other) => ensureInstanceActor(other, urls)),
      ]);
      expect(new Set(made.map((a) => a.id)).size).toBe(1);
      const rows = await db
        .select({ id: accounts.id })
        .from(accounts)
        .where(and(isNull(accounts.domain), eq(accounts.username, "instance")));
      expect(rows).toHaveLength(1);
      const keys = await db.select().from(actorKeys).where(eq(actorKeys.accountId, made[0]!.id));
      expect(keys.map((k) => k.algorithm).sort()).toEqual(["Ed25519", "RSASSA-PKCS1-v1_5"]);
    } finally {
      for (const other of others) await closeStore(other);
    }
  });
});
