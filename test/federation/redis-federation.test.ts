// Two served instances with REDIS_URL, sharing one Redis server under their own key prefixes: a follow
// and its Accept travel through the Redis queue, with Fedify's key cache in Redis, and nothing in the
// SQLite queue or cache.
import { and, eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { follows } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { followAccount } from "../../src/domain/follows.ts";
import {
  type FederatedInstance,
  startFederatedInstance,
  storeFederationRows,
  waitFor,
} from "../helpers/federation.ts";
import { startRedis, type TestServer } from "../helpers/servers.ts";

let redisServer: TestServer;
let redis: Redis;
let a: FederatedInstance;
let b: FederatedInstance;

beforeAll(async () => {
  redisServer = await startRedis();
  redis = new Redis(redisServer.url);
  const env = { REDIS_URL: redisServer.url };
  [a, b] = await Promise.all([startFederatedInstance({ env }), startFederatedInstance({ env })]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  redis?.disconnect();
  await redisServer?.stop();
});

const prefixOf = (i: FederatedInstance) => `atelier:127.0.0.1:${i.port}:`;

describe("federation with REDIS_URL", () => {
  it("follows a user on another instance through the Redis queue, and receives the Accept", async () => {
    const { account: alice } = await createLocalUser(a.deps.db, a.deps.urls, {
      username: "alice",
      password: "alice-password",
    });
    const { account: bob } = await createLocalUser(b.deps.db, b.deps.urls, {
      username: "bob",
      password: "bob-password!",
    });
    const found = await a.deps.federation.lookup(`@bob@127.0.0.1:${b.port}`);
    const bobOnA = (found as { account: Account }).account;
    expect(bobOnA.iri).toBe(bob.iri);
    await followAccount(a.deps.db, a.deps.urls, alice, bobOnA);
    a.deps.events.kick();
    const accepted = await waitFor(
      "the Accept on A",
      async () =>
        (
          await a.deps.db
            .select()
            .from(follows)
            .where(and(eq(follows.accountId, alice.id), eq(follows.state, "accepted")))
            .limit(1)
        )[0],
    );
    expect(accepted.targetAccountId).toBe(bobOnA.id);

    for (const instance of [a, b]) {
      const prefix = prefixOf(instance);
      // A sent (the Follow) and received (the Accept); B received and sent: each queued through Redis.
      expect(Number(await redis.get(`${prefix}q:seq`))).toBeGreaterThanOrEqual(2);
      await waitFor("the queue to empty", async () => (await redis.hlen(`${prefix}q:msg`)) === 0);
      // Each verified the other's signature with a key fetched and cached in Redis.
      expect((await redis.keys(`${prefix}kv:*`)).length).toBeGreaterThan(0);
      expect(await storeFederationRows(instance)).toEqual({ queued: 0, cached: 0 });
    }
  });
});
