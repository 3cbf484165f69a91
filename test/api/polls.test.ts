// Polls through masto.js against a real server: created with a status (JSON and form bodies), Mastodon's
// limits and their 422s, votes and their errors, real counts, hide_totals, edits that reset votes, polls
// on scheduled statuses, and the end of a poll (notifications to the author and the voters) driven by the
// injectable clock instead of waiting five minutes.
import { createRestAPIClient, type mastodon } from "masto";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  follows,
  notifications,
  pollEndings,
  scheduledStatuses,
  statuses,
} from "../../src/db/schema/index.ts";
import { call, localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

const MINUTE = 60_000;
let shift = 0;
const now = () => new Date(Date.now() + shift);

let instance: ServedInstance;
let alice: mastodon.rest.Client;
let bob: mastodon.rest.Client;
let carol: mastodon.rest.Client;
let aliceToken: string;
let bobToken: string;
let aliceId: string;

beforeAll(async () => {
  instance = await serveTestInstance({}, { now });
  const a = await localUser(instance, "alice");
  const b = await localUser(instance, "bob");
  const c = await localUser(instance, "carol");
  aliceId = a.account.id;
  aliceToken = a.token;
  bobToken = b.token;
  alice = createRestAPIClient({ url: instance.url, accessToken: a.token });
  bob = createRestAPIClient({ url: instance.url, accessToken: b.token });
  carol = createRestAPIClient({ url: instance.url, accessToken: c.token });
});
afterAll(() => instance.close());
beforeEach(async () => {
  shift = 0;
  await instance.deps.db.delete(statuses);
  await instance.deps.db.delete(notifications);
  await instance.deps.db.delete(scheduledStatuses);
  await instance.deps.db.delete(follows);
});

const ask = (options: string[], extra: Partial<mastodon.rest.v1.CreateStatusParams["poll"]> = {}) =>
  alice.v1.statuses.create({
    status: "Which colour for the lighthouse?",
    poll: { options, expiresIn: 3600, ...extra },
  });

/** The raw JSON of a poll as `token` sees it, checked against Mastodon's entity. */
async function rawPoll(id: string, token?: string) {
  const res = await call(instance, "GET", `/api/v1/polls/${id}`, token ? { token } : {});
  expect(res.status).toBe(200);
  return E.expectEntity(E.Poll, res.json);
}

describe("polls", () => {
  it("are created with a status, shown on it and fetched by id; the instance says the limits", async () => {
    const status = await ask(["Red", "White", "Blue"]);
    expect(status.poll).not.toBeNull();
    const poll = status.poll!;
    expect(poll.id).toBe(status.id);
    expect(poll.options).toEqual([
      { title: "Red", votesCount: 0 },
      { title: "White", votesCount: 0 },
      { title: "Blue", votesCount: 0 },
    ]);
    expect(poll.multiple).toBe(false);
    expect(poll.expired).toBe(false);
    expect(poll.votesCount).toBe(0);
    expect(poll.votersCount).toBe(0);
    // expires_in counts from publication.
    const ends = Date.parse(poll.expiresAt!) - Date.parse(status.createdAt);
    expect(Math.abs(ends - 3_600_000)).toBeLessThan(2000);
    // The author has "voted" (Mastodon lets apps show the results to the author).
    expect(poll.voted).toBe(true);
    expect(poll.ownVotes).toEqual([]);

    const raw = await call(instance, "GET", `/api/v1/statuses/${status.id}`, { token: bobToken });
    E.expectEntity(E.Status, raw.json);
    expect(raw.json.poll.voted).toBe(false);
    // Anonymous: no voted/own_votes, as Mastodon.
    const anonymous = await rawPoll(status.id);
    expect(anonymous.voted).toBeUndefined();
    expect((await bob.v1.polls.$select(status.id).fetch()).options.map((o) => o.title)).toEqual([
      "Red",
      "White",
      "Blue",
    ]);

    const v1 = await alice.v1.instance.fetch();
    const v2 = await alice.v2.instance.fetch();
    for (const polls of [v1.configuration.polls, v2.configuration.polls]) {
      expect(polls).toEqual({
        maxOptions: 4,
        maxCharactersPerOption: 50,
        minExpiration: 300,
        maxExpiration: 2_629_746,
      });
    }
  });

  it("takes form-encoded poll[options][] parameters as Mastodon's apps send them", async () => {
    const body = new URLSearchParams();
    body.append("status", "Form poll");
    body.append("poll[options][]", "Yes");
    body.append("poll[options][]", "No");
    body.append("poll[expires_in]", "300");
    body.append("poll[multiple]", "true");
    body.append("poll[hide_totals]", "1");
    const res = await fetch(`${instance.url}/api/v1/statuses`, {
      method: "POST",
      headers: { Authorization: `Bearer ${aliceToken}` },
      body,
    });
    expect(res.status).toBe(200);
    const status = E.expectEntity(E.Status, await res.json());
    expect(status.poll).toMatchObject({
      multiple: true,
      options: [{ title: "Yes" }, { title: "No" }],
    });

    const multipart = new FormData();
    multipart.append("status", "Multipart poll");
    multipart.append("poll[options][]", "Up");
    multipart.append("poll[options][]", "Down");
    multipart.append("poll[expires_in]", "600");
    const res2 = await fetch(`${instance.url}/api/v1/statuses`, {
      method: "POST",
      headers: { Authorization: `Bearer ${aliceToken}` },
      body: multipart,
    });
    expect(res2.status).toBe(200);
    expect(((await res2.json()) as { poll: { options: unknown[] } }).poll.options).toHaveLength(2);
  });

  it("refuses polls outside Mastodon's limits, and a poll with images, with 422", async () => {
    const refused = async (poll: unknown, extra: Record<string, unknown> = {}) => {
      const res = await call(instance, "POST", "/api/v1/statuses", {
        token: aliceToken,
        body: { status: "A poll", poll, ...extra },
      });
      expect(res.status, JSON.stringify(res.json)).toBe(422);
      expect(typeof res.json.error).toBe("string");
    };
    await refused({ options: ["Only one"], expires_in: 3600 });
    await refused({ options: ["a", "b", "c", "d", "e"], expires_in: 3600 });
    await refused({ options: ["a", "x".repeat(51)], expires_in: 3600 });
    await refused({ options: ["a", "a"], expires_in: 3600 });
    await refused({ options: ["a", "b"], expires_in: 299 });
    await refused({ options: ["a", "b"], expires_in: 2_629_747 });
    await refused({ options: ["a", "b"] });
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#abc" } })
      .png()
      .toBuffer();
    const image = await instance.deps.media.ingest(aliceId, png, { description: "x" });
    await refused({ options: ["a", "b"], expires_in: 3600 }, { media_ids: [image.id] });
    // Exactly at the limits is fine.
    const ok = await call(instance, "POST", "/api/v1/statuses", {
      token: aliceToken,
      body: {
        status: "Edge",
        poll: { options: ["a", "b", "c", "x".repeat(50)], expires_in: 2_629_746 },
      },
    });
    expect(ok.status).toBe(200);
    // Nothing half-written by the refusals.
    expect(await instance.deps.db.select().from(statuses)).toHaveLength(1);
  });

  it("counts votes for real and refuses a second, an out-of-range, a double and one's own vote", async () => {
    const status = await ask(["Red", "White", "Blue"]);
    const voted = await bob.v1.polls.$select(status.id).votes.create({ choices: [1] });
    expect(voted.voted).toBe(true);
    expect(voted.ownVotes).toEqual([1]);
    expect(voted.options.map((o) => o.votesCount)).toEqual([0, 1, 0]);
    expect(voted.votesCount).toBe(1);
    expect(voted.votersCount).toBe(1);
    await carol.v1.polls.$select(status.id).votes.create({ choices: [1] });

    const seen = await alice.v1.statuses.$select(status.id).fetch();
    expect(seen.poll!.options.map((o) => o.votesCount)).toEqual([0, 2, 0]);
    expect(seen.poll!.votersCount).toBe(2);

    const vote = (token: string, choices: unknown) =>
      call(instance, "POST", `/api/v1/polls/${status.id}/votes`, { token, body: { choices } });
    expect((await vote(bobToken, [0])).status).toBe(422); // already voted
    expect((await vote(aliceToken, [0])).status).toBe(422); // own poll
    const dave = await localUser(instance, "dave");
    expect((await vote(dave.token, [3])).status).toBe(422); // no such option
    expect((await vote(dave.token, [0, 2])).status).toBe(422); // several on a single-choice poll
    expect((await vote(dave.token, [])).status).toBe(422);
    expect((await vote(dave.token, ["x"])).status).toBe(422);
    expect((await vote(dave.token, [2])).status).toBe(200);
    expect((await rawPoll(status.id, dave.token)).own_votes).toEqual([2]);
    expect(
      (
        await call(instance, "POST", "/api/v1/polls/1/votes", {
          token: dave.token,
          body: { choices: [0] },
        })
      ).status,
    ).toBe(404);
  });

  it("counts voters once on a multiple-choice poll", async () => {
    const status = await ask(["A", "B", "C"], { multiple: true });
    await bob.v1.polls.$select(status.id).votes.create({ choices: [0, 2] });
    const poll = await carol.v1.polls.$select(status.id).votes.create({ choices: [2] });
    expect(poll.options.map((o) => o.votesCount)).toEqual([1, 0, 2]);
    expect(poll.votesCount).toBe(3);
    expect(poll.votersCount).toBe(2);
    expect(poll.ownVotes).toEqual([2]);
  });

  it("answers 404 for the poll of a status the caller may not see", async () => {
    const hidden = await alice.v1.statuses.create({
      status: "Followers only",
      visibility: "private",
      poll: { options: ["a", "b"], expiresIn: 3600 },
    });
    const res = await call(instance, "GET", `/api/v1/polls/${hidden.id}`, { token: bobToken });
    expect(res.status).toBe(404);
    const vote = await call(instance, "POST", `/api/v1/polls/${hidden.id}/votes`, {
      token: bobToken,
      body: { choices: [0] },
    });
    expect(vote.status).toBe(404);
    expect((await alice.v1.polls.$select(hidden.id).fetch()).id).toBe(hidden.id);
  });

  it("hides the totals until the end, except from the author", async () => {
    const status = await ask(["Yes", "No"], { hideTotals: true, expiresIn: 300 });
    await bob.v1.polls.$select(status.id).votes.create({ choices: [0] });
    const forBob = await rawPoll(status.id, bobToken);
    expect(forBob.options.map((o) => o.votes_count)).toEqual([null, null]);
    expect(forBob.own_votes).toEqual([0]);
    const forAlice = await rawPoll(status.id, aliceToken);
    expect(forAlice.options.map((o) => o.votes_count)).toEqual([1, 0]);
    shift = 6 * MINUTE;
    const after = await rawPoll(status.id, bobToken);
    expect(after.expired).toBe(true);
    expect(after.options.map((o) => o.votes_count)).toEqual([1, 0]);
  });

  it("notifies the author and every voter when the poll ends, once, and then takes no vote", async () => {
    const status = await ask(["Sea", "Sky"], { expiresIn: 300 });
    await bob.v1.polls.$select(status.id).votes.create({ choices: [1] });
    expect(await instance.deps.polls.closeDue()).toBe(0);
    shift = 5 * MINUTE + 1000;
    expect(await instance.deps.polls.closeDue()).toBe(1);
    expect(await instance.deps.polls.closeDue()).toBe(0);
    expect(await instance.deps.db.select().from(pollEndings)).toEqual([]);

    for (const client of [alice, bob]) {
      const list = await client.v1.notifications.list({ types: ["poll"] });
      expect(list.map((n) => [n.type, n.status?.id, n.account.id])).toEqual([
        ["poll", status.id, aliceId],
      ]);
      expect(list[0]!.status!.poll!.expired).toBe(true);
    }
    // Carol did not vote: nothing for her.
    expect(await carol.v1.notifications.list({ types: ["poll"] })).toEqual([]);
    const late = await call(instance, "POST", `/api/v1/polls/${status.id}/votes`, {
      token: (await localUser(instance, "erin")).token,
      body: { choices: [0] },
    });
    expect(late.status).toBe(422);
    expect(late.json.error).toMatch(/ended/);
  });

  it("keeps votes when an edit leaves the options alone and resets them when it changes them", async () => {
    const status = await ask(["Left", "Right"]);
    await bob.v1.polls.$select(status.id).votes.create({ choices: [0] });
    const kept = await alice.v1.statuses.$select(status.id).update({
      status: "Which way? (edited)",
      poll: { options: ["Left", "Right"], expiresIn: 7200 },
    });
    expect(kept.poll!.options.map((o) => o.votesCount)).toEqual([1, 0]);
    expect(Date.parse(kept.poll!.expiresAt!)).toBeGreaterThan(Date.parse(status.poll!.expiresAt!));

    const changed = await alice.v1.statuses.$select(status.id).update({
      status: "Which way?",
      poll: { options: ["Left", "Right", "Straight"], expiresIn: 7200 },
    });
    expect(changed.poll!.options.map((o) => o.votesCount)).toEqual([0, 0, 0]);
    expect((await bob.v1.polls.$select(status.id).fetch()).ownVotes).toEqual([]);
    // Bob may vote again on the new options.
    expect((await bob.v1.polls.$select(status.id).votes.create({ choices: [2] })).ownVotes).toEqual(
      [2],
    );

    // As Mastodon, an edit without a poll removes it.
    const removed = await alice.v1.statuses.$select(status.id).update({ status: "No poll now" });
    expect(removed.poll).toBeNull();
    expect(
      (await call(instance, "GET", `/api/v1/polls/${status.id}`, { token: bobToken })).status,
    ).toBe(404);
  });

  it("keeps a scheduled status's poll and creates it at publication", async () => {
    const at = new Date(now().getTime() + 10 * MINUTE).toISOString();
    const scheduled = await alice.v1.statuses.create({
      status: "Later, a question",
      scheduledAt: at,
      poll: { options: ["Now", "Later"], expiresIn: 600, multiple: true },
    });
    expect((scheduled.params as { poll?: unknown }).poll).toMatchObject({
      options: ["Now", "Later"],
      expiresIn: 600,
      multiple: true,
      hideTotals: false,
    });
    shift = 11 * MINUTE;
    expect(await instance.deps.scheduledStatuses.publishDue()).toBe(1);
    const [published] = await alice.v1.accounts.$select(aliceId).statuses.list();
    expect(published!.poll).toMatchObject({
      multiple: true,
      options: [{ title: "Now" }, { title: "Later" }],
    });
    const lasts = Date.parse(published!.poll!.expiresAt!) - Date.parse(published!.createdAt);
    expect(Math.abs(lasts - 600_000)).toBeLessThan(2000);
  });
});
