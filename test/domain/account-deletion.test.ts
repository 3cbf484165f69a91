import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
  accounts,
  domainEvents,
  favourites,
  filters,
  follows,
  mediaAttachments,
  notifications,
  statuses,
  users,
  webSessions,
} from "../../src/db/schema/index.ts";
import { deleteLocalAccount, discardActorKeys } from "../../src/domain/account-deletion.ts";
import { createFilter } from "../../src/domain/filters.ts";
import { favouriteStatus } from "../../src/domain/interactions.ts";
import { createSession } from "../../src/domain/sessions.ts";
import {
  makeFollow,
  makeImage,
  makeNotification,
  makeRemoteAccount,
  makeStatus,
  makeUser,
} from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

describe("deleting a local account", () => {
  it("removes what the account made and keeps others' counters true", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db, urls } = i.deps;
    await makeUser(db, urls, "boss", { admin: true });
    const alice = (await makeUser(db, urls, "alice")).account;
    const bob = (await makeUser(db, urls, "bob")).account;
    const remote = makeRemoteAccount(db, "zoe", "remote.example");
    makeFollow(db, bob.id, alice.id);
    makeFollow(db, alice.id, bob.id);
    makeFollow(db, remote.id, alice.id);
    db.update(accounts)
      .set({ followersCount: 1, followingCount: 1 })
      .where(eq(accounts.id, bob.id))
      .run();
    const bobPost = makeStatus(db, urls, bob.id);
    favouriteStatus(db, urls, alice, bobPost);
    const media = await i.deps.media.ingest(alice.id, await makeImage({ r: 1, g: 2, b: 3 }), {
      description: "mine",
    });
    const own = makeStatus(db, urls, alice.id);
    db.update(mediaAttachments)
      .set({ statusId: own.id })
      .where(eq(mediaAttachments.id, media.id))
      .run();
    // Two replies to one post: both come off its count.
    makeStatus(db, urls, alice.id, { inReplyToId: bobPost.id });
    makeStatus(db, urls, alice.id, { inReplyToId: bobPost.id });
    db.update(statuses).set({ repliesCount: 2 }).where(eq(statuses.id, bobPost.id)).run();
    makeNotification(db, bob.id, alice.id, "follow");
    createSession(db, alice.id, { userAgent: "test", ip: "127.0.0.1" });
    createFilter(db, alice.id, { title: "Mine", context: ["home"], keywords: [{ keyword: "x" }] });

    const deleted = await deleteLocalAccount(db, i.deps.media.store, "ALICE");
    expect(deleted.recipients).toEqual([
      { iri: remote.iri, inboxUrl: remote.inboxUrl, sharedInboxUrl: null },
    ]);
    expect(deleted.filesRemoved).toBeGreaterThan(0);
    expect(await i.deps.media.store.has(media.displayKey!)).toBe(false);

    const row = db.select().from(accounts).where(eq(accounts.id, alice.id)).get()!;
    expect(row.deletedAt).not.toBeNull();
    expect(row.suspendedAt).not.toBeNull();
    for (const table of [statuses, mediaAttachments, favourites, webSessions, filters]) {
      expect(db.select().from(table).where(eq(table.accountId, alice.id)).all()).toEqual([]);
    }
    expect(db.select().from(users).where(eq(users.accountId, alice.id)).get()).toBeUndefined();
    expect(db.select().from(follows).all()).toEqual([]);
    expect(db.select().from(notifications).all()).toEqual([]);
    const bobNow = db.select().from(accounts).where(eq(accounts.id, bob.id)).get()!;
    expect([bobNow.followersCount, bobNow.followingCount]).toEqual([0, 0]);
    const post = db.select().from(statuses).where(eq(statuses.id, bobPost.id)).get()!;
    expect([post.favouritesCount, post.repliesCount]).toEqual([0, 0]);
    const event = db
      .select()
      .from(domainEvents)
      .all()
      .find((e) => e.type === "account.deleted");
    expect(event?.payload).toMatchObject({ accountId: alice.id, iri: alice.iri });
  });

  it("refuses the only administrator, an unknown name and a second deletion", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db, urls } = i.deps;
    await makeUser(db, urls, "boss", { admin: true });
    await makeUser(db, urls, "alice");
    await expect(deleteLocalAccount(db, null, "boss")).rejects.toMatchObject({ status: 409 });
    await expect(deleteLocalAccount(db, null, "nobody")).rejects.toMatchObject({ status: 404 });
    await deleteLocalAccount(db, null, "alice");
    await expect(deleteLocalAccount(db, null, "alice")).rejects.toMatchObject({ status: 404 });
  });

  it("discards keys only of a deleted account", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db, urls } = i.deps;
    const alice = (await makeUser(db, urls, "alice")).account;
    expect(() => discardActorKeys(db, alice.id)).toThrow(/deleted/);
  });
});
