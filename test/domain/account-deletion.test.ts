import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
  accounts,
  favourites,
  filters,
  follows,
  mediaAttachments,
  notifications,
  statuses,
  tagFollows,
  users,
  webSessions,
} from "../../src/db/schema/index.ts";
import { deleteLocalAccount, discardActorKeys } from "../../src/domain/account-deletion.ts";
import { createFilter } from "../../src/domain/filters.ts";
import { followTag } from "../../src/domain/followed-tags.ts";
import { favouriteStatus } from "../../src/domain/interactions.ts";
import { createSession } from "../../src/domain/sessions.ts";
import { watchEvents } from "../helpers/events.ts";
import {
  follow,
  localUser,
  notify,
  remoteAccount,
  status,
  webpImage,
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
    await localUser({ db, urls }, "boss", { admin: true });
    const alice = (await localUser({ db, urls }, "alice")).account;
    const bob = (await localUser({ db, urls }, "bob")).account;
    const remote = await remoteAccount({ db, urls }, "zoe", "remote.example");
    await follow({ db, urls }, bob.id, alice.id);
    await follow({ db, urls }, alice.id, bob.id);
    await follow({ db, urls }, remote.id, alice.id);
    await db
      .update(accounts)
      .set({ followersCount: 1, followingCount: 1 })
      .where(eq(accounts.id, bob.id));
    const bobPost = await status({ db, urls }, bob.id);
    await favouriteStatus(db, urls, alice, bobPost);
    const media = await i.deps.media.ingest(alice.id, await webpImage({ r: 1, g: 2, b: 3 }), {
      description: "mine",
    });
    const own = await status({ db, urls }, alice.id);
    await db
      .update(mediaAttachments)
      .set({ statusId: own.id })
      .where(eq(mediaAttachments.id, media.id));
    // Two replies to one post: both come off its count.
    await status({ db, urls }, alice.id, { inReplyToId: bobPost.id });
    await status({ db, urls }, alice.id, { inReplyToId: bobPost.id });
    await db.update(statuses).set({ repliesCount: 2 }).where(eq(statuses.id, bobPost.id));
    await notify({ db, urls }, bob.id, alice.id, "follow");
    await createSession(db, alice.id, { userAgent: "test", ip: "127.0.0.1" });
    await followTag(db, alice.id, "Lighthouses");
    await createFilter(db, alice.id, {
      title: "Mine",
      context: ["home"],
      keywords: [{ keyword: "x" }],
    });

    const seen = watchEvents(i.deps.events, "account.deleted");
    const deleted = await deleteLocalAccount(db, i.deps.media.store, "ALICE");
    expect(deleted.recipients).toEqual([
      { iri: remote.iri, inboxUrl: remote.inboxUrl, sharedInboxUrl: null },
    ]);
    expect(deleted.filesRemoved).toBeGreaterThan(0);
    expect(await i.deps.media.store.has(media.displayKey!)).toBe(false);

    const row = (await db.select().from(accounts).where(eq(accounts.id, alice.id)).limit(1))[0]!;
    expect(row.deletedAt).not.toBeNull();
    expect(row.suspendedAt).not.toBeNull();
    for (const table of [
      statuses,
      mediaAttachments,
      favourites,
      webSessions,
      tagFollows,
      filters,
    ]) {
      expect(await db.select().from(table).where(eq(table.accountId, alice.id))).toEqual([]);
    }
    expect(
      (await db.select().from(users).where(eq(users.accountId, alice.id)).limit(1))[0],
    ).toBeUndefined();
    expect(await db.select().from(follows)).toEqual([]);
    expect(await db.select().from(notifications)).toEqual([]);
    const bobNow = (await db.select().from(accounts).where(eq(accounts.id, bob.id)).limit(1))[0]!;
    expect([bobNow.followersCount, bobNow.followingCount]).toEqual([0, 0]);
    const post = (await db.select().from(statuses).where(eq(statuses.id, bobPost.id)).limit(1))[0]!;
    expect([post.favouritesCount, post.repliesCount]).toEqual([0, 0]);
    await i.deps.events.drain();
    expect(seen).toEqual([expect.objectContaining({ accountId: alice.id, iri: alice.iri })]);
  });

  it("refuses the only administrator, an unknown name and a second deletion", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db, urls } = i.deps;
    await localUser({ db, urls }, "boss", { admin: true });
    await localUser({ db, urls }, "alice");
    await expect(deleteLocalAccount(db, null, "boss")).rejects.toMatchObject({ status: 409 });
    await expect(deleteLocalAccount(db, null, "nobody")).rejects.toMatchObject({ status: 404 });
    await deleteLocalAccount(db, null, "alice");
    await expect(deleteLocalAccount(db, null, "alice")).rejects.toMatchObject({ status: 404 });
  });

  it("discards keys only of a deleted account", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db, urls } = i.deps;
    const alice = (await localUser({ db, urls }, "alice")).account;
    await expect(async () => await discardActorKeys(db, alice.id)).rejects.toThrow(/deleted/);
  });
});
