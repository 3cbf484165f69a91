import { existsSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneMedia } from "../../src/media/prune.ts";
import { localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import { startS3, type TestS3 } from "../helpers/s3.ts";

// Two instances, each with an S3 store of its own (a bucket belongs to one instance: its prune removes
// what that instance's rows do not name): one whose files are fetched from the bucket (S3_PUBLIC_URL),
// one that streams them through its own /media route.
let s3: TestS3;
let otherS3: TestS3;
let direct: ServedInstance;
let proxied: ServedInstance;
beforeAll(async () => {
  [s3, otherS3] = await Promise.all([startS3(), startS3()]);
  direct = await serveTestInstance({ ...s3.env, S3_PUBLIC_URL: `${s3.publicUrl}/` });
  proxied = await serveTestInstance(otherS3.env);
});
afterAll(async () => {
  await direct?.close();
  await proxied?.close();
  await s3?.stop();
  await otherS3?.stop();
});

async function png(color: string): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp({ create: { width: 300, height: 200, channels: 3, background: color } })
      .png()
      .toBuffer(),
  );
}

/** Uploads an image through the Mastodon API (POST /api/v2/media) over HTTP; returns the attachment. */
// biome-ignore lint/suspicious/noExplicitAny: the attachment JSON is checked field by field below.
async function upload(instance: ServedInstance, token: string, image: Uint8Array): Promise<any> {
  const form = new FormData();
  form.append("file", new Blob([image as BlobPart], { type: "image/png" }), "image.png");
  form.append("description", "a field of colour");
  const res = await fetch(`${instance.url}/api/v2/media`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status).toBe(200);
  return res.json();
}

/** Posts a public status with the attachment; returns its id. */
async function post(instance: ServedInstance, token: string, mediaId: string): Promise<string> {
  const res = await fetch(`${instance.url}/api/v1/statuses`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ status: "colour study", media_ids: [mediaId] }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).id;
}

/** The key a /media or bucket URL names ("ab/<sha256>.webp"). */
const keyOf = (url: string) => new URL(url).pathname.split("/").slice(-2).join("/");

describe("media on S3", () => {
  it("with S3_PUBLIC_URL, API, ActivityPub and pages point at the bucket, which serves the bytes", async () => {
    const { token } = await localUser(direct, "alice");
    const attachment = await upload(direct, token, await png("#2a9d8f"));
    expect(attachment.url).toMatch(new RegExp(`^${s3.publicUrl}/[0-9a-f]{2}/[0-9a-f]{64}\\.webp$`));
    expect(attachment.preview_url).toMatch(new RegExp(`^${s3.publicUrl}/`));

    const res = await fetch(attachment.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const bytes = Buffer.from(await res.arrayBuffer());
    const stored = await direct.deps.media.store.get(keyOf(attachment.url));
    expect(bytes.equals(stored!.bytes)).toBe(true);
    expect((await sharp(bytes).metadata()).format).toBe("webp");
    const preview = await fetch(attachment.preview_url);
    expect((await sharp(Buffer.from(await preview.arrayBuffer())).metadata()).width).toBe(300);
    // Nothing was written to the data folder.
    expect(existsSync(join(direct.config.dataDir, "media"))).toBe(false);

    const statusId = await post(direct, token, attachment.id);
    const note = await fetch(direct.deps.urls.status(statusId), {
      headers: { Accept: "application/activity+json" },
    });
    expect(note.status).toBe(200);
    const object = await note.json();
    const urls = [object.attachment].flat().map((a: { url: string }) => a.url);
    expect(urls).toEqual([attachment.url]);
    const page = await (await fetch(direct.deps.urls.statusPage("alice", statusId))).text();
    expect(page).toContain(attachment.url);
    expect(page).not.toContain(`${direct.url}/media/`);
  });

  it("without S3_PUBLIC_URL, the server's /media route streams the object from the bucket", async () => {
    const { token } = await localUser(proxied, "bob");
    const attachment = await upload(proxied, token, await png("#e76f51"));
    expect(attachment.url).toMatch(
      new RegExp(`^${proxied.url}/media/[0-9a-f]{2}/[0-9a-f]{64}\\.webp$`),
    );
    const key = keyOf(attachment.url);
    // The object is in the bucket, readable there too.
    const inBucket = Buffer.from(await (await fetch(`${otherS3.publicUrl}/${key}`)).arrayBuffer());

    const res = await fetch(attachment.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const etag = res.headers.get("etag");
    expect(etag).toBe(`"${key.slice(3, 67)}"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect(bytes.equals(inBucket)).toBe(true);
    expect((await sharp(bytes).metadata()).format).toBe("webp");

    const again = await fetch(attachment.url, { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    const head = await fetch(attachment.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect(head.headers.get("content-type")).toBe("image/webp");
    expect((await fetch(`${proxied.url}/media/ab/ab${"0".repeat(62)}.webp`)).status).toBe(404);
    expect(existsSync(join(proxied.config.dataDir, "media"))).toBe(false);
  });

  it("prunes the bucket: files no attachment row names go, posted ones stay", async () => {
    const { token } = await localUser(direct, "carol");
    const unposted = await upload(direct, token, await png("#264653"));
    const posted = await upload(direct, token, await png("#e9c46a"));
    await post(direct, token, posted.id);
    const result = await pruneMedia(
      direct.deps.db,
      direct.deps.media.store,
      new Date(Date.now() + 60_000),
    );
    expect(result.attachments).toBe(1);
    // The unposted upload's original, display and thumbnail files.
    expect(result.files).toBe(3);
    expect((await fetch(unposted.url)).status).toBe(404);
    expect((await fetch(posted.url)).status).toBe(200);
    expect((await fetch(posted.preview_url)).status).toBe(200);
  });
});
