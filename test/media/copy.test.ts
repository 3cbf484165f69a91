import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CopyProgress, copyMediaStore } from "../../src/media/copy.ts";
import { S3MediaStore } from "../../src/media/s3-store.ts";
import { LocalMediaStore, mediaKeyFor } from "../../src/media/store.ts";
import { tempDir } from "../helpers/instance.ts";
import { startS3, type TestS3 } from "../helpers/s3.ts";

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(() => s3.stop());

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe("copying a media store", () => {
  it("copies every file once, skips what the target holds, re-copies a damaged one and leaves out corrupt ones", async () => {
    const dir = tempDir();
    const local = new LocalMediaStore(join(dir.path, "media"));
    const s3Store = new S3MediaStore(s3.settings);
    try {
      const keys = [
        await local.put(bytes("first image"), "webp"),
        await local.put(bytes("second image, a little longer"), "png"),
        await local.put(bytes("third"), "jpg"),
      ];
      // A file whose bytes no longer match its name (disk damage): copying it would file it under
      // another key, where no attachment row would find it.
      const corruptKey = mediaKeyFor(bytes("what it was"), "webp");
      mkdirSync(join(dir.path, "media", corruptKey.slice(0, 2)), { recursive: true });
      writeFileSync(join(dir.path, "media", corruptKey), "what it became");

      const progress: CopyProgress[] = [];
      const first = await copyMediaStore(local, s3Store, { onProgress: (p) => progress.push(p) });
      expect(first).toEqual({
        copied: 3,
        skipped: 0,
        bytes: "first image".length + "second image, a little longer".length + "third".length,
        corrupt: [corruptKey],
        vanished: [],
      });
      expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
      expect(
        progress
          .filter((p) => p.outcome === "copied")
          .map((p) => p.key)
          .sort(),
      ).toEqual([...keys].sort());
      for (const key of keys) {
        const there = await s3Store.get(key);
        expect(Buffer.from(there!.bytes).equals((await local.get(key))!.bytes)).toBe(true);
      }
      expect(await s3Store.has(corruptKey)).toBe(false);

      // Again: everything is there with its size, nothing is written.
      const second = await copyMediaStore(local, s3Store);
      expect(second).toMatchObject({ copied: 0, skipped: 3, bytes: 0, corrupt: [corruptKey] });

      // An object of the wrong size under a key (a cut-off upload) is written again.
      const client = new S3Client({
        endpoint: s3.endpoint,
        region: s3.settings.region,
        forcePathStyle: true,
        credentials: {
          accessKeyId: s3.settings.accessKeyId,
          secretAccessKey: s3.settings.secretAccessKey,
        },
      });
      await client.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: keys[1]!, Body: "second im" }),
      );
      client.destroy();
      const third = await copyMediaStore(local, s3Store, { concurrency: 1 });
      expect(third).toMatchObject({ copied: 1, skipped: 2 });
      expect(Buffer.from((await s3Store.get(keys[1]!))!.bytes).toString()).toBe(
        "second image, a little longer",
      );

      // And back: S3 into an empty local folder.
      const restored = new LocalMediaStore(join(dir.path, "restored"));
      const back = await copyMediaStore(s3Store, restored);
      expect(back).toMatchObject({ copied: 3, skipped: 0, corrupt: [] });
      expect((await restored.get(keys[2]!))?.bytes.toString()).toBe("third");
    } finally {
      s3Store.close();
      dir.remove();
    }
  });

  it("stops at the first failed write and says which", async () => {
    const dir = tempDir();
    const local = new LocalMediaStore(join(dir.path, "media"));
    const missing = new S3MediaStore({ ...s3.settings, bucket: "no-such-bucket" });
    try {
      await local.put(bytes("an image"), "webp");
      await expect(copyMediaStore(local, missing)).rejects.toThrow(
        /^S3 PutObject of "[0-9a-f/]+\.webp" in bucket "no-such-bucket" failed: NoSuchBucket/,
      );
    } finally {
      missing.close();
      dir.remove();
    }
  });
});
