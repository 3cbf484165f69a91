// AVIF uploads are kept as AVIF: the stored original stays AVIF and is served as image/avif, offered
// first on the post's page; the display and thumbnail variants (what the API's url and the federated
// Document name) stay WebP, since AVIF is not safe to federate as the only variant (INTEROP.md).
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance({ ORIGIN: "https://atelier.example" });
});
afterEach(() => instance.close());

/** A real AVIF image with some detail (a gradient and a disc), made by sharp. */
async function avifImage(width = 480, height = 320): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g"><stop offset="0" stop-color="#203060"/><stop offset="1" stop-color="#e08040"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.7}" cy="${height * 0.3}" r="${height * 0.15}" fill="#ffe070"/>
  </svg>`;
  return await sharp(Buffer.from(svg)).avif({ quality: 60 }).toBuffer();
}

async function isAvif(bytes: Uint8Array): Promise<boolean> {
  const meta = await sharp(bytes).metadata();
  return meta.format === "heif" && meta.compression === "av1";
}

const mediaPath = (url: string) => new URL(url).pathname;

describe("AVIF uploads", () => {
  it("keep an AVIF original, served as image/avif and offered first on the post's page", async () => {
    const { token } = await localUser(instance, "alice");
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await avifImage())]), "dusk.avif");
    form.append("description", "A gradient at dusk");
    const res = await instance.app.request("/api/v2/media", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(200);
    const media = (await res.json()) as { id: string; url: string; preview_url: string };
    expect(media.url).toMatch(/\.webp$/);

    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "an avif", media_ids: [media.id], visibility: "public" },
    });
    expect(posted.status).toBe(200);

    const page = await new PageClient(instance.app).get(`/@alice/${posted.json.id}`);
    expect(page.res.status).toBe(200);
    const source = /<source type="image\/avif" srcset="([^"]+)">/.exec(page.body);
    expect(source).not.toBeNull();
    const original = await instance.app.request(mediaPath(source![1]!));
    expect(original.status).toBe(200);
    expect(original.headers.get("content-type")).toBe("image/avif");
    const bytes = new Uint8Array(await original.arrayBuffer());
    expect(await isAvif(bytes)).toBe(true);
    expect((await sharp(bytes).metadata()).width).toBe(480);

    // The WebP fallback stands in the same <picture> for browsers without AVIF.
    expect(page.body).toContain(`src="${media.url}"`);
    const display = await instance.app.request(mediaPath(media.url));
    expect(display.headers.get("content-type")).toBe("image/webp");
  });

  it("federate the WebP display file with its own mediaType, never AVIF as the only variant", async () => {
    const { token } = await localUser(instance, "alice");
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await avifImage())]), "dusk.avif");
    const up = await instance.app.request("/api/v2/media", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    const media = (await up.json()) as { id: string; url: string };
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "an avif", media_ids: [media.id] },
    });
    const note = await instance.app.request(posted.json.uri as string, {
      headers: { Accept: "application/activity+json" },
    });
    expect(note.status).toBe(200);
    const json = (await note.json()) as { attachment: { url: string; mediaType: string }[] };
    expect(json.attachment).toHaveLength(1);
    const attachment = json.attachment[0]!;
    expect(attachment.url).toBe(media.url);
    const served = await instance.app.request(mediaPath(attachment.url));
    expect(attachment.mediaType).toBe(served.headers.get("content-type"));
    expect(attachment.mediaType).toBe("image/webp");
  });

  it("refuses a file named .avif that is not an image, with a clear error", async () => {
    const { token } = await localUser(instance, "alice");
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(Buffer.from("not an image at all"))]), "x.avif");
    const res = await instance.app.request("/api/v2/media", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(/AVIF/);
  });
});
