// The gallery's justified layout and the pages' responsive images, as markup: each tile's aspect ratio
// from the stored image size, srcset/sizes over the thumbnail and display variants, and the page's first
// image fetched first while the rest load lazily.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { mediaAttachments } from "../../src/db/schema/index.ts";
import { localUser, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function instance(): Promise<TestInstance> {
  const i = await createTestInstance();
  cleanups.push(() => i.close());
  return i;
}

/** A status whose one image has stored variants: a 1600×900 display file and a 640×360 thumbnail. */
async function wideImagePost(i: TestInstance, accountId: string, n: number, inReplyToId?: string) {
  const s = await status(i, accountId, {
    images: 1,
    mediaKey: () => `ab/display${n}.webp`,
    ...(inReplyToId ? { inReplyToId } : {}),
  });
  await i.deps.db
    .update(mediaAttachments)
    .set({
      displayKey: `ab/display${n}.webp`,
      thumbnailKey: `ab/thumb${n}.webp`,
      width: 1600,
      height: 900,
      thumbnailWidth: 640,
      thumbnailHeight: 360,
    })
    .where(eq(mediaAttachments.statusId, s.id));
  return s;
}

const imgTags = (body: string) => body.match(/<img [^>]*>/g) ?? [];

describe("responsive images", () => {
  it("gives each gallery tile its aspect ratio and srcset, the first image priority and the rest lazy loading", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    for (let n = 0; n < 3; n++) await wideImagePost(i, account.id, n);
    const { body } = await new PageClient(i.app).get("/explore");
    const media = await i.deps.db.select().from(mediaAttachments);
    for (const m of media) {
      // The ratio reaches the stylesheet through the nonced rule, and app.js through data-ar.
      expect(body).toMatch(
        new RegExp(`\\.ph-${m.id}\\{background:linear-gradient[^}]*;--ar:1\\.778\\}`),
      );
      expect(body).toMatch(new RegExp(`<li class="tile ph-${m.id}" id="t-\\d+" data-ar="1.778"`));
    }
    const tiles = imgTags(body.slice(body.indexOf('<ul class="grid"')));
    expect(tiles).toHaveLength(3);
    for (const img of tiles) {
      expect(img).toMatch(
        / srcset="http[^"]+\/media\/ab\/thumb\d\.webp 640w, http[^"]+\/media\/ab\/display\d\.webp 1600w"/,
      );
      expect(img).toMatch(/ sizes="\(min-width: 960px\) min\(\d+px, 1168px\), /);
      expect(img).toContain('decoding="async"');
    }
    expect(tiles[0]).toContain('fetchpriority="high"');
    expect(tiles[0]).not.toContain('loading="lazy"');
    for (const img of tiles.slice(1)) {
      expect(img).toContain('loading="lazy"');
      expect(img).not.toContain("fetchpriority");
    }
  });

  it("offers the post page's images and the timeline's cards both variants, the post's own image first", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    const parent = await wideImagePost(i, account.id, 0);
    const reply = await wideImagePost(i, account.id, 1, parent.id);
    const client = new PageClient(i.app);
    const post = await client.get(`/@alice/${reply.id}`);
    // The page shows the parent's card above the post; the post's own image is the one fetched first.
    const own = imgTags(post.body).find((t) => t.includes("display1.webp"))!;
    expect(own).toMatch(/ srcset="[^"]+thumb1\.webp 640w, [^"]+display1\.webp 1600w"/);
    expect(own).toContain('sizes="(min-width: 912px) 848px, 100vw"');
    expect(own).toContain('fetchpriority="high"');
    const parentCard = imgTags(post.body).find((t) => t.includes("display0.webp"))!;
    expect(parentCard).toContain('loading="lazy"');
    expect(parentCard).not.toContain("fetchpriority");
    await client.signIn("alice");
    const home = await client.get("/home");
    const cards = imgTags(home.body).filter((t) => /display\d\.webp/.test(t));
    expect(cards).toHaveLength(2);
    expect(cards[0]).toContain('sizes="(min-width: 712px) 640px, 100vw"');
    expect(cards[0]).toContain('fetchpriority="high"');
    expect(cards[1]).toContain('loading="lazy"');
  });
});
