// The move to PostgreSQL as clients and peers see it: an instance on SQLite with local media (a real
// `npm start` child process) gets posts with an image, local and remote follows both ways and likes,
// through the Mastodon API and a second instance (B); its API, WebFinger, actor documents and media
// answers are recorded; it is stopped, `migrate-to-postgres URL --media-to-s3` runs as the real CLI, and
// the instance starts again on DATABASE_URL with MEDIA_STORE=s3 (no S3_PUBLIC_URL, so media URLs stay
// on /media). Every answer is the same, the tokens still work, and a new post still reaches B.
import { existsSync, renameSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { cliUser } from "../helpers/cli-users.ts";
import { localUser, webpImage } from "../helpers/factories.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";
import { freePort, tempDir } from "../helpers/instance.ts";
import { runScript, type Started, startScript } from "../helpers/process.ts";
import { startS3, type TestS3 } from "../helpers/s3.ts";
import { createDatabase, startPostgres, type TestServer } from "../helpers/servers.ts";

interface Loose {
  // biome-ignore lint/suspicious/noExplicitAny: API answers, read as a client reads them
  [key: string]: any;
}

let postgres: TestServer;
let s3: TestS3;
let b: FederatedInstance;
const aDir = tempDir("atelier-move-");
let a: Started | undefined;
const outputs: string[] = [];
let port: number;
let origin: string;
let aEnv: Record<string, string>;
const tokens: Record<"alice" | "bob" | "carol", string> = { alice: "", bob: "", carol: "" };
const ids: Record<string, string> = {};

async function startA(extra: Record<string, string> = {}): Promise<void> {
  a = await startScript("src/main.ts", { ...aEnv, ...extra }, /listening on/, 30_000);
  const started = a;
  started.exited.then(() => outputs.push(started.output()));
}

async function stopA(): Promise<void> {
  if (a === undefined) return;
  const { child, exited } = a;
  a = undefined;
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await exited;
}

async function request(
  url: string,
  token: string | null,
  method = "GET",
  body?: unknown,
  accept = "application/json",
): Promise<Response> {
  return await fetch(url, {
    method,
    headers: {
      Accept: accept,
      ...(token !== null ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && !(body instanceof FormData)
        ? { "Content-Type": "application/json" }
        : {}),
    },
    ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
  });
}

async function api(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<Loose> {
  const res = await request(`${base}${path}`, token, method, body);
  const json = (await res.json()) as Loose;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** What A answers, as clients and peers read it: status, the pagination Link, and the body. */
async function answers(): Promise<Record<string, unknown>> {
  const { alice, bob } = tokens;
  const reads: [string, string | null, string][] = [
    ["/api/v1/accounts/verify_credentials", alice, "application/json"],
    [`/api/v1/accounts/${ids.alice}`, null, "application/json"],
    [`/api/v1/accounts/${ids.alice}/statuses`, null, "application/json"],
    [`/api/v1/accounts/${ids.alice}/followers`, alice, "application/json"],
    [`/api/v1/accounts/${ids.alice}/following`, alice, "application/json"],
    [`/api/v1/statuses/${ids.post}`, bob, "application/json"],
    [`/api/v1/statuses/${ids.post}/favourited_by`, bob, "application/json"],
    ["/api/v1/timelines/home", alice, "application/json"],
    ["/api/v1/timelines/home", bob, "application/json"],
    ["/api/v1/notifications", alice, "application/json"],
    [
      `/api/v1/accounts/relationships?id[]=${ids.bob}&id[]=${ids.carolOnA}`,
      alice,
      "application/json",
    ],
    [`/.well-known/webfinger?resource=acct:alice@127.0.0.1:${port}`, null, "application/jrd+json"],
    ["/users/alice", null, "application/activity+json"],
    ["/users/alice/followers", null, "application/activity+json"],
    ["/users/alice/following", null, "application/activity+json"],
    [`/users/alice/statuses/${ids.post}`, null, "application/activity+json"],
  ];
  const seen: Record<string, unknown> = {};
  for (const [path, token, accept] of reads) {
    const res = await request(`${origin}${path}`, token, "GET", undefined, accept);
    const who = token === alice ? "alice" : token === bob ? "bob" : "anyone";
    seen[`${who} ${path}`] = {
      status: res.status,
      link: res.headers.get("link"),
      body: await res.json(),
    };
  }
  // The image's bytes, at the URLs the API gave for them.
  const status = seen[`bob /api/v1/statuses/${ids.post}`] as { body: Loose };
  for (const media of status.body.media_attachments as Loose[]) {
    for (const url of [media.url, media.preview_url] as string[]) {
      const res = await fetch(url);
      seen[`bytes of ${url}`] = {
        status: res.status,
        type: res.headers.get("content-type"),
        bytes: Buffer.from(await res.arrayBuffer()).toString("base64"),
      };
    }
  }
  return seen;
}

// Both instances are polled every 100 ms while activities travel, more often than 300 requests allow.
const polledOften = { API_RATE_LIMIT: "100000" };

beforeAll(async () => {
  [postgres, s3] = await Promise.all([startPostgres(), startS3()]);
  port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  aEnv = {
    DATA_DIR: aDir.path,
    HOST: "127.0.0.1",
    PORT: String(port),
    ORIGIN: origin,
    LOG_LEVEL: "info",
    FEDERATION_ALLOW_PRIVATE_ADDRESS: "true",
    ...polledOften,
  };
  // A's users, made by the admin CLI in its SQLite file before it first starts.
  for (const name of ["alice", "bob"] as const) tokens[name] = (await cliUser(aEnv, name)).token;
  b = await startFederatedInstance({ env: polledOften });
  tokens.carol = (await localUser(b, "carol")).token;
}, 120_000);

afterAll(async () => {
  await stopA();
  await b?.close();
  await Promise.all([postgres?.stop(), s3?.stop()]);
  aDir.remove();
});

describe("migrate-to-postgres, as the API shows it", () => {
  it("answers the same after the move to PostgreSQL and S3, to the same tokens", async () => {
    onTestFailed(() => {
      for (const output of [...outputs, a?.output() ?? ""]) console.error(output);
    });
    await startA();
    const { alice, bob, carol } = tokens;
    for (const name of ["alice", "bob"] as const) {
      ids[name] = (
        await api(origin, tokens[name], "GET", "/api/v1/accounts/verify_credentials")
      ).id;
    }

    // alice posts an image (kept in DATA_DIR/media); bob and alice follow each other; bob likes it.
    const form = new FormData();
    form.append(
      "file",
      new Blob([await webpImage({ r: 30, g: 120, b: 200 })], { type: "image/webp" }),
      "tide.webp",
    );
    form.append("description", "The tide coming in");
    const media = await api(origin, alice, "POST", "/api/v2/media", form);
    expect(media.url.startsWith(`${origin}/media/`)).toBe(true);
    const post = await api(origin, alice, "POST", "/api/v1/statuses", {
      status: "High tide #sea",
      media_ids: [media.id],
    });
    ids.post = post.id;
    await api(origin, bob, "POST", "/api/v1/statuses", {
      status: "@alice what a colour",
      in_reply_to_id: post.id,
    });
    await api(origin, bob, "POST", `/api/v1/accounts/${ids.alice}/follow`);
    await api(origin, alice, "POST", `/api/v1/accounts/${ids.bob}/follow`);
    await api(origin, bob, "POST", `/api/v1/statuses/${post.id}/favourite`);

    // carol on B follows alice and likes her post; alice follows carol back.
    const handle = `alice@127.0.0.1:${port}`;
    const found = await api(b.url, carol, "GET", `/api/v2/search?q=${handle}&resolve=true`);
    const aliceOnB = found.accounts[0] as Loose;
    await api(b.url, carol, "POST", `/api/v1/accounts/${aliceOnB.id}/follow`);
    const postOnB = await api(
      b.url,
      carol,
      "GET",
      `/api/v2/search?q=${encodeURIComponent(post.uri)}&resolve=true`,
    );
    await api(b.url, carol, "POST", `/api/v1/statuses/${postOnB.statuses[0].id}/favourite`);
    const carolHandle = `carol@127.0.0.1:${b.port}`;
    const carolOnA = await api(
      origin,
      alice,
      "GET",
      `/api/v2/search?q=${carolHandle}&resolve=true`,
    );
    ids.carolOnA = carolOnA.accounts[0].id;
    await api(origin, alice, "POST", `/api/v1/accounts/${ids.carolOnA}/follow`);
    // Everything has federated both ways before the answers are recorded.
    await waitFor("the follows and likes settled on A", async () => {
      const me = await api(origin, alice, "GET", `/api/v1/accounts/${ids.alice}`);
      const liked = await api(origin, alice, "GET", `/api/v1/statuses/${post.id}`);
      const [toCarol] = (await api(
        origin,
        alice,
        "GET",
        `/api/v1/accounts/relationships?id[]=${ids.carolOnA}`,
      )) as unknown as Loose[];
      return (
        me.followers_count === 2 &&
        me.following_count === 2 &&
        liked.favourites_count === 2 &&
        toCarol?.following === true
      );
    });
    await waitFor("carol following alice on B", async () => {
      const [toAlice] = (await api(
        b.url,
        carol,
        "GET",
        `/api/v1/accounts/relationships?id[]=${aliceOnB.id}`,
      )) as unknown as Loose[];
      return toAlice?.following === true;
    });
    const before = await answers();
    // The recording saw what it was meant to: the image, both followers, both likes, the home posts.
    expect(Object.keys(before).filter((k) => k.startsWith("bytes of "))).toHaveLength(2);
    expect((before[`alice /api/v1/accounts/${ids.alice}/followers`] as Loose).body).toHaveLength(2);
    expect((before[`bob /api/v1/statuses/${post.id}/favourited_by`] as Loose).body).toHaveLength(2);
    expect((before["bob /api/v1/timelines/home"] as Loose).body.length).toBeGreaterThanOrEqual(2);

    // The move: A stops, the real CLI copies its database and media, A starts on PostgreSQL and S3.
    await stopA();
    const url = await createDatabase(postgres.url, "atelier_moved");
    const moved = await runScript(
      "src/cli/main.ts",
      ["migrate-to-postgres", url, "--media-to-s3"],
      { ...aEnv, ...s3.env },
      90_000,
    );
    expect(moved.stderr).toBe("");
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain("every table's count matches.");
    // What stays behind in DATA_DIR is put out of reach: every answer must come from PostgreSQL and S3.
    for (const left of ["atelier.sqlite", "atelier.sqlite-wal", "atelier.sqlite-shm", "media"]) {
      if (existsSync(join(aDir.path, left)))
        renameSync(join(aDir.path, left), join(aDir.path, `${left}.moved`));
    }
    await startA({ DATABASE_URL: url, ...s3.env });

    const after = await answers();
    expect(after).toEqual(before);
    // The instance on PostgreSQL made no new SQLite file.
    expect(existsSync(join(aDir.path, "atelier.sqlite"))).toBe(false);

    // The tokens still write, and what alice posts now still reaches carol on B.
    const later = await api(origin, alice, "POST", "/api/v1/statuses", { status: "Low tide" });
    await waitFor("the new post on B", async () => {
      const home = (await api(b.url, carol, "GET", "/api/v1/timelines/home")) as unknown as Loose[];
      return home.some((s) => s.uri === later.uri);
    });
  }, 240_000);
});
