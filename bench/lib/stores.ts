// Where a benchmark's instance keeps its data and how it runs, so that one benchmark measures both ways:
// on SQLite, one process (`npm start`, ROLE=all) on a file in its data dir; on PostgreSQL (`--postgres`),
// a database of its own on the run's server, a ROLE=web process receiving the HTTP traffic and `workers`
// ROLE=worker processes doing the background work (Fedify's queue, domain events), as deployed at scale.
import { join } from "node:path";
import { type SQL, sql } from "drizzle-orm";
import pg from "pg";
import { POSTGRES_QUEUE_CHANNEL } from "../../federation/postgres-queue.ts";
import { closeDatabase, type Database, openDatabase } from "../../src/db/client.ts";
import { closeStore, openStore, rawRows } from "../../src/db/dialect.ts";
import { createDatabase } from "../../test/helpers/servers.ts";
import { type ChildServer, readCpuSeconds, readRss, startChild } from "./instance.ts";

export type BenchStore =
  | { kind: "sqlite" }
  | {
      kind: "postgres";
      /** A server URL whose user may create databases: each benchmark makes (and drops) its own. */
      serverUrl: string;
      /** ROLE=worker processes beside the ROLE=web one; 0 runs one ROLE=all process instead. */
      workers: number;
    };

export const sqliteStore: BenchStore = { kind: "sqlite" };

/** The figures' id and label suffixes that say which store and process layout measured them. */
export function storeVariant(store: BenchStore): { id: string; label: string } {
  if (store.kind === "sqlite") return { id: "", label: "" };
  if (store.workers === 0) return { id: ".postgres", label: " (PostgreSQL)" };
  const workers = `${store.workers} worker${store.workers === 1 ? "" : "s"}`;
  return { id: `.postgres.${store.workers}w`, label: ` (PostgreSQL, ${workers})` };
}

export interface BenchDatabase {
  /** The benchmark's own handle, migrated, to seed the data and read what the instance stored. */
  db: Database;
  /** Added to the environment of the instance's processes (DATABASE_URL on PostgreSQL). */
  env: Record<string, string>;
  /** The PostgreSQL database's name (undefined on SQLite). */
  name?: string;
  /** Rows of a raw query through a handle of its own that sees what the instance commits. */
  rows<T>(query: SQL): Promise<T[]>;
  /** The CPU seconds the database server has spent for this database's connections (0 on SQLite). */
  serverCpuSeconds(): Promise<number>;
  close(): Promise<void>;
}

/** A fresh database for benchmark `name` (a plain lower-case word). */
export async function createBenchDatabase(
  store: BenchStore,
  dataDir: string,
  name: string,
): Promise<BenchDatabase> {
  if (store.kind === "sqlite") {
    const path = join(dataDir, "atelier.sqlite");
    const db = openDatabase(path);
    // The server child opens the file itself; the benchmark reads alongside it through WAL.
    let reader: Database | undefined;
    return {
      db,
      env: {},
      async rows<T>(query: SQL) {
        reader ??= openDatabase(path, { migrate: false });
        return await rawRows<T>(reader, query);
      },
      serverCpuSeconds: async () => 0,
      async close() {
        if (reader !== undefined) closeDatabase(reader);
        closeDatabase(db);
      },
    };
  }
  const database = `atelier_bench_${name}_${process.pid}`;
  const url = await createDatabase(store.serverUrl, database);
  const db = await openStore({ databasePath: "", databaseUrl: url });
  // Backends of this database, to read their CPU from /proc while they run (the server is local).
  const backendCpu = async () => {
    const pids = await rawRows<{ pid: number }>(
      db,
      sql`select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`,
    );
    let total = 0;
    for (const { pid } of pids) total += await readCpuSeconds(pid).catch(() => 0);
    return total;
  };
  return {
    db,
    name: database,
    env: { DATABASE_URL: url },
    rows: (query) => rawRows(db, query),
    serverCpuSeconds: backendCpu,
    async close() {
      await closeStore(db);
      const admin = new pg.Client({ connectionString: store.serverUrl });
      await admin.connect();
      try {
        await admin.query(`drop database if exists ${database} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** The instance under test: one process, or a web process and its workers. */
export interface BenchInstance {
  url: string;
  /** The process answering HTTP. */
  web: ChildServer;
  /** CPU seconds used so far by every process of the instance (not the database server). */
  cpuSeconds(): Promise<number>;
  /** Resident set size of the process doing the background work (the web one on SQLite), in bytes. */
  workRss(): Promise<number>;
  stop(): Promise<void>;
}

export async function startBenchInstance(
  store: BenchStore,
  database: BenchDatabase,
  options: {
    dataDir: string;
    port?: number;
    originFromPort?: boolean;
    env: Record<string, string>;
  },
): Promise<BenchInstance> {
  const env = { ...options.env, ...database.env };
  const workers = store.kind === "postgres" ? store.workers : 0;
  const web = await startChild("src/main.ts", {
    ...options,
    env: workers === 0 ? env : { ...env, ROLE: "web" },
  });
  const started: ChildServer[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      const listening = started.length + 1;
      started.push(
        await startChild("src/main.ts", {
          dataDir: options.dataDir,
          port: web.port,
          env: { ...env, ROLE: "worker", ...(options.originFromPort ? { ORIGIN: web.url } : {}) },
          // Ready once its queue listener LISTENs (the web process starts none).
          ready: async () => (await queueListeners(database)) >= listening,
        }),
      );
    }
  } catch (error) {
    for (const w of started) await w.stop();
    await web.stop();
    throw error;
  }
  const all = [web, ...started];
  return {
    url: web.url,
    web,
    async cpuSeconds() {
      let total = 0;
      for (const p of all) total += await p.cpuSeconds();
      return total;
    },
    async workRss() {
      let peak = 0;
      for (const p of started.length === 0 ? [web] : started) {
        peak = Math.max(peak, await readRss(p.child.pid!));
      }
      return peak;
    },
    async stop() {
      // Workers first: a web process gone first would leave nothing half-done, but this order is the
      // one an operator's shutdown takes.
      await Promise.all(started.map((w) => w.stop()));
      await web.stop();
    },
  };
}

/** Connections LISTENing on the federation queue's channel: one per running queue listener. */
async function queueListeners(database: BenchDatabase): Promise<number> {
  const [row] = await database.rows<{ n: number }>(
    sql`select count(*)::int as n from pg_stat_activity
        where datname = ${database.name ?? ""} and query = ${`listen ${POSTGRES_QUEUE_CHANNEL}`}`,
  );
  return row?.n ?? 0;
}
