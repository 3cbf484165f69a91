// The preview card queue: an edit that arrives while the status's page is being fetched is not lost
// (the status is resolved again from its new content), and a worker closed mid-fetch hands the status
// back for the next one.

import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { cardsOfStatuses } from "../../src/db/queries/preview-cards.ts";
import { previewCardFetches, statuses } from "../../src/db/schema/index.ts";
import { PreviewCardWorker } from "../../src/domain/preview-cards/worker.ts";
import type { FetchedImage } from "../../src/media/remote-fetch.ts";
import { remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

/** Waits until `done()` holds, failing with `what` after ten seconds. */
async function until(what: string, done: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const page = (url: string, title: string): FetchedImage => ({
  bytes: Buffer.from(`<html><head><title>${title}</title></head></html>`),
  contentType: "text/html",
  url,
});

async function setUp(html: (url: string, signal: AbortSignal) => Promise<FetchedImage>) {
  const instance: TestInstance = await createTestInstance();
  open.push(() => instance.close());
  const worker = new PreviewCardWorker({
    db: instance.deps.db,
    // A short lease: the worker then looks for waiting rows every second, as it does every lease in
    // production, so a claim that failed on a busy machine is retried rather than waited for forever.
    leaseMs: 1000,
    localHost: new URL(instance.config.origin).host,
    store: instance.deps.media.store,
    limits: instance.deps.media.limits,
    fetch: {
      html,
      oembed: async () => {
        throw new Error("no oEmbed here");
      },
      image: async () => {
        throw new Error("no images here");
      },
    },
  });
  open.push(() => worker.close());
  worker.resume();
  const bob = await remoteAccount(instance, "bob");
  return { instance, worker, bob };
}

describe("the preview card queue", () => {
  it("resolves a status again when it is edited while its first link is being fetched", async () => {
    expect.hasAssertions();
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const asked: string[] = [];
    const { instance, worker, bob } = await setUp(async (url) => {
      asked.push(url);
      if (url.endsWith("/old")) await held;
      return page(url, url.endsWith("/old") ? "Old" : "New");
    });
    const post = await status(instance, bob, {
      content: '<p><a href="https://news.example/old">old</a></p>',
    });
    await worker.enqueue(post.id);
    await until("the first fetch", () => asked.length > 0);
    await instance.deps.db
      .update(statuses)
      .set({ content: '<p><a href="https://news.example/new">new</a></p>' })
      .where(eq(statuses.id, post.id));
    await worker.enqueue(post.id);
    // The edited status is fetched while the old fetch still hangs; the old one ends last.
    await until("the edited status's fetch", () => asked.length >= 2);
    release();
    await worker.idle();
    expect(asked).toEqual(["https://news.example/old", "https://news.example/new"]);
    expect((await cardsOfStatuses(instance.deps.db, [post.id])).get(post.id)?.title).toBe("New");
    expect(await instance.deps.db.select().from(previewCardFetches)).toEqual([]);
  });

  it("hands a status back when closed mid-fetch", async () => {
    expect.hasAssertions();
    let started = false;
    const { instance, worker, bob } = await setUp(
      (_url, signal) =>
        new Promise((_, reject) => {
          started = true;
          signal.addEventListener("abort", () => reject(new Error("cancelled")));
        }),
    );
    const post = await status(instance, bob, {
      content: '<p><a href="https://news.example/a">a</a></p>',
    });
    await worker.enqueue(post.id);
    await until("the fetch to start", () => started);
    await worker.close();
    expect(await instance.deps.db.select().from(previewCardFetches)).toMatchObject([
      { statusId: post.id, claimedBy: null, attempts: 0 },
    ]);
  });
});
