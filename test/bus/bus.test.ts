// The bus on each implementation: every subscriber, in every connection, gets each message once; large
// payloads arrive whole; a subscriber whose connection was cut hears new messages once it is back.
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bus, InProcessBus, PostgresBus, RedisBus } from "../../src/bus/index.ts";
import { createDatabase, startPostgres, startRedis, type TestServer } from "../helpers/servers.ts";
import { pause, until } from "../helpers/sse.ts";

interface Received {
  channel: string;
  payload: unknown;
}

/** Subscribes `bus` to `channels`, collecting what arrives. */
async function collect(bus: Bus, ...channels: string[]): Promise<Received[]> {
  const got: Received[] = [];
  for (const channel of channels) {
    await bus.subscribe(channel, (payload) => got.push({ channel, payload }));
  }
  return got;
}

/** A payload of about `bytes` bytes, with multi-byte characters so a cut inside one would show. */
function bigPayload(bytes: number) {
  const unit = "é🎨abc";
  return { text: unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit))), n: 42 };
}

describe("in-process bus", () => {
  it("delivers to every subscriber of a channel, not to others, and stops after unsubscribe", async () => {
    const bus = new InProcessBus();
    const a = await collect(bus, "streaming");
    const b = await collect(bus, "streaming", "other");
    const unsubscribe = await bus.subscribe("streaming", () => {
      throw new Error("a failing subscriber does not stop the others");
    });
    await bus.publish("streaming", { kind: "notifications" });
    unsubscribe();
    const sent = { nested: [1, 2] };
    await bus.publish("other", sent);
    expect(a).toEqual([{ channel: "streaming", payload: { kind: "notifications" } }]);
    expect(b).toEqual([
      { channel: "streaming", payload: { kind: "notifications" } },
      { channel: "other", payload: { nested: [1, 2] } },
    ]);
    // A copy, as over a network.
    expect(b[1]!.payload).not.toBe(sent);
    await expect(bus.publish("Not A Channel", {})).rejects.toThrow(/channel name/);
    await bus.close();
  });
});

describe("Redis bus", () => {
  let redis: TestServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it("reaches subscribers on separate connections, the publisher's own included", async () => {
    const one = new RedisBus(redis.url, { prefix: "t1:" });
    const two = new RedisBus(redis.url, { prefix: "t1:" });
    const elsewhere = new RedisBus(redis.url, { prefix: "another-instance:" });
    try {
      const gotOne = await collect(one, "streaming");
      const gotTwo = await collect(two, "streaming");
      const gotElsewhere = await collect(elsewhere, "streaming");
      const large = bigPayload(100_000);
      await one.publish("streaming", { kind: "status", statusId: "1" });
      await two.publish("streaming", large);
      await until(() => gotOne.length === 2 && gotTwo.length === 2);
      for (const got of [gotOne, gotTwo]) {
        expect(got.map((r) => r.payload)).toEqual([{ kind: "status", statusId: "1" }, large]);
      }
      // The prefix keeps instances sharing one Redis apart.
      expect(gotElsewhere).toEqual([]);
    } finally {
      await Promise.all([one.close(), two.close(), elsewhere.close()]);
    }
  });

  it("hears new messages after its subscriber connection was killed", async () => {
    const listener = new RedisBus(redis.url, { prefix: "t2:" });
    const publisher = new RedisBus(redis.url, { prefix: "t2:" });
    const admin = new Redis(redis.url);
    try {
      const got = await collect(listener, "wake");
      await publisher.publish("wake", { n: 0 });
      await until(() => got.length === 1);
      expect(Number(await admin.call("CLIENT", "KILL", "TYPE", "pubsub"))).toBeGreaterThanOrEqual(
        1,
      );
      // Published until one arrives: those sent while it reconnects are lost, by design.
      for (let n = 1; !got.some((r) => (r.payload as { n: number }).n > 0); n++) {
        if (n > 200) throw new Error("the subscriber never came back");
        await publisher.publish("wake", { n });
        await pause(50);
      }
      expect(got.length).toBeGreaterThanOrEqual(2);
    } finally {
      admin.disconnect();
      await Promise.all([listener.close(), publisher.close()]);
    }
  });
});

describe("PostgreSQL bus", () => {
  let postgres: TestServer;
  let url: string;
  const pools: pg.Pool[] = [];
  const pool = () => {
    const p = new pg.Pool({ connectionString: url, max: 4 });
    // Connections the test terminates on purpose report here when idle.
    p.on("error", () => {});
    pools.push(p);
    return p;
  };
  beforeAll(async () => {
    postgres = await startPostgres();
    // The port opens before PostgreSQL accepts sessions ("the database system is starting up").
    for (let attempt = 0; ; attempt++) {
      try {
        url = await createDatabase(postgres.url, "bus");
        break;
      } catch (error) {
        if (attempt > 100 || !/starting up/.test(String(error))) throw error;
        await pause(100);
      }
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await postgres?.stop();
  });

  it("reaches subscribers on separate connections; payloads over 8000 bytes arrive whole", async () => {
    const one = new PostgresBus({ pool: pool() });
    const two = new PostgresBus({ pool: pool() });
    try {
      const gotOne = await collect(one, "streaming", "actors.changed");
      const gotTwo = await collect(two, "streaming");
      const large = bigPayload(50_000);
      await one.publish("streaming", { kind: "status", statusId: "1" });
      await two.publish("streaming", large);
      await one.publish("actors.changed", { username: "alice" });
      await until(() => gotOne.length === 3 && gotTwo.length === 2);
      expect(gotOne).toEqual([
        { channel: "streaming", payload: { kind: "status", statusId: "1" } },
        { channel: "streaming", payload: large },
        { channel: "actors.changed", payload: { username: "alice" } },
      ]);
      expect(gotTwo.map((r) => r.payload)).toEqual([{ kind: "status", statusId: "1" }, large]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it("keeps one process's messages in the order published, large ones among small", async () => {
    const listener = new PostgresBus({ pool: pool() });
    const publisher = new PostgresBus({ pool: pool() });
    try {
      const got = await collect(listener, "streaming");
      const sent = Array.from({ length: 20 }, (_, i) =>
        i % 5 === 0 ? { i, ...bigPayload(20_000) } : { i },
      );
      await Promise.all(sent.map((p) => publisher.publish("streaming", p)));
      await until(() => got.length === sent.length);
      expect(got.map((r) => r.payload)).toEqual(sent);
    } finally {
      await Promise.all([listener.close(), publisher.close()]);
    }
  });

  it("refuses a channel PostgreSQL could not name, and fails the first subscribe on a bad database", async () => {
    expect(() => new PostgresBus({ pool: pool(), pgChannel: "bad channel" })).toThrow(/channel/);
    const wrong = new pg.Pool({
      connectionString: `${postgres.url.replace(/\/postgres$/, "")}/nope`,
    });
    const bus = new PostgresBus({ pool: wrong });
    await expect(bus.subscribe("streaming", () => {})).rejects.toThrow(/nope/);
    await bus.close();
    await wrong.end();
  });

  it("listens again after its connection was terminated", async () => {
    const listener = new PostgresBus({ pool: pool() });
    const publisher = new PostgresBus({ pool: pool() });
    const admin = pool();
    try {
      const got = await collect(listener, "wake");
      await publisher.publish("wake", { n: 0 });
      await until(() => got.length === 1);
      const killed = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen %' and pid <> pg_backend_pid()",
      );
      expect(killed.rowCount).toBeGreaterThanOrEqual(1);
      for (let n = 1; !got.some((r) => (r.payload as { n: number }).n > 0); n++) {
        if (n > 200) throw new Error("the listener never came back");
        await publisher.publish("wake", { n });
        await pause(50);
      }
      expect(got.length).toBeGreaterThanOrEqual(2);
    } finally {
      await Promise.all([listener.close(), publisher.close()]);
    }
  });
});
