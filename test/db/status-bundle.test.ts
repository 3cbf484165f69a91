// The batch loader's viewer marks (favourited, boosted, bookmarked, muted authors) come from one
// statement of four parts: each part lands in its own set, and another viewer's marks in none.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { loadStatusBundle } from "../../src/db/queries/statuses.ts";
import {
  bookmarks,
  favourites,
  mutes,
  previewCards,
  statusPreviewCards,
} from "../../src/db/schema/index.ts";
import { boost, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

describe("loadStatusBundle", () => {
  it("reads the viewer's favourites, boosts, bookmarks and mutes, and only the viewer's", async () => {
    const { db } = instance.deps;
    const { account: viewer } = await localUser(instance, "viewer");
    const { account: other } = await localUser(instance, "other");
    const quiet = await remoteAccount(instance, "quiet");
    const loud = await remoteAccount(instance, "loud");
    const liked = await status(instance, loud);
    const boosted = await status(instance, loud);
    const saved = await status(instance, quiet);
    const untouched = await status(instance, quiet);
    await db.insert(favourites).values({ id: newId(), accountId: viewer.id, statusId: liked.id });
    await boost(instance, viewer, boosted);
    await db.insert(bookmarks).values({ id: newId(), accountId: viewer.id, statusId: saved.id });
    await db.insert(mutes).values({ id: newId(), accountId: viewer.id, targetAccountId: quiet.id });
    // The other user marks everything: none of it is the viewer's.
    for (const s of [liked, boosted, saved, untouched]) {
      await db.insert(favourites).values({ id: newId(), accountId: other.id, statusId: s.id });
      await db.insert(bookmarks).values({ id: newId(), accountId: other.id, statusId: s.id });
    }
    await db.insert(mutes).values({ id: newId(), accountId: other.id, targetAccountId: loud.id });

    const bundle = await loadStatusBundle(db, [liked, boosted, saved, untouched], viewer.id);
    expect([...bundle.favourited]).toEqual([liked.id]);
    expect([...bundle.reblogged]).toEqual([boosted.id]);
    expect([...bundle.bookmarked]).toEqual([saved.id]);
    expect([...bundle.muted]).toEqual([quiet.id]);

    const theirs = await loadStatusBundle(db, [liked, untouched], other.id);
    expect([...theirs.favourited].sort()).toEqual([liked.id, untouched.id].sort());
    expect([...theirs.bookmarked].sort()).toEqual([liked.id, untouched.id].sort());
    expect([...theirs.reblogged]).toEqual([]);
    expect([...theirs.muted]).toEqual([loud.id]);
  });

  it("loads the ready cards of the page and of the statuses it boosts, in one statement", async () => {
    const { db } = instance.deps;
    const { account: viewer } = await localUser(instance, "viewer");
    const bob = await remoteAccount(instance, "bob");
    const linked = await status(instance, bob);
    const failed = await status(instance, bob);
    const plain = await status(instance, bob);
    const boosted = await boost(instance, viewer, linked);
    const card = async (url: string, state: "ready" | "failed") =>
      (
        await db
          .insert(previewCards)
          .values({ id: newId(), url, state, title: url, fetchedAt: new Date() })
          .returning()
      )[0]!;
    const ready = await card("https://a.example/", "ready");
    const broken = await card("https://b.example/", "failed");
    await db.insert(statusPreviewCards).values([
      { statusId: linked.id, cardId: ready.id },
      { statusId: failed.id, cardId: broken.id },
    ]);
    // The boost's row is on the page; the card is the boosted status's.
    const bundle = await loadStatusBundle(db, [boosted, failed, plain], viewer.id);
    expect([...bundle.cards.keys()]).toEqual([linked.id]);
    expect(bundle.cards.get(linked.id)?.url).toBe("https://a.example/");
  });
});
