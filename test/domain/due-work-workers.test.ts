// The durable due-time jobs (scheduled statuses, poll endings) run by two workers on one database at the
// same moment (two deps, two store connections): each row is done once. On PostgreSQL the two run
// concurrently (the row lock decides); SQLite's transactions take turns on the file's write lock, which
// two connections of one process would only wait for, so there they follow each other here and
// test/workers.test.ts races two processes.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { notifications, pollEndings, statuses } from "../../src/db/schema/index.ts";
import { createDeps } from "../../src/deps.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { tempDir, testConfig } from "../helpers/instance.ts";
import { testsOnPostgres } from "../helpers/postgres-store.ts";

const HOUR = 3_600_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function twoWorkers() {
  const dir = tempDir();
  cleanups.push(dir.remove);
  // ROLE=web: neither starts its own timers or dispatcher; the test runs the jobs itself.
  const config = testConfig({ DATA_DIR: dir.path, ROLE: "web" });
  const open = async (now?: () => Date) => {
    const deps = await createDeps(config, { measureRemoteMedia: false, ...(now ? { now } : {}) });
    cleanups.push(() => deps.close());
    return deps;
  };
  const past = await open(() => new Date(Date.now() - HOUR));
  const { account: alice } = await createLocalUser(past.db, past.urls, {
    username: "alice",
    password: "alice-password",
  });
  return { past, first: await open(), second: await open(), aliceId: alice.id };
}

async function both<T>(a: () => Promise<T>, b: () => Promise<T>): Promise<[T, T]> {
  return testsOnPostgres() ? await Promise.all([a(), b()]) : [await a(), await b()];
}

describe("due work with two workers", () => {
  it("publishes a due scheduled status once", async () => {
    const { past, first, second, aliceId } = await twoWorkers();
    for (let i = 0; i < 5; i++) {
      await past.scheduledStatuses.schedule(
        aliceId,
        { text: `scheduled ${i}` },
        new Date(Date.now() - HOUR + (10 + i) * 60_000),
      );
    }
    const [a, b] = await both(
      () => first.scheduledStatuses.publishDue(),
      () => second.scheduledStatuses.publishDue(),
    );
    expect(a + b).toBe(5);
    const published = await first.db.select().from(statuses).where(eq(statuses.accountId, aliceId));
    expect(published.map((s) => s.content).sort()).toEqual(
      [0, 1, 2, 3, 4].map((i) => `<p>scheduled ${i}</p>`),
    );
  });

  it("announces the end of a poll once", async () => {
    const { first, second, aliceId } = await twoWorkers();
    const poll = await publishStatus(first, aliceId, {
      text: "Quick question",
      poll: { options: ["Yes", "No"], expiresIn: 300 },
    });
    await first.db.update(pollEndings).set({ endsAt: new Date(Date.now() - 1000) });
    const [a, b] = await both(
      () => first.polls.closeDue(),
      () => second.polls.closeDue(),
    );
    expect(a + b).toBe(1);
    expect(
      await first.db.select().from(notifications).where(eq(notifications.type, "poll")),
    ).toMatchObject([{ accountId: aliceId, statusId: poll.id }]);
  });
});
