// Scale-out end to end: instance A runs as two web processes and one worker (real child processes) that
// share one SQLite file, a Redis (Fedify's queue and key-value store, the bus) and an S3 store for media;
// instance B is a plain one. They federate a follow, an image post and a like, through the Mastodon API
// as clients see it, while A's worker is killed with SIGKILL with a delivery queued and started again:
// the post arrives once, and so does the like.
import type { ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeStore, openStore } from "../../src/db/dialect.ts";
import { localUrls } from "../../src/domain/local-urls.ts";
import { localUser, webpImage } from "../helpers/factories.ts";
import {
  type FederatedInstance,
  restartFederatedInstance,
  startFederatedInstance,
  waitFor,
} from "../helpers/federation.ts";
import { freePort, newStoreVariables, tempDir, testConfig } from "../helpers/instance.ts";
import { type Started, startScript } from "../helpers/process.ts";
import { startS3, type TestS3 } from "../helpers/s3.ts";
import { startRedis, type TestServer } from "../helpers/servers.ts";

interface Loose {
  // biome-ignore lint/suspicious/noExplicitAny: API answers, read as a client reads them
  [key: string]: any;
}

let redis: TestServer;
let s3: TestS3;
let b: FederatedInstance;
const aDir = tempDir("atelier-roles-");
const processes: Started[] = [];
let aliceToken: string;
let bobToken: string;
let aEnv: Record<string, string>;
let webPort: number;
let otherWebPort: number;

function stop(child: ChildProcess, exited: Promise<number | null>, signal: NodeJS.Signals) {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  return exited;
}

async function startRole(role: "web" | "worker", port: number): Promise<Started> {
  const ready = role === "web" ? /listening on/ : /worker running for/;
  const started = await startScript(
    "src/main.ts",
    { ...aEnv, ROLE: role, PORT: String(port) },
    ready,
    30_000,
  );
  processes.push(started);
  return started;
}

async function api(
  origin: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Loose> {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined && !(body instanceof FormData)
        ? { "Content-Type": "application/json" }
        : {}),
    },
    ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
  });
  const json = (await res.json()) as Loose;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  redis = await startRedis();
  s3 = await startS3();
  webPort = await freePort();
  otherWebPort = await freePort();
  const origin = `http://127.0.0.1:${webPort}`;
  // A's processes share its store: the SQLite data dir, or under test:postgres a database of its own.
  const store = newStoreVariables(aDir.path);
  const db = await openStore(testConfig(store));
  aliceToken = (await localUser({ db, urls: localUrls(origin) }, "alice")).token;
  await closeStore(db);
  aEnv = {
    ...store,
    HOST: "127.0.0.1",
    ORIGIN: origin,
    LOG_LEVEL: "info",
    REDIS_URL: redis.url,
    FEDERATION_ALLOW_PRIVATE_ADDRESS: "true",
    ...s3.env,
    S3_PUBLIC_URL: s3.publicUrl,
  };
  b = await startFederatedInstance();
  bobToken = (await localUser(b, "bob")).token;
}, 90_000);

afterAll(async () => {
  for (const p of processes.splice(0)) await stop(p.child, p.exited, "SIGTERM");
  await b?.close();
  await s3?.stop();
  await redis?.stop();
  aDir.remove();
});

describe("an instance in web and worker processes on Redis and S3", () => {
  it("federates a follow, an image post and a like, losing nothing when the worker is killed", async () => {
    const aOrigin = `http://127.0.0.1:${webPort}`;
    const aOther = `http://127.0.0.1:${otherWebPort}`;
    await startRole("web", webPort);
    await startRole("web", otherWebPort);
    let worker = await startRole("worker", await freePort());

    // bob on B follows alice on A: A's first web process takes the Follow, the worker accepts it.
    const handle = `alice@127.0.0.1:${webPort}`;
    const found = await api(b.url, bobToken, "GET", `/api/v2/search?q=${handle}&resolve=true`);
    const aliceOnB = found.accounts[0] as Loose;
    expect(aliceOnB.acct).toBe(handle);
    await api(b.url, bobToken, "POST", `/api/v1/accounts/${aliceOnB.id}/follow`);
    const me = await api(aOther, aliceToken, "GET", "/api/v1/accounts/verify_credentials");
    await waitFor("bob following alice on A", async () => {
      const alice = await api(aOther, aliceToken, "GET", `/api/v1/accounts/${me.id}`);
      return alice.followers_count === 1;
    });

    // B goes away; alice posts an image through the second web process (the file goes to S3).
    await b.stop();
    const form = new FormData();
    form.append(
      "file",
      new Blob([await webpImage({ r: 220, g: 140, b: 60 })], { type: "image/webp" }),
      "dawn.webp",
    );
    form.append("description", "A lighthouse at dawn");
    const media = await api(aOther, aliceToken, "POST", "/api/v2/media", form);
    expect(media.url.startsWith(s3.publicUrl)).toBe(true);
    const post = await api(aOther, aliceToken, "POST", "/api/v1/statuses", {
      status: "Dawn at the lighthouse",
      media_ids: [media.id],
    });

    // The delivery to B waits in Redis; the worker is killed with it there, and started again.
    const queue = new Redis(redis.url);
    try {
      await waitFor("the delivery queued in Redis", async () => {
        const keys = await queue.keys("atelier:*q:msg");
        for (const key of keys) if ((await queue.hlen(key)) > 0) return true;
        return false;
      });
    } finally {
      queue.disconnect();
    }
    await stop(worker.child, worker.exited, "SIGKILL");
    b = await restartFederatedInstance(b);
    worker = await startRole("worker", await freePort());

    const arrived = await waitFor(
      "the post on B",
      async () => {
        const home = (await api(
          b.url,
          bobToken,
          "GET",
          "/api/v1/timelines/home",
        )) as unknown as Loose[];
        return home.filter((s) => s.uri === post.uri).length > 0 ? home : undefined;
      },
      60_000,
    );
    const copies = arrived.filter((s: Loose) => s.uri === post.uri);
    expect(copies).toHaveLength(1);
    const seen = copies[0] as Loose;
    expect(seen.media_attachments).toHaveLength(1);
    expect(seen.media_attachments[0].description).toBe("A lighthouse at dawn");
    // The remote copy points at the file where A keeps it: the S3 bucket.
    const file = await fetch(seen.media_attachments[0].remote_url ?? seen.media_attachments[0].url);
    expect(file.status).toBe(200);

    // bob likes it on B; A's web process takes the Like and the worker records it, once.
    await api(b.url, bobToken, "POST", `/api/v1/statuses/${seen.id}/favourite`);
    await waitFor("the like on A", async () => {
      const status = await api(aOther, aliceToken, "GET", `/api/v1/statuses/${post.id}`);
      return status.favourites_count === 1;
    });
    const notifications = (await api(
      aOrigin,
      aliceToken,
      "GET",
      "/api/v1/notifications?types[]=favourite",
    )) as unknown as Loose[];
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.account.acct).toBe(`bob@127.0.0.1:${b.port}`);
  }, 150_000);
});
