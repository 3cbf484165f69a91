// Several images in one post from the web composer, checked as a Mastodon client sees the post.
import { afterEach, describe, expect, it } from "vitest";
import { mediaAttachments } from "../../src/db/schema/index.ts";
import { localUser, webpImage } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(env: Record<string, string> = {}) {
  const i: TestInstance = await createTestInstance(env);
  cleanups.push(() => i.close());
  const alice = await localUser(i, "alice");
  const client = new PageClient(i.app);
  await client.signIn("alice");
  const csrf = await client.csrfFrom("/compose");
  return { i, alice, client, csrf };
}

async function upload(client: PageClient, csrf: string, count: number, alt: string) {
  const form = new FormData();
  form.set("csrf", csrf);
  for (let n = 0; n < count; n++) {
    const webp = await webpImage({ r: 40 * n, g: 100, b: 200 - 30 * n });
    form.append("file", new File([webp], `image${n}.webp`, { type: "image/webp" }));
  }
  form.set("text", "A set");
  form.set("alt", alt);
  form.set("visibility", "public");
  return await client.request("/compose/upload", { method: "POST", body: form });
}

describe("the composer's several images", () => {
  it("posts every uploaded image, in order, each with its own line of alt text", async () => {
    const { i, alice, client, csrf } = await setup();
    const res = await upload(client, csrf, 3, "first, blue\nsecond\r\nthird, green");
    expect(res.status).toBe(303);
    const id = res.headers.get("location")!.split("/").pop()!;
    const api = await i.app.request(`/api/v1/statuses/${id}`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    const status = (await api.json()) as { media_attachments: { description: string }[] };
    expect(status.media_attachments.map((m) => m.description)).toEqual([
      "first, blue",
      "second",
      "third, green",
    ]);
  });

  it("refuses more images than a post may carry, or an alt line too long, before storing any", async () => {
    const { i, client, csrf } = await setup({ MAX_MEDIA_ATTACHMENTS: "2" });
    const tooMany = await upload(client, csrf, 3, "");
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain("at most 2 images");
    const tooLong = await upload(client, csrf, 2, `fine\n${"x".repeat(1501)}`);
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain("Alt text is too long");
    expect(await i.deps.db.select().from(mediaAttachments)).toEqual([]);
    const instance = await i.app.request("/api/v2/instance");
    const body = (await instance.json()) as {
      configuration: { statuses: { max_media_attachments: number } };
    };
    expect(body.configuration.statuses.max_media_attachments).toBe(2);
  });
});
