// Benchmark 1 (inbox ingest): N remote actors on a fake peer POST signed Create(Note) activities with two
// image attachments to the shared inbox at a fixed concurrency; accepted activities/s until every status is
// stored and the newest is in a follower's home timeline, p50/p99 of the POSTs, against the rate at which
// node:crypto alone verifies the same keys' signatures in the same run.
import { createSign, createVerify, webcrypto } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { newId } from "../src/db/ids.ts";
import { accounts, follows } from "../src/db/schema/index.ts";
import { createLocalUser } from "../src/domain/accounts.ts";
import { localUrls } from "../src/domain/local-urls.ts";
import { issueAccessToken } from "../src/domain/oauth.ts";
import { type FakePeer, startFakePeer } from "./lib/fake-peers.ts";
import { freePort } from "./lib/instance.ts";
import { percentile } from "./lib/stats.ts";
import { createBenchDatabase, startBenchInstance } from "./lib/stores.ts";
import type { BenchContext } from "./run.ts";

/** Server CPU per activity up to which the ingest target's miss is the one bench/notes.md argues. */
const DISPUTED_UP_TO_MS_PER_ACTIVITY = 15;

/** RSA-SHA256 verifications per second on one core, with the peer's own keys. */
async function rawVerifyRate(peer: FakePeer, count: number): Promise<number> {
  const keys = await Promise.all(
    peer.actors.map(async (a) => {
      const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", a.privateKey));
      const spki = Buffer.from(await webcrypto.subtle.exportKey("spki", a.publicKey));
      const priv = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString("base64")}\n-----END PRIVATE KEY-----`;
      const pub = `-----BEGIN PUBLIC KEY-----\n${spki.toString("base64")}\n-----END PUBLIC KEY-----`;
      return { priv, pub };
    }),
  );
  // A signing string of the size draft-cavage builds (request line, host, date, digest, content-type).
  const samples = keys.map((k, i) => {
    const data = `(request-target): post /inbox\nhost: 127.0.0.1\ndate: ${new Date().toUTCString()}\ndigest: SHA-256=${"x".repeat(44)}\ncontent-type: application/activity+json\nn: ${i}`;
    return { ...k, data, signature: createSign("sha256").update(data).sign(k.priv) };
  });
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const s = samples[i % samples.length]!;
    if (!createVerify("sha256").update(s.data).verify(s.pub, s.signature)) throw new Error("bad");
  }
  return count / ((performance.now() - started) / 1000);
}

export async function benchInbox(ctx: BenchContext): Promise<void> {
  const actorCount = ctx.quick ? 10 : 100;
  const total = ctx.quick ? 100 : 2000;
  const concurrency = 16;
  const peer = await startFakePeer(actorCount);
  const dataDir = mkdtempSync(join(tmpdir(), "atelier-bench-inbox-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const database = await createBenchDatabase(ctx.store, dataDir, "inbox");
  try {
    // The follower and the remote accounts she follows, as they would be after following them.
    const { db } = database;
    const { account: reader } = await createLocalUser(db, localUrls(origin), {
      username: "reader",
      password: "benchmark password",
    });
    for (const a of peer.actors) {
      const id = newId();
      await db.insert(accounts).values({
        id,
        username: a.username,
        domain: peer.host,
        iri: a.id,
        url: a.id,
        inboxUrl: `${a.id}/inbox`,
        sharedInboxUrl: `${peer.origin}/inbox`,
        followersUrl: `${a.id}/followers`,
      });
      await db
        .insert(follows)
        .values({ id: newId(), accountId: reader.id, targetAccountId: id, state: "accepted" });
    }
    const token = (
      await issueAccessToken(db, {
        applicationId: null,
        accountId: reader.id,
        scopes: ["read"],
      })
    ).accessToken;

    const instance = await startBenchInstance(ctx.store, database, {
      dataDir,
      port,
      originFromPort: true,
      env: { FEDERATION_ALLOW_PRIVATE_ADDRESS: "true", ...ctx.env },
    });
    try {
      const inbox = `${origin}/inbox`;
      const base = Date.now() - total * 1000;
      const activity = (n: number, actor = peer.actors[n % peer.actors.length]!) => {
        const noteId = `${actor.id}/statuses/${n}`;
        const published = new Date(base + n * 1000).toISOString();
        return {
          "@context": ["https://www.w3.org/ns/activitystreams"],
          id: `${noteId}/activity`,
          type: "Create",
          actor: actor.id,
          published,
          to: ["https://www.w3.org/ns/activitystreams#Public"],
          cc: [`${actor.id}/followers`],
          object: {
            id: noteId,
            type: "Note",
            attributedTo: actor.id,
            published,
            content: `<p>Image post number ${n}</p>`,
            to: ["https://www.w3.org/ns/activitystreams#Public"],
            cc: [`${actor.id}/followers`],
            attachment: [1, 2].map((k) => ({
              type: "Document",
              mediaType: "image/png",
              url: `${peer.imageUrl}?n=${n}&k=${k}`,
              name: `Picture ${k} of post ${n}`,
              width: 64,
              height: 48,
            })),
          },
        };
      };
      // Warm the caches as a server that already knows its peers: one delivery per actor (its actor
      // document and key fetched and stored) before the clock starts, not counted.
      await Promise.all(
        peer.actors.map(async (actor, i) => {
          const res = await peer.deliver(inbox, activity(-1 - i, actor), actor);
          await res.arrayBuffer();
        }),
      );
      // Stored: the peer's statuses, counted alongside the instance (WAL on SQLite).
      const countNow = async () => {
        const [row] = await database.rows<{ n: number | string }>(
          sql`select count(*) as n from statuses where iri like ${`${peer.origin}%`}`,
        );
        return Number(row?.n ?? 0);
      };
      let warmed = await countNow();
      for (let wait = 0; warmed < actorCount && wait < 30_000; wait += 20) {
        await new Promise((r) => setTimeout(r, 20));
        warmed = await countNow();
      }
      const latencies: number[] = [];
      let failures = 0;
      const cpuBefore = await instance.cpuSeconds();
      const dbCpuBefore = await database.serverCpuSeconds();
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            const n = next++;
            const t = performance.now();
            const res = await peer.deliver(
              inbox,
              activity(n),
              peer.actors[n % peer.actors.length]!,
            );
            await res.arrayBuffer();
            latencies.push(performance.now() - t);
            if (res.status >= 300) failures++;
          }
        }),
      );
      const deadline = Date.now() + 120_000;
      let stored = 0;
      while (Date.now() < deadline) {
        stored = (await countNow()) - warmed;
        if (stored >= total - failures) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const elapsed = (performance.now() - started) / 1000;
      const cpuMs = ((await instance.cpuSeconds()) - cpuBefore) * 1000;
      const dbCpuMs = ((await database.serverCpuSeconds()) - dbCpuBefore) * 1000;
      const home = await fetch(`${origin}/api/v1/timelines/home?limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const newest = ((await home.json()) as { uri?: string }[])[0]?.uri;
      const visible =
        newest === `${peer.actors[(total - 1) % actorCount]!.id}/statuses/${total - 1}`;
      const rate = stored / elapsed;
      const ceiling = await rawVerifyRate(peer, Math.max(200, total));
      latencies.sort((a, b) => a - b);
      ctx.figure({
        id: "inbox.ingest",
        label: `Inbox ingest: ${total} signed Create(Note) with 2 images from ${actorCount} actors, concurrency ${concurrency}`,
        value: rate,
        unit: "activities/s",
        ceiling: {
          value: ceiling,
          unit: "verifies/s",
          label: "node:crypto RSA-SHA256 verify, one core",
        },
        ratio: rate / ceiling,
        target: {
          description: "≥ 40% of the raw verify rate",
          pass: rate / ceiling >= 0.4,
          // Argued in the notes with a profile of 9.5-12.5 ms per activity; well past that it is a
          // regression to find, not the known cost. A quick run's 100 activities carry the server's
          // warm-up (18-19 ms each) and only show that the benchmark still works.
          disputed: ctx.quick || cpuMs / total <= DISPUTED_UP_TO_MS_PER_ACTIVITY,
        },
        notes: `POST p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; server CPU ${(cpuMs / total).toFixed(2)} ms per activity${ctx.store.kind === "postgres" ? ` (web and workers; PostgreSQL ${(dbCpuMs / total).toFixed(2)} ms more)` : ""}; ${stored}/${total} stored; ${failures} refused; newest in home timeline: ${visible}`,
      });
      ctx.figure({
        id: "inbox.stored",
        label: "Inbox ingest: activities stored, the newest visible in a follower's home timeline",
        value: stored,
        unit: "activities",
        target: {
          description: `all ${total} stored and the newest visible`,
          pass: stored === total && visible,
        },
      });
    } finally {
      await instance.stop();
    }
  } finally {
    await database.close();
    await peer.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
