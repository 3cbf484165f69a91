// Scale-out end to end: instance A runs as two web processes and one worker (real child processes) on
// one store and an S3 store for media, and instance B is a plain one. They federate a follow, an image
// post and a like, through the Mastodon API as clients see it, while A's worker is killed with SIGKILL
// in the middle of a delivery (to a B that hangs) and started again: the post arrives once, and so does
// the like. A runs on each store several processes can share: one SQLite file with Redis (Fedify's
// queue and key-value store, the bus), and PostgreSQL alone (the queue and key-value store in tables of
// their own, the bus on LISTEN/NOTIFY).
import type { ChildProcess } from "node:child_process";
import { createServer, type Socket } from "node:net";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { POSTGRES_QUEUE_TABLE } from "../../federation/postgres-queue.ts";
import { cliUser } from "../helpers/cli-users.ts";
import { localUser, webpImage } from "../helpers/factories.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";
import { freePort, tempDir } from "../helpers/instance.ts";
import { type Started, startScript } from "../helpers/process.ts";
import { startS3, type TestS3 } from "../helpers/s3.ts";
import { createDatabase, startPostgres, startRedis, type TestServer } from "../helpers/servers.ts";

interface Loose {
  // biome-ignore lint/suspicious/noExplicitAny: API answers, read as a client reads them
  [key: string]: any;
}

function stop(child: ChildProcess, exited: Promise<number | null>, signal: NodeJS.Signals) {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  return exited;
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

/** The store A's processes share, on a server of its own: what they are given, and a look into its queue. */
interface SharedStore {
  env: Record<string, string>;
  /** True while a worker holds (has leased) an outgoing message naming `uri`: a delivery in flight. */
  deliveryInFlight(uri: string): Promise<boolean>;
  stop(): Promise<void>;
}

const stores: { name: string; start(): Promise<SharedStore> }[] = [
  {
    name: "one SQLite file and Redis",
    async start() {
      const redis = await startRedis();
      const queue = new Redis(redis.url);
      return {
        env: { REDIS_URL: redis.url },
        async deliveryInFlight(uri) {
          // federation/redis-queue.ts: q:msg maps ids to messages, q:lease holds the leased ids.
          for (const key of await queue.keys("atelier:*q:msg")) {
            const lease = `${key.slice(0, -"msg".length)}lease`;
            for (const [id, message] of Object.entries(await queue.hgetall(key)))
              if (message.includes(uri) && (await queue.zscore(lease, id)) !== null) return true;
          }
          return false;
        },
        async stop() {
          queue.disconnect();
          await redis.stop();
        },
      };
    },
  },
  {
    name: "PostgreSQL",
    async start() {
      const server: TestServer = await startPostgres();
      const url = await createDatabase(server.url, "atelier_a");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      // The server is stopped at the end; the end of this connection must not become an uncaught error.
      client.on("error", () => {});
      return {
        env: { DATABASE_URL: url },
        async deliveryInFlight(uri) {
          const { rows } = await client.query<{ n: number }>(
            `select count(*)::int as n from ${POSTGRES_QUEUE_TABLE}
             where not inbox and strpos(message, $1) > 0 and locked_until > now()`,
            [uri],
          );
          return (rows[0]?.n ?? 0) > 0;
        },
        async stop() {
          await client.end().catch(() => {});
          await server.stop();
        },
      };
    },
  },
];

// A killed worker's deliveries wait this long for another worker (60 s unless set).
const LEASE_SECONDS = 2;

/** A server on `port` that takes connections and never answers: a peer that hangs. */
async function silentServer(port: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// B's home timeline is polled every 100 ms while a delivery waits, longer than 300 requests allow.
const polledOften = { API_RATE_LIMIT: "100000" };

describe.each(stores)("an instance in web and worker processes on $name and S3", (store) => {
  let shared: SharedStore;
  let s3: TestS3;
  let b: FederatedInstance;
  const aDir = tempDir("atelier-roles-");
  const processes: Started[] = [];
  let aliceToken: string;
  let bobToken: string;
  let aEnv: Record<string, string>;
  let webPort: number;
  let otherWebPort: number;

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

  beforeAll(async () => {
    [shared, s3] = await Promise.all([store.start(), startS3()]);
    webPort = await freePort();
    otherWebPort = await freePort();
    aEnv = {
      DATA_DIR: aDir.path,
      HOST: "127.0.0.1",
      ORIGIN: `http://127.0.0.1:${webPort}`,
      LOG_LEVEL: "info",
      FEDERATION_ALLOW_PRIVATE_ADDRESS: "true",
      FEDERATION_QUEUE_LEASE_SECONDS: String(LEASE_SECONDS),
      ...shared.env,
      ...s3.env,
      S3_PUBLIC_URL: s3.publicUrl,
    };
    // alice and her token, made by the admin CLI on A's store, as an operator would.
    aliceToken = (await cliUser(aEnv, "alice")).token;
    b = await startFederatedInstance({ env: polledOften });
    bobToken = (await localUser(b, "bob")).token;
  }, 120_000);

  afterAll(async () => {
    for (const p of processes.splice(0)) await stop(p.child, p.exited, "SIGTERM");
    await b?.close();
    await s3?.stop();
    await shared?.stop();
    aDir.remove();
  });

  it("federates a follow, an image post and a like, losing nothing when the worker is killed", async () => {
    onTestFailed(() => {
      for (const p of processes) console.error(`A's ${p.child.pid}:\n${p.output()}`);
    });
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
    // …and B has the Accept: bob follows alice there, not just asks to.
    await waitFor("the Accept on B", async () => {
      const [relationship] = (await api(
        b.url,
        bobToken,
        "GET",
        `/api/v1/accounts/relationships?id[]=${aliceOnB.id}`,
      )) as unknown as Loose[];
      return relationship?.following === true;
    });

    // B stops answering: its port takes connections and never replies, so a delivery there hangs in
    // flight. alice posts an image through the second web process (the file goes to S3).
    await b.stop();
    const silent = await silentServer(b.port);
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

    // The worker is killed in the middle of that delivery, B comes back, and the worker starts again.
    await waitFor("the post's delivery in flight", () => shared.deliveryInFlight(post.uri));
    await stop(worker.child, worker.exited, "SIGKILL");
    await silent.close();
    b = await startFederatedInstance({ dir: b.dir, port: b.port, env: polledOften });
    worker = await startRole("worker", await freePort());

    // The killed worker's claim on the delivery lapses after the lease (LEASE_SECONDS); the new one
    // takes it then.
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
