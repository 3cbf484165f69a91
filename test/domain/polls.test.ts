// The end-of-poll job across a restart (a poll that ended while the server was stopped is announced at
// start, once), and remote votes on our polls: one per actor and option, only for existing options of an
// open poll the actor may see, never a status.
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.ts";
import { notifications, pollVotes, statuses } from "../../src/db/schema/index.ts";
import { createDeps, type Deps } from "../../src/deps.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { receiveRemoteVote } from "../../src/domain/polls.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { remoteAccount } from "../helpers/factories.ts";
import { type TestInstance, tempDir, testConfig } from "../helpers/instance.ts";

const MINUTE = 60_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let shift = 0;
const now = () => new Date(Date.now() + shift);

async function setUp(): Promise<{ config: Config; deps: Deps; aliceId: string }> {
  shift = 0;
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const config = testConfig({ DATA_DIR: dir.path });
  const deps = await createDeps(config, { now, measureRemoteMedia: false });
  cleanups.push(() => deps.close());
  const { account } = await createLocalUser(deps.db, deps.urls, {
    username: "alice",
    password: "alice-password",
  });
  return { config, deps, aliceId: account.id };
}

const pollNotifications = async (deps: Deps) =>
  await deps.db.select().from(notifications).where(eq(notifications.type, "poll"));

describe("the end of polls", () => {
  it("announces a poll that ended while the server was stopped at the next start, once", async () => {
    const first = await setUp();
    const status = await publishStatus(first.deps, first.aliceId, {
      text: "Quick question",
      poll: { options: ["Yes", "No"], expiresIn: 300 },
    });
    await first.deps.close();

    // Ten minutes later the server starts again on the same data.
    shift = 10 * MINUTE;
    const deps = await createDeps(first.config, { now, measureRemoteMedia: false });
    cleanups.push(() => deps.close());
    await deps.start();
    const [ended] = await pollNotifications(deps);
    expect(ended).toMatchObject({ accountId: first.aliceId, statusId: status.id });
    expect(await deps.polls.closeDue()).toBe(0);
    expect(await pollNotifications(deps)).toHaveLength(1);
  });
});

describe("remote votes on our polls", () => {
  it("counts one vote per actor and option, only for existing options, and never after the end", async () => {
    const { deps, aliceId } = await setUp();
    const poll = await publishStatus(deps, aliceId, {
      text: "Pick",
      poll: { options: ["A", "B"], expiresIn: 600 },
    });
    const multi = await publishStatus(deps, aliceId, {
      text: "Pick many",
      poll: { options: ["A", "B"], expiresIn: 600, multiple: true },
    });
    // remoteAccount reads only the instance's deps.
    const instance = { deps } as unknown as TestInstance;
    const zoe = await remoteAccount(instance, "zoe");
    const yan = await remoteAccount(instance, "yan");
    const vote = async (status: typeof poll, voter: typeof zoe, title: string, n: number) =>
      await receiveRemoteVote(deps.db, voter, status, title, `${voter.iri}#votes/${n}`, now());

    expect(await vote(poll, zoe, "B", 1)).toBe(true);
    expect(await vote(poll, zoe, "A", 2)).toBe(false); // single choice: one vote per actor
    expect(await vote(poll, zoe, "B", 3)).toBe(false);
    expect(await vote(poll, yan, "C", 4)).toBe(false); // no such option
    expect(await vote(multi, zoe, "A", 5)).toBe(true);
    expect(await vote(multi, zoe, "B", 6)).toBe(true);
    expect(await vote(multi, zoe, "B", 7)).toBe(false); // one per option
    const stored = async (id: string) =>
      (await deps.db.select().from(statuses).where(eq(statuses.id, id)).limit(1))[0]!.poll!;
    expect((await stored(poll.id)).options.map((o) => o.votesCount)).toEqual([0, 1]);
    expect((await stored(poll.id)).votersCount).toBe(1);
    expect((await stored(multi.id)).options.map((o) => o.votesCount)).toEqual([1, 1]);
    expect((await stored(multi.id)).votersCount).toBe(1);

    shift = 11 * MINUTE;
    expect(await vote(poll, yan, "A", 8)).toBe(false); // ended
    expect(
      await deps.db
        .select()
        .from(pollVotes)
        .where(and(eq(pollVotes.statusId, poll.id), eq(pollVotes.accountId, yan.id))),
    ).toEqual([]);
    // Votes are no statuses.
    expect(await deps.db.select().from(statuses)).toHaveLength(2);
  });
});
