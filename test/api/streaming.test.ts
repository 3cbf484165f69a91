// The streaming API against a real server on 127.0.0.1: server-sent events read with fetch, WebSocket
// with the `ws` client and with masto.js's streaming client, fed by statuses posted through the API.

import { eq } from "drizzle-orm";
import { createStreamingAPIClient } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { newId } from "../../src/db/ids.ts";
import { type Account, accounts, blocks, mutes } from "../../src/db/schema/index.ts";
import { call, follow, localUser, notify, status } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: ServedInstance;
let alice: { account: Account; token: string };
let bob: { account: Account; token: string };
let carol: { account: Account; token: string };

beforeAll(async () => {
  instance = await serveTestInstance(
    {},
    { streaming: { heartbeatMs: 150, notificationSweepMs: 100 } },
  );
  alice = await localUser(instance, "alice");
  bob = await localUser(instance, "bob");
  carol = await localUser(instance, "carol");
  await follow(instance, alice.account, bob.account);
});
afterAll(() => instance.close());

interface SseEvent {
  event: string;
  data: string;
}

/** An open SSE connection: collects events and comments, and waits for one that matches. */
async function openSse(path: string, token?: string) {
  const controller = new AbortController();
  const res = await fetch(`${instance.url}${path}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  let comments = 0;
  let buffer = "";
  const waiters: (() => void)[] = [];
  if (res.status === 200 && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let at = buffer.indexOf("\n\n");
          while (at >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            if (block.startsWith(":")) comments++;
            else {
              const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
              const data = /^data: (.*)$/m.exec(block)?.[1] ?? "";
              events.push({ event, data });
            }
            for (const w of waiters.splice(0)) w();
            at = buffer.indexOf("\n\n");
          }
        }
      } catch {}
    })();
  }
  return {
    res,
    events,
    get comments() {
      return comments;
    },
    async next(match: (e: SseEvent) => boolean, timeoutMs = 3000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error("no matching event");
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => controller.abort(),
  };
}

const post = (token: string, body: Record<string, unknown>) =>
  call(instance, "POST", "/api/v1/statuses", { token, body });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("streaming API over server-sent events", () => {
  it("answers the health check", async () => {
    const res = await fetch(`${instance.url}/api/v1/streaming/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("OK");
  });

  it("streams home updates, edits and deletes to followers, visibility-filtered, with heartbeats", async () => {
    const home = await openSse("/api/v1/streaming/user", alice.token);
    const local = await openSse("/api/v1/streaming/public/local");
    const tag = await openSse("/api/v1/streaming/hashtag?tag=Dusk", carol.token);
    expect(home.res.status).toBe(200);
    expect(home.res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    try {
      const secret = await post(bob.token, { status: "for followers", visibility: "private" });
      const stranger = await post(carol.token, { status: "not followed" });
      const hello = await post(bob.token, { status: "hello #dusk" });
      const update = await home.next((e) => e.event === "update" && e.data.includes(hello.json.id));
      const s = E.expectEntity(E.Status, JSON.parse(update.data));
      expect(s.account.acct).toBe("bob");
      await home.next((e) => e.data.includes(secret.json.id));
      await local.next((e) => e.data.includes(hello.json.id));
      await local.next((e) => e.data.includes(stranger.json.id));
      await tag.next((e) => e.data.includes(hello.json.id));

      await call(instance, "PUT", `/api/v1/statuses/${hello.json.id}`, {
        token: bob.token,
        body: { status: "hello again #dusk" },
      });
      const edited = await home.next((e) => e.event === "status.update");
      expect(JSON.parse(edited.data).content).toContain("hello again");
      await call(instance, "DELETE", `/api/v1/statuses/${hello.json.id}`, { token: bob.token });
      const deleted = await home.next((e) => e.event === "delete");
      expect(deleted.data).toBe(hello.json.id);
      await local.next((e) => e.event === "delete" && e.data === hello.json.id);

      // Carol is not followed and her post is public: not in Alice's home; Bob's private one is not public.
      expect(home.events.some((e) => e.data.includes(stranger.json.id))).toBe(false);
      expect(local.events.some((e) => e.data.includes(secret.json.id))).toBe(false);
      expect(tag.events.filter((e) => e.event === "update")).toHaveLength(1);
      await pause(400);
      expect(home.comments).toBeGreaterThanOrEqual(2);
    } finally {
      home.close();
      local.close();
      tag.close();
    }
  });

  it("streams no status from an author the viewer blocked, who blocked them, or whom they muted", async () => {
    // Public streams as well as home: the same rule as the public timeline (the viewer's blocks both
    // ways and mutes), not only what GET /api/v1/statuses/:id would show.
    const viewer = await localUser(instance, "stream_viewer");
    const blockedByViewer = await localUser(instance, "stream_blocked");
    const blocker = await localUser(instance, "stream_blocker");
    const muted = await localUser(instance, "stream_muted");
    const plain = await localUser(instance, "stream_plain");
    const db = instance.deps.db;
    for (const [from, to] of [
      [viewer, blockedByViewer],
      [blocker, viewer],
    ] as const) {
      await db
        .insert(blocks)
        .values({ id: newId(), accountId: from.account.id, targetAccountId: to.account.id });
    }
    await follow(instance, viewer.account, muted.account);
    await db
      .insert(mutes)
      .values({ id: newId(), accountId: viewer.account.id, targetAccountId: muted.account.id });
    const publicStream = await openSse("/api/v1/streaming/public/local", viewer.token);
    const home = await openSse("/api/v1/streaming/user", viewer.token);
    try {
      const hidden = [
        await post(blockedByViewer.token, { status: "from the blocked" }),
        await post(blocker.token, { status: "from the blocker" }),
        await post(muted.token, { status: "from the muted" }),
      ].map((r) => r.json.id as string);
      const shown = await post(plain.token, { status: "from a stranger" });
      await publicStream.next((e) => e.event === "update" && e.data.includes(shown.json.id));
      await pause(300);
      for (const stream of [publicStream, home]) {
        const updates = stream.events.filter((e) => e.event === "update").map((e) => e.data);
        for (const id of hidden) expect(updates.some((d) => d.includes(id))).toBe(false);
      }
    } finally {
      publicStream.close();
      home.close();
    }
  });

  it("streams a limited (silenced) author's public posts only to its followers", async () => {
    // As the public timeline: moderators' limit hides the account from non-followers' public streams.
    const limitedAuthor = await localUser(instance, "stream_limited");
    const follower = await localUser(instance, "stream_limited_fan");
    const stranger = await localUser(instance, "stream_limited_stranger");
    await follow(instance, follower.account, limitedAuthor.account);
    await instance.deps.db
      .update(accounts)
      .set({ limitedAt: new Date() })
      .where(eq(accounts.id, limitedAuthor.account.id));
    const fanStream = await openSse("/api/v1/streaming/public/local", follower.token);
    const strangerStream = await openSse("/api/v1/streaming/public/local", stranger.token);
    try {
      const hidden = (await post(limitedAuthor.token, { status: "quietly" })).json.id as string;
      const shown = (await post(carol.token, { status: "loudly" })).json.id as string;
      await fanStream.next((e) => e.event === "update" && e.data.includes(hidden));
      await strangerStream.next((e) => e.event === "update" && e.data.includes(shown));
      await pause(200);
      const seen = strangerStream.events.filter((e) => e.event === "update").map((e) => e.data);
      expect(seen.some((d) => d.includes(hidden))).toBe(false);
    } finally {
      fanStream.close();
      strangerStream.close();
    }
  });

  it("streams no notification REST would not list (status not visible, sender blocked)", async () => {
    const aliceStream = await openSse("/api/v1/streaming/user/notification", alice.token);
    try {
      // Carol's direct post that does not mention Alice, and a notification about it that Alice may
      // not see; then one from Carol, whom Alice blocked; then a visible one, which must come first.
      const hidden = await status(instance, carol.account, { visibility: "direct" });
      const aboutHidden = await notify(
        instance,
        alice.account,
        carol.account,
        "favourite",
        hidden.id,
      );
      const dave = await localUser(instance, "blocked_dave");
      await instance.deps.db
        .insert(blocks)
        .values({ id: newId(), accountId: alice.account.id, targetAccountId: dave.account.id });
      const fromBlocked = await notify(instance, alice.account, dave.account, "follow");
      const shown = await notify(instance, alice.account, bob.account, "follow");
      const got = await aliceStream.next((e) => e.event === "notification");
      expect(JSON.parse(got.data).id).toBe(shown.id);
      await pause(300);
      const ids = aliceStream.events
        .filter((e) => e.event === "notification")
        .map((e) => JSON.parse(e.data).id);
      expect(ids).not.toContain(aboutHidden.id);
      expect(ids).not.toContain(fromBlocked.id);
      // REST agrees.
      const rest = await call(instance, "GET", "/api/v1/notifications", { token: alice.token });
      const restIds = (rest.json as { id: string }[]).map((n) => n.id);
      expect(restIds).not.toContain(aboutHidden.id);
      expect(restIds).not.toContain(fromBlocked.id);
    } finally {
      aliceStream.close();
    }
  });

  it("streams new notifications to their recipient only", async () => {
    const aliceStream = await openSse("/api/v1/streaming/user/notification", alice.token);
    const carolStream = await openSse("/api/v1/streaming/user", carol.token);
    try {
      const n = await notify(instance, alice.account, bob.account, "follow");
      const got = await aliceStream.next((e) => e.event === "notification");
      const entity = E.expectEntity(E.Notification, JSON.parse(got.data));
      expect(entity.id).toBe(n.id);
      expect(entity.type).toBe("follow");
      await pause(300);
      expect(carolStream.events.some((e) => e.event === "notification")).toBe(false);
    } finally {
      aliceStream.close();
      carolStream.close();
    }
  });

  it("refuses user streams without a token and with a token lacking read scope", async () => {
    const anonymous = await fetch(`${instance.url}/api/v1/streaming/user`);
    expect(anonymous.status).toBe(401);
    const writeOnly = await localUser(instance, "dave", "write");
    const scoped = await fetch(`${instance.url}/api/v1/streaming/user`, {
      headers: { Authorization: `Bearer ${writeOnly.token}` },
    });
    expect(scoped.status).toBe(403);
    const noTag = await fetch(`${instance.url}/api/v1/streaming/hashtag`);
    expect(noTag.status).toBe(400);
  });
});

/** A ws client that collects JSON messages. */
function openWs(url: string, protocols?: string[]) {
  const ws = new WebSocket(url, protocols);
  // biome-ignore lint/suspicious/noExplicitAny: stream messages are checked field by field.
  const messages: any[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
  return {
    ws,
    messages,
    opened,
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    async next(match: (m: any) => boolean, timeoutMs = 3000): Promise<any> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error("no matching message");
        await pause(25);
      }
    },
  };
}

describe("streaming API over WebSocket", () => {
  it("subscribes by query and by message, and unsubscribes", async () => {
    const wsUrl = instance.url.replace(/^http/, "ws");
    const client = openWs(`${wsUrl}/api/v1/streaming?stream=user&access_token=${alice.token}`);
    await client.opened;
    try {
      client.ws.send(JSON.stringify({ type: "subscribe", stream: "hashtag", tag: "night" }));
      client.ws.send(JSON.stringify({ type: "subscribe", stream: "nonsense" }));
      await client.next((m) => m.error === "Unknown stream type: nonsense");
      await pause(50);
      const tagged = await post(carol.token, { status: "stars #night" });
      const fromTag = await client.next((m) => m.event === "update" && m.stream[0] === "hashtag");
      expect(fromTag.stream).toEqual(["hashtag", "night"]);
      expect(JSON.parse(fromTag.payload).id).toBe(tagged.json.id);
      const own = await post(bob.token, { status: "to my followers", visibility: "private" });
      const fromHome = await client.next((m) => m.event === "update" && m.stream[0] === "user");
      expect(JSON.parse(fromHome.payload).id).toBe(own.json.id);

      client.ws.send(JSON.stringify({ type: "unsubscribe", stream: "hashtag", tag: "night" }));
      await pause(50);
      const later = await post(carol.token, { status: "more #night" });
      await pause(300);
      expect(client.messages.some((m) => m.payload?.includes(later.json.id))).toBe(false);
    } finally {
      client.ws.close();
    }
  });

  it("refuses an invalid token and a stream the token may not read", async () => {
    const wsUrl = instance.url.replace(/^http/, "ws");
    await expect(
      openWs(`${wsUrl}/api/v1/streaming?stream=user&access_token=nope`).opened,
    ).rejects.toThrow("HTTP 401");
    await expect(openWs(`${wsUrl}/api/v1/streaming?stream=user`).opened).rejects.toThrow(
      "HTTP 401",
    );
    await expect(openWs(`${wsUrl}/api/v1/other`).opened).rejects.toThrow("HTTP 404");
  });

  it("delivers a posted status to masto.js's streaming client (token as subprotocol)", async () => {
    const streaming = createStreamingAPIClient({
      streamingApiUrl: instance.url.replace(/^http/, "ws"),
      accessToken: alice.token,
      retry: false,
    });
    const subscription = streaming.user.subscribe();
    try {
      const received = (async () => {
        for await (const event of subscription) {
          if (event.event === "update") return event.payload;
        }
        return undefined;
      })();
      // Give the client time to connect and subscribe before posting.
      for (let i = 0; i < 40 && instance.deps.streaming.size === 0; i++) await pause(25);
      await pause(100);
      const posted = await post(bob.token, { status: "live from bob" });
      const status = await received;
      expect(status?.id).toBe(posted.json.id);
      expect(status?.account.acct).toBe("bob");
    } finally {
      subscription.unsubscribe();
      streaming.close();
    }
  });
});
