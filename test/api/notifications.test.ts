import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, localUser, notify, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

describe("notifications and markers API", () => {
  it("lists notifications with types/exclude_types, gets, dismisses and clears them", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const post = await status(instance, alice);
    const mention = await status(instance, bob, { mentions: [alice] });
    const fav = await notify(instance, alice, bob, "favourite", post.id);
    const men = await notify(instance, alice, bob, "mention", mention.id);
    const fol = await notify(instance, alice, bob, "follow");
    const list = await call(instance, "GET", "/api/v1/notifications", { token });
    expect(list.status).toBe(200);
    expect(list.json.map((n: { id: string }) => n.id)).toEqual([fol.id, men.id, fav.id]);
    for (const n of list.json) E.expectEntity(E.Notification, n);
    expect(list.json[1].status.account.acct).toBe("bob@remote.example");
    expect(list.json[0].status).toBeUndefined();

    const mentions = await call(instance, "GET", "/api/v1/notifications?types[]=mention", {
      token,
    });
    expect(mentions.json.map((n: { id: string }) => n.id)).toEqual([men.id]);
    const noFollows = await call(
      instance,
      "GET",
      "/api/v1/notifications?exclude_types[]=follow&exclude_types[]=favourite",
      { token },
    );
    expect(noFollows.json.map((n: { id: string }) => n.id)).toEqual([men.id]);

    const one = await call(instance, "GET", `/api/v1/notifications/${fav.id}`, { token });
    expect(E.expectEntity(E.Notification, one.json).type).toBe("favourite");

    const dismissed = await call(instance, "POST", `/api/v1/notifications/${fav.id}/dismiss`, {
      token,
    });
    expect(dismissed.status).toBe(200);
    expect((await call(instance, "GET", `/api/v1/notifications/${fav.id}`, { token })).status).toBe(
      404,
    );
    await call(instance, "POST", "/api/v1/notifications/clear", { token });
    expect((await call(instance, "GET", "/api/v1/notifications", { token })).json).toEqual([]);
  });

  it("leaves out emoji reactions (not a Mastodon type) unless a client asks for them", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const post = await status(instance, alice);
    const reaction = await notify(instance, alice, bob, "emoji_reaction", post.id);
    const follow = await notify(instance, alice, bob, "follow");
    const list = await call(instance, "GET", "/api/v1/notifications", { token });
    expect(list.json.map((n: { id: string }) => n.id)).toEqual([follow.id]);
    const asked = await call(instance, "GET", "/api/v1/notifications?types[]=emoji_reaction", {
      token,
    });
    expect(asked.json.map((n: { id: string }) => n.id)).toEqual([reaction.id]);
  });

  it("does not show another user's notifications", async () => {
    const { account: alice } = await localUser(instance, "alice");
    const { token: bobToken } = await localUser(instance, "bob");
    const carol = await remoteAccount(instance, "carol");
    const n = await notify(instance, alice, carol, "follow");
    expect(
      (await call(instance, "GET", `/api/v1/notifications/${n.id}`, { token: bobToken })).status,
    ).toBe(404);
    expect(
      (await call(instance, "POST", `/api/v1/notifications/${n.id}/dismiss`, { token: bobToken }))
        .status,
    ).toBe(404);
  });

  it("counts unread notifications after the notifications marker and saves markers with versions", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const first = await notify(instance, alice, bob, "follow");
    await notify(instance, alice, bob, "follow");
    await notify(instance, alice, bob, "follow");
    const unread = async () =>
      (await call(instance, "GET", "/api/v1/notifications/unread_count", { token })).json.count;
    expect(await unread()).toBe(3);

    const saved = await call(instance, "POST", "/api/v1/markers", {
      token,
      form: { "notifications[last_read_id]": first.id },
    });
    expect(saved.status).toBe(200);
    expect(E.expectEntity(E.Marker, saved.json.notifications).version).toBe(0);
    expect(await unread()).toBe(2);

    const again = await call(instance, "POST", "/api/v1/markers", {
      token,
      body: { home: { last_read_id: "1234" }, notifications: { last_read_id: first.id } },
    });
    expect(again.json.notifications.version).toBe(1);
    const markers = await call(
      instance,
      "GET",
      "/api/v1/markers?timeline[]=home&timeline[]=notifications",
      {
        token,
      },
    );
    expect(Object.keys(markers.json).sort()).toEqual(["home", "notifications"]);
    expect(markers.json.home.last_read_id).toBe("1234");
    const bad = await call(instance, "POST", "/api/v1/markers", {
      token,
      body: { home: { last_read_id: "not-an-id" } },
    });
    expect(bad.status).toBe(422);
  });
});
