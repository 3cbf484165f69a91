// The notification policy's rules, as every notification (local or from the inbox) meets them in
// addNotification: who counts as not followed, not a follower, new, or an unsolicited private mention.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { follows, notificationRequests, notifications, users } from "../../src/db/schema/index.ts";
import {
  judgeNotification,
  updateNotificationPolicy,
} from "../../src/domain/notification-policy.ts";
import { addNotification } from "../../src/domain/notification-records.ts";
import { localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance | undefined;
afterEach(async () => {
  await instance?.close();
  instance = undefined;
});

const DAY = 24 * 3600 * 1000;

describe("notification policy", () => {
  it("accepts everything by default, so notifications are written as before", async () => {
    instance = await createTestInstance();
    const { account: alice } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const id = await addNotification(instance.deps.db, {
      accountId: alice.id,
      fromAccountId: bob.id,
      type: "follow",
    });
    const row = (
      await instance.deps.db.select().from(notifications).where(eq(notifications.id, id!)).limit(1)
    )[0];
    expect(row?.filtered).toBe(false);
    expect(row?.groupKey).toMatch(/^follow-\d+$/);
  });

  it("judges each rule, and the strictest matching one wins", async () => {
    instance = await createTestInstance();
    const db = instance.deps.db;
    const { account: alice } = await localUser(instance, "alice");
    const old = new Date(Date.now() - 60 * DAY);
    const friend = await remoteAccount(instance, "friend", "remote.example", { createdAt: old });
    const fan = await remoteAccount(instance, "fan", "remote.example", { createdAt: old });
    const fresh = await remoteAccount(instance, "fresh");
    await db
      .insert(follows)
      .values({ id: newId(), accountId: alice.id, targetAccountId: friend.id, state: "accepted" });
    await db.insert(follows).values({
      id: newId(),
      accountId: fan.id,
      targetAccountId: alice.id,
      state: "accepted",
      createdAt: old,
    });
    const judge = async (
      fromAccountId: string,
      type: "favourite" | "mention" = "favourite",
      statusId?: string,
    ) => await judgeNotification(db, { accountId: alice.id, fromAccountId, type, statusId });

    await updateNotificationPolicy(db, alice.id, { forNotFollowing: "filter" });
    expect(await judge(friend.id)).toBe("accept");
    expect(await judge(fan.id)).toBe("filter");

    await updateNotificationPolicy(db, alice.id, {
      forNotFollowing: "accept",
      forNotFollowers: "drop",
    });
    expect(await judge(fan.id)).toBe("accept");
    expect(await judge(friend.id)).toBe("drop");

    await updateNotificationPolicy(db, alice.id, {
      forNotFollowers: "accept",
      forNewAccounts: "filter",
    });
    expect(await judge(fresh.id)).toBe("filter");
    expect(await judge(fan.id)).toBe("accept");

    await updateNotificationPolicy(db, alice.id, {
      forNewAccounts: "accept",
      forPrivateMentions: "filter",
    });
    const dm = await status(instance, fan, { visibility: "direct", mentions: [alice] });
    const publicMention = await status(instance, fan, { mentions: [alice] });
    expect(await judge(fan.id, "mention", dm.id)).toBe("filter");
    expect(await judge(fan.id, "mention", publicMention.id)).toBe("accept");
    // A direct message from someone alice follows is not unsolicited.
    const friendDm = await status(instance, friend, { visibility: "direct", mentions: [alice] });
    expect(await judge(friend.id, "mention", friendDm.id)).toBe("accept");
  });

  it("never filters the instance's admins, and holds a stranger's notifications in one request, ungrouped", async () => {
    instance = await createTestInstance();
    const db = instance.deps.db;
    const { account: alice } = await localUser(instance, "alice");
    const { account: admin } = await localUser(instance, "admin");
    await db.update(users).set({ admin: true }).where(eq(users.accountId, admin.id));
    const stranger = await remoteAccount(instance, "stranger");
    await updateNotificationPolicy(db, alice.id, { forNotFollowing: "filter" });
    const input = { accountId: alice.id, type: "follow" as const };
    expect(await judgeNotification(db, { ...input, fromAccountId: admin.id })).toBe("accept");

    await addNotification(db, { ...input, fromAccountId: stranger.id });
    await addNotification(db, { ...input, fromAccountId: stranger.id });
    const request = (await db.select().from(notificationRequests).limit(1))[0];
    expect(request?.notificationsCount).toBe(2);
    const held = await db
      .select()
      .from(notifications)
      .where(eq(notifications.fromAccountId, stranger.id));
    expect(held.map((n) => [n.filtered, n.groupKey])).toEqual([
      [true, null],
      [true, null],
    ]);
  });
});
