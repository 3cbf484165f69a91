import { createServer, type Server, type Socket } from "node:net";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { S3Config } from "../../src/config.ts";
import { MediaStoreError, S3MediaStore } from "../../src/media/s3-store.ts";
import { mediaKeyFor } from "../../src/media/store.ts";
import { startS3, type TestS3 } from "../helpers/s3.ts";

let s3: TestS3;
let store: S3MediaStore;
beforeAll(async () => {
  s3 = await startS3();
  store = new S3MediaStore(s3.settings);
});
afterAll(async () => {
  store.close();
  await s3.stop();
});

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe("S3 media store", () => {
  it("stores bytes under their content hash and reads them back", async () => {
    const content = bytes("a webp, as far as this store cares");
    const key = await store.put(content, "webp");
    expect(key).toBe(mediaKeyFor(content, "webp"));
    const stored = await store.get(key);
    expect(stored?.contentType).toBe("image/webp");
    expect(stored?.sha256).toBe(key.slice(3, 67));
    expect(Buffer.from(stored!.bytes).equals(Buffer.from(content))).toBe(true);
    expect(await store.has(key)).toBe(true);
    const info = await store.stat(key);
    expect(info?.size).toBe(content.byteLength);
    expect(info?.storedAt).toBeInstanceOf(Date);
    // Storing the same bytes again keeps one object under the same key.
    expect(await store.put(content, "webp")).toBe(key);
  });

  it("writes each object with its content type and an immutable cache lifetime", async () => {
    const content = bytes("png bytes");
    const key = await store.put(content, "png");
    const res = await fetch(`${s3.publicUrl}/${key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe("png bytes");
  });

  it("streams an object with its size", async () => {
    const content = bytes("x".repeat(100_000));
    const key = await store.put(content, "avif");
    const file = await store.open(key);
    expect(file?.size).toBe(100_000);
    expect(file?.contentType).toBe("image/avif");
    const read = Buffer.from(await new Response(file!.body).arrayBuffer());
    expect(read.equals(Buffer.from(content))).toBe(true);
  });

  it("answers undefined for a missing key and for anything that is not a key", async () => {
    const missing = `ab/ab${"0".repeat(62)}.webp`;
    expect(await store.get(missing)).toBeUndefined();
    expect(await store.open(missing)).toBeUndefined();
    expect(await store.stat(missing)).toBeUndefined();
    expect(await store.has(missing)).toBe(false);
    for (const bad of ["../secret", "ab/ab.webp", `zz/zz${"0".repeat(62)}.webp`]) {
      expect(await store.get(bad)).toBeUndefined();
      expect(await store.has(bad)).toBe(false);
    }
    // Deleting what is not there is not an error.
    await expect(store.delete(missing)).resolves.toBeUndefined();
  });

  it("deletes an object", async () => {
    const key = await store.put(bytes("short-lived"), "gif");
    await store.delete(key);
    expect(await store.has(key)).toBe(false);
    expect(await store.get(key)).toBeUndefined();
  });

  it("lists every stored key across pages, with sizes, and skips objects that are not ours", async () => {
    const bucket = "listing";
    const other = await startS3(bucket);
    const paged = new S3MediaStore(other.settings, { listPageSize: 2 });
    try {
      const keys: string[] = [];
      for (let i = 0; i < 5; i++) keys.push(await paged.put(bytes(`file ${i}`), "jpg"));
      // Something else in the same bucket (a backup, another app's file).
      await putForeignObject(other.settings, "notes/readme.txt");
      const listed: { key: string; size: number }[] = [];
      for await (const o of paged.list()) listed.push({ key: o.key, size: o.size });
      expect(listed.map((o) => o.key)).toEqual([...keys].sort());
      expect(listed.every((o) => o.size === 6)).toBe(true);
    } finally {
      paged.close();
      await other.stop();
    }
  });

  it("turns the store's refusals into errors that name the operation, key and bucket", async () => {
    const wrong = new S3MediaStore({ ...s3.settings, bucket: "no-such-bucket" });
    try {
      const error = await wrong.put(bytes("x"), "png").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaStoreError);
      expect((error as MediaStoreError).message).toMatch(
        /^S3 PutObject of "[0-9a-f]{2}\/[0-9a-f]{64}\.png" in bucket "no-such-bucket" failed: NoSuchBucket \(HTTP 404\)/,
      );
      expect((error as MediaStoreError).status).toBe(404);
      const listing = await (async () => {
        for await (const _ of wrong.list()) return "listed";
      })().catch((e: unknown) => e);
      expect((listing as Error).message).toMatch(/^S3 ListObjectsV2 of bucket "no-such-bucket"/);
    } finally {
      wrong.close();
    }
    const stranger = new S3MediaStore({ ...s3.settings, accessKeyId: "SOMEONE-ELSE" });
    try {
      const error = await stranger.get(`ab/ab${"0".repeat(62)}.webp`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaStoreError);
      expect((error as Error).message).toContain("InvalidAccessKeyId (HTTP 403)");
    } finally {
      stranger.close();
    }
  });

  it("gives up on a store that never answers, with an error saying so", async () => {
    // Accepts connections and stays silent.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const mute = new S3MediaStore(
      { ...s3.settings, endpoint: `http://127.0.0.1:${port}` },
      { timeoutMs: 300 },
    );
    try {
      const error = await mute.stat(`ab/ab${"0".repeat(62)}.webp`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaStoreError);
      expect((error as Error).message).toMatch(
        /^S3 HeadObject of .* failed: no answer within 300 ms/,
      );
    } finally {
      mute.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

/** Puts an object whose name is not a media key, with a client of its own. */
async function putForeignObject(settings: S3Config, key: string): Promise<void> {
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: true,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
  });
  try {
    await client.send(new PutObjectCommand({ Bucket: settings.bucket, Key: key, Body: "hello" }));
  } finally {
    client.destroy();
  }
}
