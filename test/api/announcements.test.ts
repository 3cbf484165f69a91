// Announcements through masto.js against a real server: the current ones with the caller's `read`
// state, dismiss, emoji reactions with counts and `me`, ended and removed ones gone, and the
// `announcement`, `announcement.reaction` and `announcement.delete` events on the user stream.
import { createRestAPIClient, createStreamingAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { z } from "zod";
import { deleteLocalAccount } from "../../src/domain/account-deletion.ts";
import {
  createAnnouncement,
  removeAnnouncement,
  updateAnnouncement,
} from "../../src/domain/announcements.ts";
import { call, localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

const ApiAnnouncement = z.strictObject({
  id: z.string(),
  content: z.string(),
  starts_at: z.string().nullable(),
  ends_at: z.string().nullable(),
  all_day: z.boolean(),
  published_at: z.string(),
  updated_at: z.string(),
  read: z.boolean(),
  mentions: z.array(z.unknown()),
  statuses: z.array(z.unknown()),
  tags: z.array(z.unknown()),
  emojis: z.array(z.unknown()),
  reactions: z.array(z.strictObject({ name: z.string(), count: z.number(), me: z.boolean() })),
});

let instance: ServedInstance;
let alice: { token: string; client: mastodon.rest.Client };
let bob: { token: string; client: mastodon.rest.Client };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function user(name: string) {
  const u = await localUser(instance, name);
  return {
    token: u.token,
    client: createRestAPIClient({ url: instance.url, accessToken: u.token }),
  };
}

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode;
  }
}

beforeAll(async () => {
  instance = await serveTestInstance();
  alice = await user("alice");
  bob = await user("bob");
});
afterAll(() => instance.close());

describe("announcements", () => {
  it("lists current announcements with Mastodon's entity, oldest first, and not ended ones", async () => {
    const first = await createAnnouncement(instance.deps.db, {
      text: "Maintenance tonight\n\n<b>Be</b> ready",
    });
    const second = await createAnnouncement(instance.deps.db, {
      text: "Winter contest",
      startsAt: new Date("2026-12-01T00:00:00Z"),
      endsAt: new Date("2099-12-31T00:00:00Z"),
      allDay: true,
    });
    await createAnnouncement(instance.deps.db, {
      text: "Long over",
      startsAt: new Date("2020-01-01T00:00:00Z"),
      endsAt: new Date("2020-01-02T00:00:00Z"),
    });
    const raw = await call(instance, "GET", "/api/v1/announcements", { token: alice.token });
    expect(raw.status).toBe(200);
    const list = z.array(ApiAnnouncement).parse(raw.json);
    expect(list.map((a) => a.id)).toEqual([first.id, second.id]);
    // Plain text becomes paragraphs, escaped.
    expect(list[0]!.content).toBe(
      "<p>Maintenance tonight</p><p>&#60;b&#62;Be&#60;/b&#62; ready</p>",
    );
    expect(list[1]).toMatchObject({
      all_day: true,
      ends_at: "2099-12-31T00:00:00.000Z",
      read: false,
    });
    const viaMasto = await alice.client.v1.announcements.list();
    expect(viaMasto.map((a) => a.id)).toEqual([first.id, second.id]);
    expect((await call(instance, "GET", "/api/v1/announcements")).status).toBe(401);
  });

  it("dismisses one for the caller only", async () => {
    const [first] = await alice.client.v1.announcements.list();
    await alice.client.v1.announcements.$select(first!.id).dismiss();
    expect((await alice.client.v1.announcements.list()).map((a) => a.id)).not.toContain(first!.id);
    const all = await call(instance, "GET", "/api/v1/announcements?with_dismissed=true", {
      token: alice.token,
    });
    expect(all.json.find((a: { id: string }) => a.id === first!.id)?.read).toBe(true);
    expect((await bob.client.v1.announcements.list()).map((a) => a.id)).toContain(first!.id);
    expect(await statusOf(alice.client.v1.announcements.$select("123").dismiss())).toBe(404);
  });

  it("counts emoji reactions, marks the caller's own and refuses what is not an emoji", async () => {
    const [, second] = await bob.client.v1.announcements.list();
    const id = second!.id;
    await alice.client.v1.announcements.$select(id).reactions.$select("🎉").update();
    await bob.client.v1.announcements.$select(id).reactions.$select("🎉").update();
    await bob.client.v1.announcements.$select(id).reactions.$select("👍🏽").update();
    // Repeating a reaction counts once.
    await bob.client.v1.announcements.$select(id).reactions.$select("👍🏽").update();
    const seen = (await alice.client.v1.announcements.list()).find((a) => a.id === id)!;
    expect(seen.reactions).toEqual([
      { name: "🎉", count: 2, me: true },
      { name: "👍🏽", count: 1, me: false },
    ]);
    const bad = await call(instance, "PUT", `/api/v1/announcements/${id}/reactions/hello`, {
      token: alice.token,
    });
    expect(bad.status).toBe(422);
    await bob.client.v1.announcements.$select(id).reactions.$select("👍🏽").remove();
    const after = (await bob.client.v1.announcements.list()).find((a) => a.id === id)!;
    expect(after.reactions).toEqual([{ name: "🎉", count: 2, me: true }]);
  });

  it("streams new, edited, reacted and removed announcements on the user stream", async () => {
    const streaming = createStreamingAPIClient({
      streamingApiUrl: instance.url.replace(/^http/, "ws"),
      accessToken: alice.token,
      retry: false,
    });
    const subscription = streaming.user.subscribe();
    const seen: { event: string; payload: unknown }[] = [];
    const collecting = (async () => {
      for await (const e of subscription) {
        seen.push({ event: e.event, payload: e.payload });
        if (e.event === "announcement.delete") return;
      }
    })();
    try {
      for (let i = 0; i < 40 && instance.deps.streaming.size === 0; i++) await pause(25);
      await pause(100);
      const created = await createAnnouncement(instance.deps.db, { text: "Live news" });
      await pause(200);
      await updateAnnouncement(instance.deps.db, created.id, { text: "Live news, corrected" });
      await pause(200);
      await bob.client.v1.announcements.$select(created.id).reactions.$select("❤️").update();
      await pause(200);
      await removeAnnouncement(instance.deps.db, created.id);
      await Promise.race([collecting, pause(3000)]);
      const kinds = seen.map((e) => e.event);
      expect(kinds).toEqual([
        "announcement",
        "announcement",
        "announcement.reaction",
        "announcement.delete",
      ]);
      expect(seen[1]!.payload).toMatchObject({
        id: created.id,
        content: "<p>Live news, corrected</p>",
      });
      expect(seen[2]!.payload).toEqual({ name: "❤️", count: 1, announcementId: created.id });
      // masto.js reads every payload as JSON, so the id (a bare string, as Mastodon sends it) comes
      // back as a number here; the raw message is checked below.
      expect(seen[3]!.event).toBe("announcement.delete");
    } finally {
      subscription.unsubscribe();
      streaming.close();
    }
  });
});

describe("a deleted account's reactions", () => {
  it("leave the counts with it", async () => {
    const a = await createAnnouncement(instance.deps.db, { text: "Counting" });
    const carol = await user("carol");
    await carol.client.v1.announcements.$select(a.id).reactions.$select("🌊").update();
    await alice.client.v1.announcements.$select(a.id).reactions.$select("🌊").update();
    await deleteLocalAccount(instance.deps.db, null, "carol");
    const seen = (await alice.client.v1.announcements.list()).find((x) => x.id === a.id)!;
    expect(seen.reactions).toEqual([{ name: "🌊", count: 1, me: true }]);
  });
});

describe("announcement.delete on the wire", () => {
  it("carries the id as the payload string, as Mastodon's", async () => {
    const created = await createAnnouncement(instance.deps.db, { text: "Short-lived" });
    // Its own "announcement" event is delivered before the stream opens, so only the delete is seen.
    await instance.deps.events.drain();
    const ws = new WebSocket(
      `${instance.url.replace(/^http/, "ws")}/api/v1/streaming?stream=user&access_token=${alice.token}`,
    );
    const messages: { event: string; payload: string }[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    try {
      await pause(100);
      await removeAnnouncement(instance.deps.db, created.id);
      for (let i = 0; i < 80 && messages.length === 0; i++) await pause(25);
      expect(messages).toEqual([
        { stream: ["user"], event: "announcement.delete", payload: created.id },
      ]);
    } finally {
      ws.close();
    }
  });
});
