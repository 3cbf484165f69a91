// Polls across two real instances on loopback, through each one's client API (masto.js): A's alice posts
// a poll as a Question, B's bob (a follower) votes through B's API, the vote arrives on A as a Note named
// after the option and is counted (not stored as a status), A's Update of the Question brings another
// voter's count back to B without marking the status edited, and at the end both instances notify.
import { eq } from "drizzle-orm";
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollVotes, statuses } from "../../src/db/schema/index.ts";
import { localUser } from "../helpers/factories.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";

let shift = 0;
const now = () => new Date(Date.now() + shift);

let a: FederatedInstance;
let b: FederatedInstance;
let alice: mastodon.rest.Client;
let carol: mastodon.rest.Client;
let bob: mastodon.rest.Client;

beforeAll(async () => {
  [a, b] = await Promise.all([
    startFederatedInstance({ deps: { now } }),
    startFederatedInstance({ deps: { now } }),
  ]);
  alice = createRestAPIClient({ url: a.url, accessToken: (await localUser(a, "alice")).token });
  carol = createRestAPIClient({ url: a.url, accessToken: (await localUser(a, "carol")).token });
  bob = createRestAPIClient({ url: b.url, accessToken: (await localUser(b, "bob")).token });
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("polls between two instances", () => {
  it("federates a poll, a remote vote, the counts and the end", async () => {
    const handle = `@alice@127.0.0.1:${a.port}`;
    const found = await bob.v2.search.list({ q: handle, resolve: true, type: "accounts" });
    const aliceOnB = found.accounts[0]!;
    await bob.v1.accounts.$select(aliceOnB.id).follow();
    await waitFor("the follow accepted", async () => {
      const [r] = await bob.v1.accounts.relationships.fetch({ id: [aliceOnB.id] });
      return r?.following === true;
    });

    const posted = await alice.v1.statuses.create({
      status: "Which light for the harbour?",
      poll: { options: ["Green", "Red", "White"], expiresIn: 600 },
    });
    // A serves it as Mastodon's Question.
    const served = await fetch(posted.uri, { headers: { Accept: "application/activity+json" } });
    const question = (await served.json()) as Record<string, unknown>;
    expect(question.type).toBe("Question");
    expect(Date.parse(question.endTime as string)).toBe(Date.parse(posted.poll!.expiresAt!));
    expect(question.votersCount).toBe(0);
    expect(question.oneOf).toEqual([
      { type: "Note", name: "Green", replies: { type: "Collection", totalItems: 0 } },
      { type: "Note", name: "Red", replies: { type: "Collection", totalItems: 0 } },
      { type: "Note", name: "White", replies: { type: "Collection", totalItems: 0 } },
    ]);

    const onB = await waitFor("the poll on B", async () => {
      const home = await bob.v1.timelines.home.list({ limit: 5 });
      return home.find((s) => s.uri === posted.uri);
    });
    expect(onB.poll!.options.map((o) => o.title)).toEqual(["Green", "Red", "White"]);
    expect(onB.poll!.voted).toBe(false);

    // Bob votes through B's API; B shows it at once.
    const voted = await bob.v1.polls.$select(onB.id).votes.create({ choices: [1] });
    expect(voted.ownVotes).toEqual([1]);
    expect(voted.options[1]!.votesCount).toBe(1);

    // A counts it from the vote Note, and stores no status for it.
    await waitFor("bob's vote counted on A", async () => {
      const poll = await alice.v1.polls.$select(posted.id).fetch();
      return poll.votesCount === 1 && poll.options[1]!.votesCount === 1;
    });
    expect((await alice.v1.polls.$select(posted.id).fetch()).votersCount).toBe(1);
    expect((await a.deps.db.select().from(statuses)).map((s) => s.id)).toEqual([posted.id]);
    const remoteVote = (
      await a.deps.db.select().from(pollVotes).where(eq(pollVotes.statusId, posted.id)).limit(1)
    )[0];
    expect(remoteVote?.iri).toMatch(new RegExp(`^${b.url}/users/bob#votes/`));

    // Carol votes on A: the Update of the Question brings both votes to B.
    await carol.v1.polls.$select(posted.id).votes.create({ choices: [0] });
    const updated = await waitFor("A's Update on B", async () => {
      const poll = await bob.v1.polls.$select(onB.id).fetch();
      return poll.votesCount === 2 ? poll : undefined;
    });
    expect(updated.options.map((o) => o.votesCount)).toEqual([1, 1, 0]);
    expect(updated.votersCount).toBe(2);
    expect(updated.ownVotes).toEqual([1]);
    // New counts are no edit.
    expect((await bob.v1.statuses.$select(onB.id).fetch()).editedAt).toBeNull();

    // The end: both instances notify their own people.
    shift = 11 * 60_000;
    expect(await a.deps.polls.closeDue()).toBe(1);
    expect(await b.deps.polls.closeDue()).toBe(1);
    const ended = async (client: mastodon.rest.Client) =>
      (await client.v1.notifications.list({ types: ["poll"] })).map((n) => n.type);
    expect(await ended(alice)).toEqual(["poll"]);
    expect(await ended(carol)).toEqual(["poll"]);
    expect(await ended(bob)).toEqual(["poll"]);
    expect((await bob.v1.polls.$select(onB.id).fetch()).expired).toBe(true);
  }, 60_000);
});
