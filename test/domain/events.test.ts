import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { closeDatabase, openDatabase } from "../../src/db/client.ts";
import { closeStore } from "../../src/db/dialect.ts";
import { domainEvents } from "../../src/db/schema/index.ts";
import { type DomainEvent, EventDispatcher, recordEvent } from "../../src/domain/events.ts";
import { followAccount } from "../../src/domain/follows.ts";
import { localUrls } from "../../src/domain/local-urls.ts";
import { WebEventDispatcher } from "../../src/roles.ts";
import { localUser } from "../helpers/factories.ts";
import { tempDir } from "../helpers/instance.ts";
import { testsOnPostgres } from "../helpers/postgres-store.ts";
import { openTestStore } from "../helpers/store.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  // Newest first: a dispatcher closes before the store it reads.
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("domain events", () => {
  it("are dispatched only after the transaction that recorded them commits", async () => {
    const db = await openTestStore();
    cleanups.push(() => closeStore(db));
    const seen: DomainEvent[] = [];
    const events = new EventDispatcher(db).on("status.published", "test", (e) => {
      seen.push(e);
    });
    await expect(
      async () =>
        await db.transaction(async (tx) => {
          await recordEvent(tx, { type: "status.published", statusId: "rolled-back" });
          throw new Error("abort");
        }),
    ).rejects.toThrow("abort");
    await db.transaction(
      async (tx) => await recordEvent(tx, { type: "status.published", statusId: "1" }),
    );
    await events.drain();
    expect(seen).toEqual([{ type: "status.published", statusId: "1" }]);
    expect(await db.select().from(domainEvents)).toEqual([]);
  });

  it("start their delivery from inside the action: no caller kicks the dispatcher", async () => {
    const db = await openTestStore();
    cleanups.push(() => closeStore(db));
    const urls = localUrls("https://atelier.example");
    const seen: DomainEvent[] = [];
    const events = new EventDispatcher(db).on("follow.requested", "test", (e) => {
      seen.push(e);
    });
    cleanups.push(() => events.close());
    const alice = await localUser({ db, urls }, "alice");
    const bob = await localUser({ db, urls }, "bob");
    const follow = await followAccount(db, urls, alice.account, bob.account);
    // No kick(), no drain(): the event is dispatched on its own, after the commit.
    await vi.waitFor(() =>
      expect(seen).toEqual([{ type: "follow.requested", followId: follow.id }]),
    );
    expect(await db.select().from(domainEvents)).toEqual([]);
  });

  // SQLite's case: another process's connection to the same file (on PostgreSQL, events-workers tests).
  it.skipIf(testsOnPostgres())(
    "recorded by another process are picked up by polling, without a kick",
    async () => {
      const dir = tempDir();
      cleanups.push(dir.remove);
      const path = join(dir.path, "db.sqlite");
      const server = openDatabase(path);
      cleanups.push(() => closeDatabase(server));
      const seen: DomainEvent[] = [];
      const events = new EventDispatcher(server).on("account.updated", "test", (e) => {
        seen.push(e);
      });
      cleanups.push(() => events.close());
      events.poll(20);
      // The CLI's own connection records an event and exits; nothing kicks the server's dispatcher.
      const cli = openDatabase(path, { migrate: false });
      await recordEvent(cli, { type: "account.updated", accountId: "7" });
      closeDatabase(cli);
      const deadline = Date.now() + 5_000;
      while (seen.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(seen).toEqual([{ type: "account.updated", accountId: "7" }]);
      await events.close();
    },
  );

  it.skipIf(testsOnPostgres())("survive a process that died before dispatching them", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const path = join(dir.path, "db.sqlite");
    const first = openDatabase(path);
    await recordEvent(first, { type: "follow.requested", followId: "42" });
    // The process dies here: no dispatcher ever ran.
    first.$client.close();

    const second = openDatabase(path);
    cleanups.push(() => closeDatabase(second));
    const seen: string[] = [];
    await new EventDispatcher(second)
      .on("follow.requested", "test", (e) => {
        seen.push(e.followId);
      })
      .drain();
    expect(seen).toEqual(["42"]);
  });

  it("keep a failed event for a later retry, recording why", async () => {
    const db = await openTestStore();
    cleanups.push(() => closeStore(db));
    let calls = 0;
    const events = new EventDispatcher(db).on("status.published", "flaky", () => {
      calls++;
      throw new Error("peer unreachable");
    });
    await recordEvent(db, { type: "status.published", statusId: "1" });
    await events.drain();
    expect(calls).toBe(1);
    const [row] = await db.select().from(domainEvents);
    expect(row?.attempts).toBe(1);
    expect(row?.lastError).toContain("peer unreachable");
    expect(row?.retryAt?.getTime()).toBeGreaterThan(Date.now());
    await events.close();
  });

  it("wake a web process's worker only once the recording transaction has committed", async () => {
    const db = await openTestStore();
    cleanups.push(() => closeStore(db));
    // What the woken worker finds: the events committed when the wake-up is sent.
    const foundAtWake: number[] = [];
    const events = new WebEventDispatcher(db, () => {
      void db
        .select()
        .from(domainEvents)
        .then((rows) => foundAtWake.push(rows.length));
    });
    cleanups.push(() => events.close());
    await db.transaction(async (tx) => {
      await recordEvent(tx, { type: "status.published", statusId: "1" });
      // A commit slower than a turn of the event loop (a busy PostgreSQL server).
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    await vi.waitFor(() => expect(foundAtWake).toEqual([1]));
  });
});
