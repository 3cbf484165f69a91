// Preview cards: the first link of a status is fetched in the background through the guarded
// downloader and shown as Mastodon's PreviewCard — OpenGraph fields, oEmbed video with its iframe
// sanitized, a script-only embed dropped, the image re-encoded and served by us — while a too-large or
// too-slow page, a private address (without FEDERATION_ALLOW_PRIVATE_ADDRESS) and mentions or hashtags
// leave the card null, and the post itself is never held up or broken.
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { previewCards } from "../../src/db/schema/index.ts";
import { blockDomain } from "../../src/domain/moderation.ts";
import * as E from "../api/entities.ts";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { type LinkPages, startLinkPages } from "../helpers/link-pages.ts";

let pages: LinkPages;
beforeAll(async () => {
  pages = await startLinkPages();
});
afterAll(() => pages.close());

const open: TestInstance[] = [];
afterEach(async () => {
  for (const i of open.splice(0)) await i.close();
});

async function instanceWith(
  env: Record<string, string> = { FEDERATION_ALLOW_PRIVATE_ADDRESS: "true" },
) {
  const instance = await createTestInstance(env, {}, { previewCards: { timeoutMs: 1500 } });
  open.push(instance);
  const alice = await localUser(instance, "alice");
  return { instance, alice };
}

/**
 * Posts `text` as alice, lets the background work run, and reads the status back. `cached`: the link's
 * card is fresh already, so the background work may link it before the answer is read (no page to wait
 * for), and the answer is not checked for having no card.
 */
async function postAndSettle(
  instance: TestInstance,
  token: string,
  text: string,
  options: { cached?: boolean } = {},
) {
  const posted = await call(instance, "POST", "/api/v1/statuses", {
    token,
    body: { status: text },
  });
  expect(posted.status).toBe(200);
  // The answer to the post never waits for the page.
  if (!options.cached) expect(posted.json.card).toBeNull();
  await instance.deps.events.drain();
  await instance.deps.previewCards.idle();
  return (await call(instance, "GET", `/api/v1/statuses/${posted.json.id}`, { token })).json;
}

describe("preview cards", () => {
  it("shows the OpenGraph card of a linked page, with its image stored and served by us", async () => {
    expect.hasAssertions();
    const { instance, alice } = await instanceWith();
    const status = await postAndSettle(instance, alice.token, `Look ${pages.origin}/article today`);
    E.Status.parse(status);
    expect(status.card).toMatchObject({
      url: `${pages.origin}/article`,
      title: "Lighthouses & Light",
      description: "A survey of painted lighthouses.",
      type: "link",
      provider_name: "Harbour Gazette",
      provider_url: `${pages.origin}/`,
      author_name: "Ada Painter",
      authors: [{ name: "Ada Painter", url: "", account: null }],
      image_description: "A blue square",
      language: "en",
      published_at: "2026-11-30T10:00:00.000Z",
      html: "",
      embed_url: "",
    });
    expect(status.card.image).toMatch(new RegExp(`^${instance.config.origin}/media/.+\\.webp$`));
    expect(status.card.blurhash).toEqual(expect.any(String));
    expect([status.card.width, status.card.height]).toEqual([640, 320]);
    // The image is the re-encoded copy: WebP, served from our /media.
    const file = await instance.app.request(new URL(status.card.image).pathname);
    expect(file.status).toBe(200);
    expect((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).format).toBe("webp");
  });

  it("falls back to <title> and the description meta, and skips mentions and hashtags", async () => {
    expect.hasAssertions();
    const { instance, alice } = await instanceWith();
    await localUser(instance, "bob");
    const status = await postAndSettle(
      instance,
      alice.token,
      `@bob #harbour ${pages.origin}/plain and ${pages.origin}/article`,
    );
    expect(status.card).toMatchObject({ title: "Just a title", description: "Said plainly." });
    expect(status.card.image).toBeNull();
  });

  it("takes a video's oEmbed answer, keeping only its https iframe", async () => {
    expect.hasAssertions();
    const { instance, alice } = await instanceWith();
    const status = await postAndSettle(instance, alice.token, `${pages.origin}/video`);
    expect(status.card).toMatchObject({
      type: "video",
      title: "Painting the sea",
      author_name: "Studio Blue",
      author_url: `${pages.origin}/studio`,
      provider_name: "TubeLoop",
      width: 640,
      height: 360,
    });
    E.PreviewCard.parse(status.card);
    expect(status.card.html).toBe(
      '<iframe src="https://player.example/embed/1" width="640" height="360" allowfullscreen></iframe>',
    );
    expect(status.card.image).not.toBeNull();
  });

  it("drops embed markup that is not a safe iframe: the card stays a link", async () => {
    expect.hasAssertions();
    const { instance, alice } = await instanceWith();
    const status = await postAndSettle(instance, alice.token, `${pages.origin}/rich`);
    expect(status.card).toMatchObject({ type: "link", html: "", title: "Widget" });
  });

  it("leaves the card null for a page over the byte cap and one past the deadline", async () => {
    expect.hasAssertions();
    const { instance, alice } = await instanceWith();
    const big = await postAndSettle(instance, alice.token, `${pages.origin}/big`);
    expect(big.card).toBeNull();
    const started = Date.now();
    const slow = await postAndSettle(instance, alice.token, `${pages.origin}/slow`);
    expect(slow.card).toBeNull();
    expect(Date.now() - started).toBeLessThan(8000);
    const failed = await instance.deps.db
      .select({ url: previewCards.url, state: previewCards.state })
      .from(previewCards)
      .orderBy(previewCards.url);
    expect(failed).toEqual([
      { url: `${pages.origin}/big`, state: "failed" },
      { url: `${pages.origin}/slow`, state: "failed" },
    ]);
  });

  it("refuses a private address unless FEDERATION_ALLOW_PRIVATE_ADDRESS is on", async () => {
    expect.hasAssertions();
    const { instance, alice } = await instanceWith({});
    const before = pages.hits("/plain");
    const status = await postAndSettle(instance, alice.token, `${pages.origin}/plain`);
    expect(status.card).toBeNull();
    expect(pages.hits("/plain")).toBe(before);
  });

  it("fetches a URL once while its card is fresh, and an edit re-resolves the card", async () => {
    expect.hasAssertions();
    const { instance, alice } = await instanceWith();
    const before = pages.hits("/plain");
    const first = await postAndSettle(instance, alice.token, `${pages.origin}/plain`);
    const second = await postAndSettle(instance, alice.token, `again ${pages.origin}/plain`, {
      cached: true,
    });
    expect(second.card.title).toBe("Just a title");
    expect(pages.hits("/plain")).toBe(before + 1);
    const edited = await call(instance, "PUT", `/api/v1/statuses/${first.id}`, {
      token: alice.token,
      body: { status: "no link any more" },
    });
    expect(edited.status).toBe(200);
    await instance.deps.events.drain();
    await instance.deps.previewCards.idle();
    const after = await call(instance, "GET", `/api/v1/statuses/${first.id}`, {
      token: alice.token,
    });
    expect(after.json.card).toBeNull();
    const rows = await instance.deps.db
      .select()
      .from(previewCards)
      .where(eq(previewCards.url, `${pages.origin}/plain`));
    expect(rows).toHaveLength(1);
  });

  it("fetches nothing from a blocked domain: not the linked page, nor the image a page names", async () => {
    expect.hasAssertions();
    const { instance, alice } = await instanceWith();
    const port = new URL(pages.origin).port;
    await blockDomain(instance.deps.db, `localhost:${port}`);
    const images = pages.hits("/cover.png");
    const status = await postAndSettle(instance, alice.token, `${pages.origin}/elsewhere`);
    expect(status.card).toMatchObject({ title: "Elsewhere", image: null });
    expect(pages.hits("/cover.png")).toBe(images);
    const before = pages.hits("/plain");
    const blocked = await postAndSettle(instance, alice.token, `http://localhost:${port}/plain`);
    expect(blocked.card).toBeNull();
    expect(pages.hits("/plain")).toBe(before);
  });
});
