// A real S3 server for tests: s3rver (objects as files in a temporary folder) in a child process on a
// free loopback port, with one bucket, and the S3_* environment that points an instance at it. `stop`
// ends that process (by its own handle) and removes the folder.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import type { S3Config } from "../../src/config.ts";
import { freePort, tempDir } from "./instance.ts";
import { stopChild, waitForPort } from "./servers.ts";

export interface TestS3 {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** Where the bucket's objects are readable without signing (s3rver serves reads to anyone). */
  publicUrl: string;
  settings: S3Config;
  /** MEDIA_STORE=s3 and the S3_* variables for this server (without S3_PUBLIC_URL). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

// The key pair s3rver knows (it refuses other key ids; it does not check V4 signatures).
const ACCESS_KEY = "S3RVER";

const s3rverBin = createRequire(import.meta.url).resolve("s3rver/bin/s3rver.js");

export async function startS3(bucket = "atelier-media"): Promise<TestS3> {
  const dir = tempDir("atelier-s3-");
  const port = await freePort();
  // s3rver makes ListObjectsV2 continuation tokens with DES, which Node 24's OpenSSL 3 offers only
  // through its legacy provider: without it every truncated listing is a 500.
  const child = spawn(
    process.execPath,
    [
      "--openssl-legacy-provider",
      s3rverBin,
      "--silent",
      "--address",
      "127.0.0.1",
      "--port",
      String(port),
      "--directory",
      dir.path,
      // Path-style only, as a self-hosted store (MinIO, Garage) is usually reached.
      "--no-vhost-buckets",
      "--configure-bucket",
      bucket,
    ],
    { stdio: "ignore" },
  );
  try {
    await waitForPort(port, child, "s3rver");
  } catch (error) {
    await stopChild(child, "SIGKILL");
    dir.remove();
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const settings: S3Config = {
    endpoint,
    region: "us-east-1",
    bucket,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: ACCESS_KEY,
    forcePathStyle: true,
  };
  return {
    endpoint,
    bucket,
    publicUrl: `${endpoint}/${bucket}`,
    settings,
    env: {
      MEDIA_STORE: "s3",
      S3_ENDPOINT: endpoint,
      S3_REGION: settings.region,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: ACCESS_KEY,
      S3_FORCE_PATH_STYLE: "true",
    },
    async stop() {
      await stopChild(child, "SIGTERM");
      dir.remove();
    },
  };
}
