// Direct conversations through masto.js against a real server: a direct status joins the conversation
// of each local participant (unread for all but its author), replies among the same people stay in it,
// the list pages by last status through the Link headers, read and remove act on one's own only, a
// direct status received from another server joins too, and the `direct` stream carries the
// `conversation` event.
import { createRestAPIClient, createStreamingAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { receiveRemoteStatus } from "../../src/domain/remote-statuses.ts";
import { call, localUser, remoteAccount } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: ServedInstance;
type User = { account: Account; token: string; client: mastodon.rest.Client };
let alice: User;
let bob: User;
let carol: User;

async function user(name: string): Promise<User> {
  const u = await localUser(instance, name);
  return { ...u, client: createRestAPIClient({ url: instance.url, accessToken: u.token }) };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const direct = (u: User, status: string, inReplyToId?: string) =>
  u.client.v1.statuses.create({
    status,
    visibility: "direct",
    ...(inReplyToId ? { inReplyToId } : {}),
  });

beforeAll(async () => {
  instance = await serveTestInstance();
  alice = await user("alice");
  bob = await user("bob");
  carol = await user("carol");
});
afterAll(() => instance.close());

describe("conversations", () => {
  it("puts a direct status in each participant's conversation, unread for the others", async () => {
    const first = await direct(alice, "@bob @carol a secret");
    const [forBob] = await bob.client.v1.conversations.list();
    expect(forBob?.unread).toBe(true);
    expect(forBob?.lastStatus?.id).toBe(first.id);
    expect(forBob?.accounts.map((a) => a.acct).sort()).toEqual(["alice", "carol"]);
    const [forAlice] = await alice.client.v1.conversations.list();
    expect(forAlice?.unread).toBe(false);
    expect(forAlice?.accounts.map((a) => a.acct).sort()).toEqual(["bob", "carol"]);

    // A reply among the same people stays in the same conversation and becomes its last status.
    const reply = await direct(bob, "@alice @carol agreed", first.id);
    const after = await alice.client.v1.conversations.list();
    expect(after.map((c) => c.id)).toEqual([forAlice?.id]);
    expect(after[0]?.unread).toBe(true);
    expect(after[0]?.lastStatus?.id).toBe(reply.id);
    const [bobs] = await bob.client.v1.conversations.list();
    expect(bobs?.id).toBe(forBob?.id);
    expect(bobs?.unread).toBe(false);

    // The raw entity is Mastodon's Conversation.
    const raw = await call(instance, "GET", "/api/v1/conversations", { token: carol.token });
    expect(raw.status).toBe(200);
    E.expectEntity(E.Conversation, raw.json[0]);

    // Deleting the last status makes the previous one the last again.
    await bob.client.v1.statuses.$select(reply.id).remove();
    const [back] = await alice.client.v1.conversations.list();
    expect(back?.lastStatus?.id).toBe(first.id);

    // A new thread among the same people is a conversation of its own, as on Mastodon.
    const fresh = await direct(carol, "@alice @bob another topic");
    const threads = await alice.client.v1.conversations.list();
    expect(threads.map((c) => c.lastStatus?.id)).toEqual([fresh.id, first.id]);
    expect(threads[0]?.accounts.map((a) => a.acct).sort()).toEqual(["bob", "carol"]);

    // Public statuses start no conversation.
    await alice.client.v1.statuses.create({ status: "@bob in public" });
    expect((await bob.client.v1.conversations.list()).map((c) => c.lastStatus?.id)).toEqual([
      fresh.id,
      first.id,
    ]);
  });

  it("pages by last status through the Link headers", async () => {
    const names = ["p1", "p2", "p3", "p4", "p5"];
    for (const n of names) await user(n);
    const ids: string[] = [];
    for (const n of names) ids.push((await direct(carol, `@${n} hello ${n}`)).id);
    const page1 = await call(instance, "GET", "/api/v1/conversations?limit=2", {
      token: carol.token,
    });
    expect(page1.json.map((c: { last_status: { id: string } }) => c.last_status.id)).toEqual([
      ids[4],
      ids[3],
    ]);
    const next = /<([^>]+)>; rel="next"/.exec(page1.headers.get("link") ?? "")?.[1];
    expect(next).toContain(`max_id=${ids[3]}`);
    const url = new URL(next!);
    const page2 = await call(instance, "GET", `${url.pathname}${url.search}`, {
      token: carol.token,
    });
    expect(page2.json.map((c: { last_status: { id: string } }) => c.last_status.id)).toEqual([
      ids[2],
      ids[1],
    ]);
    const newer = await call(instance, "GET", `/api/v1/conversations?min_id=${ids[2]}&limit=1`, {
      token: carol.token,
    });
    expect(newer.json.map((c: { last_status: { id: string } }) => c.last_status.id)).toEqual([
      ids[3],
    ]);

    // masto.js follows the same links.
    const seen: string[] = [];
    for await (const batch of carol.client.v1.conversations.list({ limit: 2 })) {
      seen.push(...batch.map((c) => c.lastStatus!.id));
      if (seen.length >= 6) break;
    }
    expect(seen.slice(0, 5)).toEqual([...ids].reverse());
  });

  it("marks a conversation read and removes it, only one's own", async () => {
    await direct(alice, "@bob just us");
    const [conversation] = await bob.client.v1.conversations.list();
    expect(conversation?.unread).toBe(true);
    expect(
      (
        await call(instance, "POST", `/api/v1/conversations/${conversation?.id}/read`, {
          token: alice.token,
        })
      ).status,
    ).toBe(404);
    const read = await bob.client.v1.conversations.$select(conversation!.id).read();
    expect(read.unread).toBe(false);
    expect((await bob.client.v1.conversations.list())[0]?.unread).toBe(false);

    expect(
      (
        await call(instance, "DELETE", `/api/v1/conversations/${conversation?.id}`, {
          token: alice.token,
        })
      ).status,
    ).toBe(404);
    await bob.client.v1.conversations.$select(conversation!.id).remove();
    const left = await bob.client.v1.conversations.list();
    expect(left.map((c) => c.id)).not.toContain(conversation?.id);
    // Alice's own view of it stays.
    const alices = await alice.client.v1.conversations.list();
    expect(alices[0]?.accounts.map((a) => a.acct)).toEqual(["bob"]);
    // Removing needs write:conversations.
    const reader = await localUser(instance, "reader", "read");
    expect(
      (
        await call(instance, "DELETE", `/api/v1/conversations/${alices[0]?.id}`, {
          token: reader.token,
        })
      ).status,
    ).toBe(403);
  });

  it("adds a direct status received from another server", async () => {
    const remote = await remoteAccount(instance, "rita");
    const received = await receiveRemoteStatus(instance.deps.db, remote, {
      iri: "https://remote.example/statuses/dm-1",
      url: null,
      objectType: "Note",
      visibility: "direct",
      content: "<p>@alice hi from afar</p>",
      spoilerText: "",
      sensitive: false,
      language: null,
      inReplyToIri: null,
      quoteOfIri: null,
      published: new Date(),
      updated: null,
      attachments: [],
      poll: null,
      mentionIris: [alice.account.iri],
      tags: [],
    });
    const [latest] = await alice.client.v1.conversations.list();
    expect(latest?.lastStatus?.id).toBe(received.id);
    expect(latest?.unread).toBe(true);
    expect(latest?.accounts.map((a) => a.acct)).toEqual(["rita@remote.example"]);
  });

  it("streams the conversation event on the direct stream", async () => {
    const streaming = createStreamingAPIClient({
      streamingApiUrl: instance.url.replace(/^http/, "ws"),
      accessToken: carol.token,
      retry: false,
    });
    const subscription = streaming.direct.subscribe();
    try {
      const received = (async () => {
        for await (const event of subscription) {
          if (event.event === "conversation") return event.payload;
        }
        return undefined;
      })();
      for (let i = 0; i < 40 && instance.deps.streaming.size === 0; i++) await pause(25);
      await pause(100);
      await alice.client.v1.statuses.create({ status: "@carol public, not direct" });
      const posted = await direct(alice, "@carol over the stream");
      const conversation = await received;
      expect(conversation?.lastStatus?.id).toBe(posted.id);
      expect(conversation?.unread).toBe(true);
      expect(conversation?.accounts.map((a) => a.acct)).toEqual(["alice"]);
    } finally {
      subscription.unsubscribe();
      streaming.close();
    }
    // Over SSE, and only for a signed-in user.
    expect((await fetch(`${instance.url}/api/v1/streaming/direct`)).status).toBe(401);
  });
});
