// Emoji reactions between two real Atelier instances on loopback: a user on A reacts to a status of B's
// through Pleroma's API; B stores the EmojiReact (the count on the status, the author's notification),
// then A takes it back and B's count drops with the Undo.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishStatus } from "../../src/domain/statuses.ts";
import { call, localUser } from "../helpers/factories.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";

let a: FederatedInstance;
let b: FederatedInstance;
let aliceToken: string;
let bobToken: string;
let bobId: string;

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
  aliceToken = (await localUser(a, "alice")).token;
  const bob = await localUser(b, "bob");
  bobToken = bob.token;
  bobId = bob.account.id;
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("emoji reactions between two instances", () => {
  it("a reaction from A is counted and notified on B, and its Undo takes it back", async () => {
    expect.hasAssertions();
    const post = await publishStatus(b.deps, bobId, { text: "A lighthouse in the fog" });
    const found = await call(
      a,
      "GET",
      `/api/v2/search?q=${encodeURIComponent(post.iri)}&resolve=true&type=statuses`,
      { token: aliceToken },
    );
    const onA = found.json.statuses[0];
    expect(onA.uri).toBe(post.iri);

    const put = await call(a, "PUT", `/api/v1/pleroma/statuses/${onA.id}/reactions/🌊`, {
      token: aliceToken,
    });
    expect(put.json.pleroma.emoji_reactions).toEqual([
      { name: "🌊", count: 1, me: true, url: null },
    ]);
    await a.deps.events.drain();

    const reactionsOnB = async () =>
      (await call(b, "GET", `/api/v1/statuses/${post.id}`, { token: bobToken })).json.pleroma
        .emoji_reactions;
    const counted = await waitFor("the reaction on B", async () => (await reactionsOnB())[0]);
    expect(counted).toEqual({ name: "🌊", count: 1, me: false, url: null });
    const notes = await call(b, "GET", "/api/v1/notifications?types[]=pleroma:emoji_reaction", {
      token: bobToken,
    });
    expect(notes.json).toHaveLength(1);
    expect(notes.json[0]).toMatchObject({
      type: "pleroma:emoji_reaction",
      emoji: "🌊",
      status: { id: post.id },
      account: { acct: `alice@127.0.0.1:${a.port}` },
    });

    const removed = await call(a, "DELETE", `/api/v1/pleroma/statuses/${onA.id}/reactions/🌊`, {
      token: aliceToken,
    });
    expect(removed.json.pleroma.emoji_reactions).toEqual([]);
    await a.deps.events.drain();
    await waitFor("the Undo on B", async () => (await reactionsOnB()).length === 0);
    expect(await reactionsOnB()).toEqual([]);
  });
});
