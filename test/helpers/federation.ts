// Real Atelier instances for federation tests: each on its own loopback port and data directory, with
// private addresses allowed (only here) so they can fetch each other; restartable on the same port and
// directory to check what survives a stop.

import { count } from "drizzle-orm";
import { POSTGRES_KV_TABLE } from "../../federation/postgres-kv.ts";
import { POSTGRES_QUEUE_TABLE, PostgresMessageQueue } from "../../federation/postgres-queue.ts";
import { SqliteMessageQueue } from "../../federation/queue.ts";
import { attachWebSocketStreaming } from "../../src/api/index.ts";
import { createApp } from "../../src/app.ts";
import { postgresPool } from "../../src/db/dialect.ts";
import { fedifyKv, fedifyQueue } from "../../src/db/schema/index.ts";
import { type CreateDepsOptions, createDeps, type Deps } from "../../src/deps.ts";
import { startServer } from "../../src/server.ts";
import { freePort, type ServedInstance, tempDir, testConfig, testDepsOptions } from "./instance.ts";

export interface FederatedInstance extends ServedInstance {
  dir: string;
  port: number;
  /** Stops the server and the deps but keeps the data directory. */
  stop(): Promise<void>;
}

// The database each data directory's instance was given, when the suite runs on PostgreSQL.
const storeOfDir = new Map<string, { DATABASE_URL: string }>();

export async function startFederatedInstance(
  options: {
    dir?: string;
    port?: number;
    deps?: CreateDepsOptions;
    /** Overrides of the test environment (e.g. FEDERATION_ALLOW_PRIVATE_ADDRESS: "false"). */
    env?: Record<string, string>;
  } = {},
): Promise<FederatedInstance> {
  const owned = options.dir === undefined ? tempDir("atelier-fed-") : null;
  const dir = options.dir ?? owned!.path;
  const port = options.port ?? (await freePort());
  const config = testConfig({
    DATA_DIR: dir,
    PORT: String(port),
    HOST: "127.0.0.1",
    ORIGIN: `http://127.0.0.1:${port}`,
    FEDERATION_ALLOW_PRIVATE_ADDRESS: "true",
    // A restart on the same directory finds the same PostgreSQL database (npm run test:postgres).
    ...storeOfDir.get(dir),
    ...options.env,
  });
  if (config.databaseUrl !== undefined) storeOfDir.set(dir, { DATABASE_URL: config.databaseUrl });
  const deps = await createDeps(config, testDepsOptions(options.deps));
  const app = createApp(deps);
  const server = await startServer({
    app,
    port,
    hostname: "127.0.0.1",
    onClosed: () => deps.close(),
    // The streaming API's WebSocket form, as `npm start` serves it.
    attach: attachWebSocketStreaming(deps),
    shutdownTimeoutMs: 2000,
  });
  await deps.start();
  return {
    config,
    deps,
    app,
    server,
    url: config.origin,
    dir,
    port,
    stop: () => server.stop(),
    async close() {
      await server.stop();
      owned?.remove();
    },
  };
}

/**
 * Starts a stopped instance again on its port, data directory and store (under test:postgres its
 * database, which testConfig would otherwise make anew), as a restarted server finds its data.
 */
export function restartFederatedInstance(
  stopped: FederatedInstance,
  options: { deps?: CreateDepsOptions } = {},
): Promise<FederatedInstance> {
  const url = stopped.config.databaseUrl;
  return startFederatedInstance({
    ...options,
    dir: stopped.dir,
    port: stopped.port,
    ...(url !== undefined ? { env: { DATABASE_URL: url } } : {}),
  });
}

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Messages in an instance's federation queue that are ready or in a worker's hands (whichever store
 * holds them): none means everything enqueued so far was handled, retries waiting out a backoff aside.
 * Not Fedify's depth alone, which leaves out messages handed to a worker: the PostgreSQL queue's does
 * (a leased row is not counted), so waiting for its `ready` to be 0 ends while an activity is still being
 * handled. The SQLite queue's counts them: a message stays in its table, ready, until it is handled.
 */
export async function pendingInQueue(instance: { deps: Deps }): Promise<number> {
  const queue = instance.deps.federation.queue;
  if (queue instanceof PostgresMessageQueue) {
    const pool = postgresPool(instance.deps.db);
    if (pool === undefined) throw new Error("a PostgreSQL queue on a SQLite store");
    if (!(await tableExists(pool, POSTGRES_QUEUE_TABLE))) return 0;
    // Leased or not: a row stays until its handler finished.
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int as n from ${POSTGRES_QUEUE_TABLE} where ready_at <= now()`,
    );
    return rows[0]?.n ?? 0;
  }
  if (!(queue instanceof SqliteMessageQueue)) {
    throw new Error("this queue cannot tell which messages are in a worker's hands");
  }
  return (await queue.getDepth()).ready ?? 0;
}

/** Messages waiting in an instance's federation queue for a later time (a retry's backoff). */
export async function delayedInQueue(instance: { deps: Deps }): Promise<number> {
  const depth = await instance.deps.federation.queue.getDepth?.();
  if (depth === undefined) throw new Error("this queue cannot tell its depth");
  return depth.delayed ?? 0;
}

/**
 * The messages of the store's own federation queue (SQLite's fedify_queue, or the PostgreSQL queue's
 * table), parsed: what a test looks into when it needs more than the depth (a retry's attempt).
 */
export async function storeQueueMessages(instance: { deps: Deps }): Promise<unknown[]> {
  const pool = postgresPool(instance.deps.db);
  if (pool === undefined) {
    const rows = await instance.deps.db.select({ message: fedifyQueue.message }).from(fedifyQueue);
    return rows.map((r) => r.message);
  }
  if (!(await tableExists(pool, POSTGRES_QUEUE_TABLE))) return [];
  const { rows } = await pool.query<{ message: string }>(
    `select message from ${POSTGRES_QUEUE_TABLE}`,
  );
  return rows.map((r) => JSON.parse(r.message) as unknown);
}

/** Rows in the store's own federation queue and key-value tables (none when they were never made). */
export async function storeFederationRows(instance: {
  deps: Deps;
}): Promise<{ queued: number; cached: number }> {
  const pool = postgresPool(instance.deps.db);
  if (pool === undefined) {
    const [queued] = await instance.deps.db.select({ n: count() }).from(fedifyQueue);
    const [cached] = await instance.deps.db.select({ n: count() }).from(fedifyKv);
    return { queued: queued?.n ?? 0, cached: cached?.n ?? 0 };
  }
  const rows = async (table: string) =>
    (await tableExists(pool, table))
      ? (await pool.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n
      : 0;
  return { queued: await rows(POSTGRES_QUEUE_TABLE), cached: await rows(POSTGRES_KV_TABLE) };
}

async function tableExists(
  pool: NonNullable<ReturnType<typeof postgresPool>>,
  table: string,
): Promise<boolean> {
  const { rows } = await pool.query<{ t: string | null }>("select to_regclass($1) as t", [table]);
  return rows[0]?.t != null;
}
