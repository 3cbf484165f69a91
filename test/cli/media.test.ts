import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import { S3MediaStore } from "../../src/media/s3-store.ts";
import { LocalMediaStore, mediaKeyFor } from "../../src/media/store.ts";
import { tempDir } from "../helpers/instance.ts";
import { runScript } from "../helpers/process.ts";
import { startS3, type TestS3 } from "../helpers/s3.ts";

let s3: TestS3;
const dir = tempDir();
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3.stop();
  dir.remove();
});

/** The S3_* variables without MEDIA_STORE=s3: the copy is made before the instance switches. */
function s3Variables(): Record<string, string> {
  const { MEDIA_STORE: _, ...rest } = s3.env;
  return rest;
}

async function cli(env: Record<string, string>, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    env: { DATA_DIR: dir.path, LOG_LEVEL: "error", ...env },
    out: (line) => {
      stdout += `${line}\n`;
    },
    err: (line) => {
      stderr += `${line}\n`;
    },
  });
  return { code, stdout, stderr };
}

describe("admin CLI: media copy-to-s3", () => {
  it("copies DATA_DIR/media into the S3 store and skips what is there on a second run", async () => {
    const local = new LocalMediaStore(join(dir.path, "media"));
    const a = await local.put(Buffer.from("an image"), "webp");
    const b = await local.put(Buffer.from("another image"), "png");

    const first = await cli(s3Variables(), "media", "copy-to-s3");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      `Copied 2 file(s) (0.0 KiB) from ${join(dir.path, "media")} to S3 bucket "${s3.bucket}"; 0 already there.`,
    );
    const store = new S3MediaStore(s3.settings);
    try {
      expect((await store.get(a))?.bytes.toString()).toBe("an image");
      expect((await store.get(b))?.contentType).toBe("image/png");
    } finally {
      store.close();
    }

    const second = await cli({ ...s3Variables(), MEDIA_STORE: "s3" }, "media", "copy-to-s3");
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Copied 0 file(s) (0.0 KiB)");
    expect(second.stdout).toContain("; 2 already there.");
  });

  it("fails, naming them, when files do not match their content hash", async () => {
    const key = mediaKeyFor(Buffer.from("original"), "jpg");
    mkdirSync(join(dir.path, "media", key.slice(0, 2)), { recursive: true });
    writeFileSync(join(dir.path, "media", key), "damaged");
    const result = await cli(s3Variables(), "media", "copy-to-s3");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Copied 0 file(s)");
    expect(result.stderr).toContain(
      `Error: 1 file(s) do not match their content hash and were not copied:\n  ${key}`,
    );
    rmSync(join(dir.path, "media", key));
  });

  it("refuses without an S3 store, or with a half-configured one, naming the variables", async () => {
    const none = await cli({}, "media", "copy-to-s3");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      "No S3 store is configured: set S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY",
    );
    const half = await cli({ S3_BUCKET: "media" }, "media", "copy-to-s3");
    expect(half.code).toBe(2);
    expect(half.stderr).toContain("S3_ACCESS_KEY_ID: is required with the other S3_* variables");
    expect(half.stderr).toContain("S3_SECRET_ACCESS_KEY: is required");
    expect((await cli(s3Variables(), "media", "copy-to-s3", "now")).code).toBe(2);
  });

  it("reports a store that refuses the copy with its answer and exit code 1", async () => {
    const result = await cli(
      { ...s3Variables(), S3_BUCKET: "no-such-bucket" },
      "media",
      "copy-to-s3",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Error: S3 PutObject of "[0-9a-f/]+\.(webp|png)" in bucket "no-such-bucket" failed: NoSuchBucket/,
    );
  });

  it("works through the real entry point as a child process", async () => {
    const result = await runScript("src/cli/main.ts", ["media", "copy-to-s3"], {
      DATA_DIR: dir.path,
      ...s3Variables(),
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Copied 0 file\(s\) .*; 2 already there\./);
  }, 60_000);
});
