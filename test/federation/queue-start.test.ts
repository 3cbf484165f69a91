// Federation's start-up (the instance actor, then the queue listener) must survive a database that is
// briefly locked by another process — the CLI, or a bulk import — instead of leaving federation off until
// the next restart, which is what happened before: nothing was delivered and nothing said why but one log line.
import Database from "better-sqlite3";
import { and, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { accounts } from "../../src/db/schema/index.ts";
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
