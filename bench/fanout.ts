// Benchmark 2 (fan-out): one local image post delivered to 10,000 followers spread over 1,000 instances
// (fake shared inboxes on loopback that verify signatures). Time until every instance has it, requests sent
// (must equal the number of distinct shared inboxes), peak RSS, against the time node:crypto alone takes to
// sign that many requests, measured in the same run.
import { createSign, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { POSTGRES_QUEUE_TABLE } from "../federation/postgres-queue.ts";
import { newId } from "../src/db/ids.ts";
import { accounts, follows } from "../src/db/schema/index.ts";
import { createLocalUser } from "../src/domain/accounts.ts";
import { localUrls } from "../src/domain/local-urls.ts";
import { issueAccessToken } from "../src/domain/oauth.ts";
import { startFakeInboxes } from "./lib/fake-inboxes.ts";
import { freePort } from "./lib/instance.ts";
import { type BenchDatabase, createBenchDatabase, startBenchInstance } from "./lib/stores.ts";
import type { BenchContext } from "./run.ts";

/** Server CPU per delivery up to which the fan-out target's miss is the one bench/notes.md argues. */
const DISPUTED_UP_TO_MS_PER_DELIVERY = 7;

/** Seconds node:crypto takes to sign `count` draft-cavage signing strings with one RSA-2048 key. */
function rawSigningSeconds(count: number): number {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    createSign("sha256")
      .update(
        `(request-target): post /inbox\nhost: 127.0.0.1:${40000 + i}\ndate: ${new Date().toUTCString()}\ndigest: SHA-256=${"x".repeat(44)}`,
      )
      .sign(privateKey);
  }
  return (performance.now() - started) / 1000;
}

/** Waits (up to `timeoutMs`) until no domain event or queued message is left in PostgreSQL. */
async function queueDrained(database: BenchDatabase, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await database.rows<{ n: number }>(
      sql`select (select count(*) from ${sql.raw(POSTGRES_QUEUE_TABLE)})::int
        + (select count(*) from domain_events)::int as n`,
    );
    if ((row?.n ?? 0) === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function benchFanout(ctx: BenchContext): Promise<void> {
  const instances = ctx.quick ? 50 : 1000;
  const followersPerInstance = 10;
  const dataDir = mkdtempSync(join(tmpdir(), "atelier-bench-fanout-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const database = await createBenchDatabase(ctx.store, dataDir, "fanout");
  const { db } = database;
  const { account: poster } = await createLocalUser(db, localUrls(origin), {
    username: "poster",
    password: "benchmark password",
  });
  const token = (
    await issueAccessToken(db, {
      applicationId: null,
      accountId: poster.id,
      scopes: ["read", "write"],
    })
  ).accessToken;

  const instance = await startBenchInstance(ctx.store, database, {
    dataDir,
    port,
    originFromPort: true,
    env: { FEDERATION_ALLOW_PRIVATE_ADDRESS: "true", ...ctx.env },
  });
  const peer = await (async () => {
    // The sender's public key, as a receiving server would fetch and cache it.
    const actor = (await (
      await fetch(`${origin}/users/poster`, { headers: { accept: "application/activity+json" } })
    ).json()) as { publicKey: { publicKeyPem: string } };
    return startFakeInboxes(instances, actor.publicKey.publicKeyPem);
  })();
  try {
    // Followers: 10 accounts per instance, all sharing that instance's inbox. Written while the server
    // runs (through WAL on SQLite), as if they had followed over time; 100 instances' worth a statement.
    await db.transaction(async (tx) => {
      for (let i = 0; i < peer.inboxes.length; i += 100) {
        const rows = peer.inboxes.slice(i, i + 100).flatMap((inbox) => {
          const host = new URL(inbox).host;
          return Array.from({ length: followersPerInstance }, (_, k) => {
            const iri = `http://${host}/users/f${k}`;
            return {
              id: newId(),
              username: `f${k}`,
              domain: host,
              iri,
              inboxUrl: `${iri}/inbox`,
              sharedInboxUrl: inbox,
            };
          });
        });
        await tx.insert(accounts).values(rows);
        await tx.insert(follows).values(
          rows.map((a) => ({
            id: newId(),
            accountId: a.id,
            targetAccountId: poster.id,
            state: "accepted" as const,
          })),
        );
      }
    });

    const headers = { authorization: `Bearer ${token}` };
    const png = await sharp({
      create: { width: 800, height: 600, channels: 3, background: { r: 30, g: 90, b: 160 } },
    })
      .png()
      .toBuffer();
    const form = new FormData();
    form.set("file", new Blob([png], { type: "image/png" }), "image.png");
    form.set("description", "A blue rectangle");
    const media = (await (
      await fetch(`${origin}/api/v2/media`, { method: "POST", headers, body: form })
    ).json()) as { id: string };

    let peakRss = 0;
    const sampler = setInterval(async () => {
      peakRss = Math.max(peakRss, await instance.workRss().catch(() => 0));
    }, 25);
    const cpuBefore = await instance.cpuSeconds();
    const dbCpuBefore = await database.serverCpuSeconds();
    const started = performance.now();
    const posted = await fetch(`${origin}/api/v1/statuses`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ status: "Fan-out test", media_ids: [media.id], visibility: "public" }),
    });
    if (!posted.ok) throw new Error(`posting failed: ${posted.status} ${await posted.text()}`);
    const reachedAll = await peer.allReached(ctx.quick ? 60_000 : 300_000);
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = ((await instance.cpuSeconds()) - cpuBefore) * 1000;
    // Several workers could send a delivery twice: count what arrives until nothing is left to send.
    if (ctx.store.kind === "postgres") await queueDrained(database, 10_000);
    const dbCpuMs = ((await database.serverCpuSeconds()) - dbCpuBefore) * 1000;
    clearInterval(sampler);
    const sent = peer.received.reduce((a, b) => a + b, 0);
    const ceiling = rawSigningSeconds(instances);
    const ratio = ceiling / seconds;
    ctx.figure({
      id: "fanout.all-instances",
      label: `Fan-out: one image post to ${instances * followersPerInstance} followers on ${instances} instances`,
      value: seconds * 1000,
      unit: "ms",
      ceiling: {
        value: ceiling * 1000,
        unit: "ms",
        label: `node:crypto signing ${instances} requests`,
      },
      ratio,
      target: {
        description: "all reached within 2× the signing ceiling",
        pass: reachedAll && seconds <= 2 * ceiling,
        // Argued in the notes with a profile of 4.2-5.3 ms per delivery; well past that it is a
        // regression to find, not the known cost. A quick run's 50 deliveries carry the post's own
        // creation and the server's warm-up (about 11 ms each) and only show the benchmark still works.
        disputed: ctx.quick || cpuMs / instances <= DISPUTED_UP_TO_MS_PER_DELIVERY,
      },
      notes: `${sent} deliveries for ${instances} shared inboxes, ${peer.refused()} refused signatures; server CPU ${cpuMs.toFixed(0)} ms${ctx.store.kind === "postgres" ? ` (web and workers; PostgreSQL ${dbCpuMs.toFixed(0)} ms more)` : ""}; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`,
    });
    ctx.figure({
      id: "fanout.requests",
      label: "Fan-out: requests sent (one per distinct shared inbox), every signature verified",
      value: sent,
      unit: "requests",
      target: {
        description: `exactly ${instances}, every instance reached, none refused`,
        pass: reachedAll && sent === instances && peer.refused() === 0,
      },
    });
    ctx.figure({
      id: "fanout.peak-rss",
      label: `Fan-out: peak RSS of the ${ctx.store.kind === "postgres" ? "busiest worker" : "server"}`,
      value: peakRss / 2 ** 20,
      unit: "MB",
    });
  } finally {
    await instance.stop();
    await peer.close();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
