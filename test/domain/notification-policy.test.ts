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
    const bob = remoteAccount(instance, "bob");
    const id = addNotification(instance.deps.db, {
      accountId: alice.id,
      fromAccountId: bob.id,
      type: "follow",
    });
    const row = instance.deps.db
      .select()
      .from(notifications)
      .where(eq(notifications.id, id!))
      .get();
    expect(row?.filtered).toBe(false);
    expect(row?.groupKey).toMatch(/^follow-\d+$/);
  });

  it("judges each rule, and the strictest matching one wins", async () => {
    instance = await createTestInstance();
    const db = instance.deps.db;
    const { account: alice } = await localUser(instance, "alice");
    const old = new Date(Date.now() - 60 * DAY);
    const friend = remoteAccount(instance, "friend", "remote.example", { createdAt: old });
    const fan = remoteAccount(instance, "fan", "remote.example", { createdAt: old });
    const fresh = remoteAccount(instance, "fresh");
    db.insert(follows)
      .values({ id: newId(), accountId: alice.id, targetAccountId: friend.id, state: "accepted" })
      .run();
    db.insert(follows)
      .values({
        id: newId(),
        accountId: fan.id,
        targetAccountId: alice.id,
        state: "accepted",
        createdAt: old,
      })
      .run();
    const judge = (
      fromAccountId: string,
      type: "favourite" | "mention" = "favourite",
      statusId?: string,
    ) => judgeNotification(db, { accountId: alice.id, fromAccountId, type, statusId });

    updateNotificationPolicy(db, alice.id, { forNotFollowing: "filter" });
    expect(judge(friend.id)).toBe("accept");
    expect(judge(fan.id)).toBe("filter");

    updateNotificationPolicy(db, alice.id, { forNotFollowing: "accept", forNotFollowers: "drop" });
    expect(judge(fan.id)).toBe("accept");
    expect(judge(friend.id)).toBe("drop");

    updateNotificationPolicy(db, alice.id, { forNotFollowers: "accept", forNewAccounts: "filter" });
    expect(judge(fresh.id)).toBe("filter");
    expect(judge(fan.id)).toBe("accept");

    updateNotificationPolicy(db, alice.id, {
      forNewAccounts: "accept",
      forPrivateMentions: "filter",
    });
    const dm = status(instance, fan, { visibility: "direct", mentions: [alice] });
    const publicMention = status(instance, fan, { mentions: [alice] });
    expect(judge(fan.id, "mention", dm.id)).toBe("filter");
    expect(judge(fan.id, "mention", publicMention.id)).toBe("accept");
    // A direct message from someone alice follows is not unsolicited.
    const friendDm = status(instance, friend, { visibility: "direct", mentions: [alice] });
    expect(judge(friend.id, "mention", friendDm.id)).toBe("accept");
  });

  it("never filters the instance's admins, and holds a stranger's notifications in one request, ungrouped", async () => {
    instance = await createTestInstance();
    const db = instance.deps.db;
    const { account: alice } = await localUser(instance, "alice");
    const { account: admin } = await localUser(instance, "admin");
    db.update(users).set({ admin: true }).where(eq(users.accountId, admin.id)).run();
    const stranger = remoteAccount(instance, "stranger");
    updateNotificationPolicy(db, alice.id, { forNotFollowing: "filter" });
    const input = { accountId: alice.id, type: "follow" as const };
    expect(judgeNotification(db, { ...input, fromAccountId: admin.id })).toBe("accept");

    addNotification(db, { ...input, fromAccountId: stranger.id });
    addNotification(db, { ...input, fromAccountId: stranger.id });
    const request = db.select().from(notificationRequests).get();
    expect(request?.notificationsCount).toBe(2);
    const held = db
      .select()
      .from(notifications)
      .where(eq(notifications.fromAccountId, stranger.id))
      .all();
    expect(held.map((n) => [n.filtered, n.groupKey])).toEqual([
      [true, null],
      [true, null],
    ]);
  });
});
