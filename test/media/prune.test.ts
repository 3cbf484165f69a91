import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import {
  mediaAttachments,
  previewCards,
  statuses,
  statusPreviewCards,
} from "../../src/db/schema/index.ts";
import { createDeps } from "../../src/deps.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { pruneMedia } from "../../src/media/prune.ts";
import { status } from "../helpers/factories.ts";
import { tempDir, testConfig } from "../helpers/instance.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("media pruning", () => {
  it("removes old unposted images and unreferenced files, and keeps posted and shared ones", async () => {
    const dir = tempDir();
    const deps = await createDeps(testConfig({ DATA_DIR: dir.path }));
    cleanups.push(() => dir.remove());
    cleanups.push(() => deps.close());
    const { account } = await createLocalUser(deps.db, deps.urls, {
      username: "alice",
      password: "correct horse",
    });
    const png = (c: string) =>
      sharp({ create: { width: 40, height: 40, channels: 3, background: c } })
        .png()
        .toBuffer();
    const posted = await deps.media.ingest(account.id, await png("#111"));
    const unposted = await deps.media.ingest(account.id, await png("#222"));
    // Same bytes as the posted one: its files are shared and must survive.
    const twin = await deps.media.ingest(account.id, await png("#111"));
    await publishStatus(deps, account.id, { media: [{ id: posted.id, description: "dark" }] });
    // A file whose row is gone (a cancelled job's image, say).
    await deps.media.store.put(Buffer.from("orphan"), "png");

    const kept = await pruneMedia(deps.db, deps.media.store, new Date(Date.now() - 86_400_000));
    expect(kept).toEqual({ attachments: 0, cards: 0, files: 0 });

    const result = await pruneMedia(deps.db, deps.media.store, new Date(Date.now() + 1000));
    expect(result.attachments).toBe(2);
    // unposted's three files and the orphan; the twin's files are the posted image's.
    expect(result.files).toBe(4);
    expect(
      (
        await deps.db
          .select()
          .from(mediaAttachments)
          .where(eq(mediaAttachments.id, unposted.id))
          .limit(1)
      )[0],
    ).toBeUndefined();
    expect(
      (
        await deps.db
          .select()
          .from(mediaAttachments)
          .where(eq(mediaAttachments.id, twin.id))
          .limit(1)
      )[0],
    ).toBeUndefined();
    for (const key of [posted.originalKey!, posted.displayKey!, posted.thumbnailKey!]) {
      expect(await deps.media.store.has(key)).toBe(true);
    }
    expect(await deps.media.store.has(unposted.displayKey!)).toBe(false);
  });

  it("keeps a preview card's image while a status shows the card, and removes both after", async () => {
    const dir = tempDir();
    const deps = await createDeps(testConfig({ DATA_DIR: dir.path }));
    cleanups.push(() => dir.remove());
    cleanups.push(() => deps.close());
    const { account } = await createLocalUser(deps.db, deps.urls, {
      username: "alice",
      password: "correct horse",
    });
    // Written as the worker would after fetching it (the test fetches nothing: it is offline).
    // Stored directly, not published: publishing queues the link-preview job, which sets the status's
    // cards from its text (none here) and would race with the card linked by hand below.
    const post = await status(deps, account, { content: "<p>see the news</p>" });
    const key = await deps.media.store.put(
      await sharp({ create: { width: 20, height: 20, channels: 3, background: "#345" } })
        .webp()
        .toBuffer(),
      "webp",
    );
    const [card] = await deps.db
      .insert(previewCards)
      .values({
        id: newId(),
        url: "https://news.example/",
        title: "News",
        imageKey: key,
        fetchedAt: new Date(Date.now() - 86_400_000),
      })
      .returning();
    await deps.db.insert(statusPreviewCards).values({ statusId: post.id, cardId: card!.id });
    const later = new Date(Date.now() + 1000);
    expect(await pruneMedia(deps.db, deps.media.store, later)).toEqual({
      attachments: 0,
      cards: 0,
      files: 0,
    });
    expect(await deps.media.store.has(key)).toBe(true);
    await deps.db.delete(statuses).where(eq(statuses.id, post.id));
    expect(await pruneMedia(deps.db, deps.media.store, later)).toEqual({
      attachments: 0,
      cards: 1,
      files: 1,
    });
    expect(await deps.media.store.has(key)).toBe(false);
  });
});
