// Remote images without a size or blurhash are measured in the background from their file: the missing
// fields are filled, what the sender said is kept, and a failed download (404, not an image, broken
// bytes) leaves the attachment as it was and the worker running.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as pause } from "node:timers/promises";
import { isBlurhashValid } from "blurhash";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mediaAttachments, remoteMediaDownloads } from "../../src/db/schema/index.ts";
import { blockDomain } from "../../src/domain/moderation.ts";
import { RemoteMediaWorker } from "../../src/domain/remote-media.ts";
import { fetchRemoteImage } from "../../src/media/remote-fetch.ts";
import { inOrder, media, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let server: Server;
let origin: string;
const requested: string[] = [];
beforeAll(async () => {
  const jpeg = await sharp({
    create: { width: 90, height: 120, channels: 3, background: "#a04020" },
  })
    .jpeg()
    .toBuffer();
  server = createServer((req, res) => {
    requested.push(req.url ?? "");
    // A query tells requests for the same file apart.
    if (req.url?.split("?")[0] === "/b.jpg")
      res.writeHead(200, { "Content-Type": "image/jpeg" }).end(jpeg);
    else if (req.url === "/broken.png")
      res.writeHead(200, { "Content-Type": "image/png" }).end("not really a png");
    else if (req.url === "/page") res.writeHead(200, { "Content-Type": "text/html" }).end("<p>");
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

let instance: TestInstance;
let worker: RemoteMediaWorker;
const workers: RemoteMediaWorker[] = [];
const newWorker = (leaseMs?: number) => {
  const made = new RemoteMediaWorker({
    db: instance.deps.db,
    limits: { maxBytes: 1 << 20, maxPixels: 1e7 },
    fetchImage: (url, signal) =>
      fetchRemoteImage(url, {
        maxBytes: 1 << 20,
        timeoutMs: 2000,
        allowPrivateAddress: true,
        userAgent: "Atelier/test",
        signal,
      }),
    ...(leaseMs !== undefined ? { leaseMs } : {}),
  });
  workers.push(made);
  return made;
};
beforeEach(async () => {
  instance = await createTestInstance();
  worker = newWorker();
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.close();
  await instance.close();
});

const row = async (id: string) =>
  (
    await instance.deps.db
      .select()
      .from(mediaAttachments)
      .where(eq(mediaAttachments.id, id))
      .limit(1)
  )[0]!;
const bare = { width: null, height: null, blurhash: null, thumbnailWidth: null };

describe("remote media measuring", () => {
  it("fills in the size and blurhash of a remote image sent without them", async () => {
    const bob = await remoteAccount(instance, "bob");
    const post = await status(instance, bob);
    const a = await media(instance, bob, post.id, { ...bare, remoteUrl: `${origin}/b.jpg` });
    worker.enqueue(post.id);
    await worker.idle();
    const got = await row(a.id);
    expect([got.width, got.height]).toEqual([90, 120]);
    expect(isBlurhashValid(got.blurhash!).result).toBe(true);
  });

  it("closes while a status is still being queued, once that has ended", async () => {
    const bob = await remoteAccount(instance, "bob");
    const post = await status(instance, bob);
    await media(instance, bob, post.id, { ...bare, remoteUrl: `${origin}/b.jpg` });
    const queued = worker.enqueue(post.id);
    // The enqueue's queries are still under way: close() must wait for them, then end.
    const closed = worker.close().then(() => "closed");
    await queued;
    expect(await Promise.race([closed, pause(5_000).then(() => "still waiting")])).toBe("closed");
  });

  it("does not download an image from a blocked host, however the block or the URL spells it", async () => {
    const bob = await remoteAccount(instance, "bob");
    const post = await status(instance, bob);
    const port = new URL(origin).port;
    await blockDomain(instance.deps.db, `LOCALHOST.:${port}`);
    const a = await media(instance, bob, post.id, {
      ...bare,
      remoteUrl: `http://localhost.:${port}/b.jpg`,
    });
    const b = await media(instance, bob, post.id, {
      ...bare,
      remoteUrl: `http://LocalHost:${port}/b.jpg`,
    });
    const before = requested.length;
    worker.enqueue(post.id);
    await worker.idle();
    expect(requested.length).toBe(before);
    expect([(await row(a.id)).width, (await row(b.id)).width]).toEqual([null, null]);
  });

  it("keeps what the sender said and only adds what is missing", async () => {
    const bob = await remoteAccount(instance, "bob");
    const post = await status(instance, bob);
    const a = await media(instance, bob, post.id, {
      ...bare,
      width: 900,
      height: 1200,
      remoteUrl: `${origin}/b.jpg`,
    });
    worker.enqueue(post.id);
    await worker.idle();
    const got = await row(a.id);
    expect([got.width, got.height]).toEqual([900, 1200]);
    expect(got.blurhash).not.toBeNull();
  });

  it("leaves an attachment as it was when its file is missing, not an image, or broken", async () => {
    const bob = await remoteAccount(instance, "bob");
    const post = await status(instance, bob);
    const ids = await inOrder(
      ["/gone.png", "/page", "/broken.png"],
      async (path, position) =>
        (await media(instance, bob, post.id, { ...bare, position, remoteUrl: `${origin}${path}` }))
          .id,
    );
    const good = await media(instance, bob, post.id, {
      ...bare,
      position: 3,
      remoteUrl: `${origin}/b.jpg`,
    });
    worker.enqueue(post.id);
    await worker.idle();
    for (const id of ids) {
      expect(await row(id)).toMatchObject({ width: null, height: null, blurhash: null });
    }
    // One bad file does not stop the others.
    expect((await row(good.id)).width).toBe(90);
  });

  it("resumes at start-up with the last day's unmeasured images, not older ones", async () => {
    const bob = await remoteAccount(instance, "bob");
    const recent = await status(instance, bob);
    const a = await media(instance, bob, recent.id, { ...bare, remoteUrl: `${origin}/b.jpg` });
    const old = await status(instance, bob);
    const b = await media(instance, bob, old.id, {
      ...bare,
      remoteUrl: `${origin}/b.jpg`,
      createdAt: new Date(Date.now() - 2 * 24 * 60 * 60 * 1000),
    });
    await worker.resume();
    await worker.idle();
    expect((await row(a.id)).width).toBe(90);
    expect((await row(b.id)).width).toBeNull();
  });

  it("does not download images that already have everything, nor local ones", async () => {
    const bob = await remoteAccount(instance, "bob");
    const post = await status(instance, bob);
    const complete = await media(instance, bob, post.id, { remoteUrl: `${origin}/complete.png` });
    const alice = await remoteAccount(instance, "alice", "other.example", { domain: null });
    const mine = await status(instance, alice);
    await media(instance, alice, mine.id, { ...bare });
    worker.enqueue(post.id);
    worker.enqueue(mine.id);
    await worker.idle();
    expect(await row(complete.id)).toMatchObject({ width: 1024, height: 768 });
    expect(requested).not.toContain("/complete.png");
    expect(
      requested
        .map((r) => r.split("?")[0])
        .filter((r) => !["/b.jpg", "/gone.png", "/page", "/broken.png"].includes(r!)),
    ).toEqual([]);
  });

  it("downloads each image once when two workers start over the same statuses", async () => {
    const bob = await remoteAccount(instance, "bob");
    const posts = await inOrder([0, 1, 2, 3], async () => await status(instance, bob));
    const attachments = await inOrder(posts, async (post) =>
      media(instance, bob, post.id, { ...bare, remoteUrl: `${origin}/b.jpg?${post.id}` }),
    );
    const other = newWorker();
    await Promise.all([worker.resume(), other.resume()]);
    await Promise.all([worker.idle(), other.idle()]);
    for (const a of attachments) expect((await row(a.id)).width).toBe(90);
    expect(requested.filter((r) => r.startsWith("/b.jpg?")).sort()).toEqual(
      posts.map((p) => `/b.jpg?${p.id}`).sort(),
    );
    expect(await instance.deps.db.select().from(remoteMediaDownloads)).toEqual([]);
  });

  it("takes over a status a killed worker was downloading once its lease has run out", async () => {
    const bob = await remoteAccount(instance, "bob");
    const post = await status(instance, bob);
    const a = await media(instance, bob, post.id, { ...bare, remoteUrl: `${origin}/b.jpg?held` });
    const leaseEnd = Date.now() + 3000;
    // The dead worker's claim, never to be renewed or settled.
    await instance.deps.db.insert(remoteMediaDownloads).values({
      statusId: post.id,
      attempts: 1,
      claimedBy: "dead-worker",
      claimedUntil: new Date(leaseEnd),
    });
    const survivor = newWorker(200);
    await survivor.resume();
    await survivor.idle();
    if (Date.now() < leaseEnd) expect(requested).not.toContain("/b.jpg?held");
    const deadline = Date.now() + 20_000;
    while ((await row(a.id)).width === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      await survivor.idle();
    }
    expect((await row(a.id)).width).toBe(90);
    expect(requested.filter((r) => r === "/b.jpg?held")).toHaveLength(1);
    expect(await instance.deps.db.select().from(remoteMediaDownloads)).toEqual([]);
  });
});
