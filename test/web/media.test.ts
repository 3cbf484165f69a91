import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MediaAttachment } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

let instance: ServedInstance;
let media: MediaAttachment;
beforeAll(async () => {
  instance = await serveTestInstance();
  const { account } = await createLocalUser(instance.deps.db, instance.deps.urls, {
    username: "alice",
    password: "correct horse",
  });
  const png = await sharp({ create: { width: 50, height: 40, channels: 3, background: "#f0a" } })
    .png()
    .toBuffer();
  media = await instance.deps.media.ingest(account.id, png);
});
afterAll(() => instance.close());

describe("media files over HTTP", () => {
  it("serves a stored file with its type, a strong ETag and immutable caching", async () => {
    const url = instance.deps.urls.media(media.displayKey!);
    expect(url.startsWith(`${instance.url}/media/`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.headers.get("etag")).toBe(`"${media.displayKey!.split("/")[1]!.split(".")[0]}"`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const body = Buffer.from(await res.arrayBuffer());
    expect((await sharp(body).metadata()).format).toBe("webp");
    const original = await fetch(instance.deps.urls.media(media.originalKey!));
    expect(original.headers.get("content-type")).toBe("image/png");
    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(body.byteLength));
    expect(head.headers.get("etag")).toBe(res.headers.get("etag"));
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const url = instance.deps.urls.media(media.thumbnailKey!);
    const etag = (await fetch(url)).headers.get("etag")!;
    const again = await fetch(url, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });

  it("answers 404 for unknown keys and anything that is not a key", async () => {
    const missing = `${"ab".repeat(1)}/ab${"0".repeat(62)}.webp`;
    expect((await fetch(`${instance.url}/media/${missing}`)).status).toBe(404);
    expect((await fetch(`${instance.url}/media/..%2F..%2Fatelier.sqlite`)).status).toBe(404);
    expect((await fetch(`${instance.url}/media/ab/../../atelier.sqlite`)).status).toBe(404);
    expect((await fetch(`${instance.url}/media/zz/zz.webp`)).status).toBe(404);
  });
});
