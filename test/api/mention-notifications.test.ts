// Mentions between local accounts, through masto.js against a real server: the mentioned account gets a
// `mention` notification (REST v1, grouped v2, the user stream), once per status even when an edit
// mentions it again, an edit notifies only the accounts it adds, a scheduled status notifies when it is
// published, and a block or mute of the author hides the notification as it hides a remote one.
import { createRestAPIClient, createStreamingAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { call, localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

const MINUTE = 60_000;
let shift = 0;
const now = () => new Date(Date.now() + shift);

let instance: ServedInstance;
type User = { account: Account; token: string; client: mastodon.rest.Client };
let alice: User;
let bob: User;
let carol: User;
let dave: User;

async function user(name: string): Promise<User> {
  const u = await localUser(instance, name);
  return { ...u, client: createRestAPIClient({ url: instance.url, accessToken: u.token }) };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function mentionsOf(u: User, statusId: string) {
  const list = await u.client.v1.notifications.list({ types: ["mention"], limit: 40 });
  return list.filter((n) => n.status?.id === statusId);
}

beforeAll(async () => {
  instance = await serveTestInstance({}, { now, streaming: { notificationSweepMs: 100 } });
  alice = await user("alice");
  bob = await user("bob");
  carol = await user("carol");
  dave = await user("dave");
});
afterAll(() => instance.close());

describe("local mention notifications", () => {
  it("notifies the mentioned account in v1 and grouped v2 notifications", async () => {
    const posted = await alice.client.v1.statuses.create({ status: "hello @bob, look at this" });
    const mine = await mentionsOf(bob, posted.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.account.acct).toBe("alice");
    expect(mine[0]?.status?.content).toContain("look at this");
    // The raw JSON is Mastodon's shape (masto.js hands it over camel-cased).
    const raw = await call(instance, "GET", `/api/v1/notifications/${mine[0]?.id}`, {
      token: bob.token,
    });
    expect(E.expectEntity(E.Notification, raw.json).type).toBe("mention");
    // The author is not notified of their own status.
    expect(await mentionsOf(alice, posted.id)).toEqual([]);

    // masto.js types v2's `types` narrowly, so the grouped list is read raw.
    const grouped = await call(instance, "GET", "/api/v2/notifications?types[]=mention", {
      token: bob.token,
    });
    const group = grouped.json.notification_groups.find(
      (g: { status_id: string }) => g.status_id === posted.id,
    );
    expect(group?.type).toBe("mention");
    expect(group?.sample_account_ids).toEqual([alice.account.id]);
  });

  it("notifies only the accounts an edit adds, and never twice for one status", async () => {
    const posted = await alice.client.v1.statuses.create({ status: "for @bob" });
    await alice.client.v1.statuses.$select(posted.id).update({ status: "for @bob and @carol" });
    expect(await mentionsOf(bob, posted.id)).toHaveLength(1);
    expect(await mentionsOf(carol, posted.id)).toHaveLength(1);
    // Dropping carol and mentioning her again is still the same status: no second notification.
    await alice.client.v1.statuses.$select(posted.id).update({ status: "for @bob" });
    await alice.client.v1.statuses.$select(posted.id).update({ status: "for @bob, @carol" });
    expect(await mentionsOf(carol, posted.id)).toHaveLength(1);
  });

  it("notifies when a scheduled status is published", async () => {
    const scheduled = await alice.client.v1.statuses.create({
      status: "later, @dave",
      scheduledAt: new Date(now().getTime() + 10 * MINUTE).toISOString(),
    });
    expect((await dave.client.v1.notifications.list({ types: ["mention"] })).length).toBe(0);
    shift = 11 * MINUTE;
    try {
      expect(await instance.deps.scheduledStatuses.publishDue()).toBe(1);
    } finally {
      shift = 0;
    }
    const list = await dave.client.v1.notifications.list({ types: ["mention"] });
    expect(list).toHaveLength(1);
    expect(list[0]?.status?.content).toContain("later");
    expect(scheduled.id).not.toBe(list[0]?.status?.id);
  });

  it("hides the mention from a recipient who blocked or muted the author", async () => {
    await bob.client.v1.accounts.$select(alice.account.id).block();
    await carol.client.v1.accounts.$select(alice.account.id).mute();
    try {
      const posted = await alice.client.v1.statuses.create({ status: "@bob @carol @dave ping" });
      expect(await mentionsOf(bob, posted.id)).toEqual([]);
      expect(await mentionsOf(carol, posted.id)).toEqual([]);
      expect(await mentionsOf(dave, posted.id)).toHaveLength(1);
    } finally {
      await bob.client.v1.accounts.$select(alice.account.id).unblock();
      await carol.client.v1.accounts.$select(alice.account.id).unmute();
    }
  });

  it("streams the mention to the recipient's user stream", async () => {
    const streaming = createStreamingAPIClient({
      streamingApiUrl: instance.url.replace(/^http/, "ws"),
      accessToken: dave.token,
      retry: false,
    });
    const subscription = streaming.user.notification.subscribe();
    try {
      const received = (async () => {
        for await (const event of subscription) {
          // The hub may first replay dave's earlier notifications; wait for this one.
          if (
            event.event === "notification" &&
            event.payload.type === "mention" &&
            event.payload.status?.content.includes("live, ")
          ) {
            return event.payload;
          }
        }
        return undefined;
      })();
      for (let i = 0; i < 40 && instance.deps.streaming.size === 0; i++) await pause(25);
      await pause(100);
      const posted = await alice.client.v1.statuses.create({ status: "live, @dave" });
      const notification = await received;
      expect(notification?.status?.id).toBe(posted.id);
      expect(notification?.account.acct).toBe("alice");
    } finally {
      subscription.unsubscribe();
      streaming.close();
    }
  });
});
