// Builds real instances for tests: a fresh data directory, the real deps and app, and (when asked) a real
// HTTP server on a free loopback port. Everything a helper starts, its `close` stops.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { attachWebSocketStreaming } from "../../src/api/index.ts";
import { createApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { closeDatabase, openDatabase } from "../../src/db/client.ts";
import { type CreateDepsOptions, createDeps, type Deps } from "../../src/deps.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { testStoreEnv } from "./postgres-store.ts";

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A temporary folder removed by the returned function. */
export function tempDir(prefix = "atelier-test-"): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Where a test instance keeps its data: the run's store, or SQLite whatever the run uses. */
export interface StoreChoice {
  /**
   * SQLite even when the suite runs on PostgreSQL: only for what is about SQLite itself (the source of
   * migrate-to-postgres, the SQLite backup).
   */
  sqlite?: boolean;
}

/** Loopback only: a link in a test's post is fetched for its preview card only from a local server. */
export const loopbackHost = (host: string): boolean =>
  /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(host);

/**
 * The deps options of a test instance: the preview card fetcher kept to loopback (tests are offline;
 * fixtures link to real sites), unless the test says otherwise.
 */
export function testDepsOptions(options: CreateDepsOptions = {}): CreateDepsOptions {
  return { ...options, previewCards: { allowHost: loopbackHost, ...options.previewCards } };
}

let migratedSqlite: string | undefined;

/**
 * A SQLite database with every migration applied, made once per test process: copying it is about 20 ms
 * where migrating a new file takes 200–400 ms, for each of the suite's hundreds of instances. The
 * migrations still run here, from an empty file, in every process.
 */
function migratedSqliteTemplate(): string {
  if (migratedSqlite !== undefined && existsSync(migratedSqlite)) return migratedSqlite;
  const path = join(tmpdir(), `atelier-migrated-${process.pid}.sqlite`);
  rmSync(path, { force: true });
  // Closing the only connection checkpoints the WAL into the file, so the file alone is the database.
  closeDatabase(openDatabase(path));
  process.once("exit", () => rmSync(path, { force: true }));
  migratedSqlite = path;
  return path;
}

/**
 * A Config as `npm start` would build it, for a data dir of the test's own. On SQLite, a data dir that
 * has no database yet gets a copy of a migrated one (the start's migration then has nothing to do).
 */
export function testConfig(env: Record<string, string> = {}, choice: StoreChoice = {}): Config {
  // With ATELIER_TEST_STORE=postgres, a database of its own on the run's PostgreSQL server.
  const store = env.DATABASE_URL === undefined && !choice.sqlite ? testStoreEnv() : {};
  const config = loadConfig({ env: { LOG_LEVEL: "error", ...store, ...env }, envFile: null });
  if (
    config.databaseUrl === undefined &&
    existsSync(config.dataDir) &&
    !existsSync(config.databasePath)
  ) {
    copyFileSync(migratedSqliteTemplate(), config.databasePath);
  }
  return config;
}

/**
 * The variables that point a CLI run or a child process at an instance's data: its DATA_DIR and, when
 * it is on PostgreSQL, its DATABASE_URL.
 */
export function storeVariables(config: Config): Record<string, string> {
  const url = config.databaseUrl;
  return { DATA_DIR: config.dataDir, ...(url !== undefined ? { DATABASE_URL: url } : {}) };
}

/**
 * The variables of a new data dir for processes a test starts itself (the CLI, `npm start`): DATA_DIR,
 * and with ATELIER_TEST_STORE=postgres a database of its own, as testConfig gives an instance.
 */
export function newStoreVariables(dataDir: string): Record<string, string> {
  return { DATA_DIR: dataDir, ...testStoreEnv() };
}

export interface TestInstance {
  config: Config;
  deps: Deps;
  app: Hono;
  close(): Promise<void>;
}

/** Real deps and app over a fresh temporary data directory (no network listener). */
export async function createTestInstance(
  env: Record<string, string> = {},
  choice: StoreChoice = {},
  options: CreateDepsOptions = {},
): Promise<TestInstance> {
  const dir = tempDir();
  const config = testConfig({ DATA_DIR: dir.path, ...env }, choice);
  const deps = await createDeps(config, testDepsOptions(options));
  const app = createApp(deps);
  return {
    config,
    deps,
    app,
    async close() {
      await deps.close();
      dir.remove();
    },
  };
}

export interface ServedInstance extends TestInstance {
  server: RunningServer;
  url: string;
}

/** A real instance listening on 127.0.0.1 with a free port; its ORIGIN is that address. */
export async function serveTestInstance(
  env: Record<string, string> = {},
  options: CreateDepsOptions = {},
): Promise<ServedInstance> {
  const dir = tempDir();
  // The ORIGIN must name the port, so learn a free one first.
  const port = await freePort();
  const config = testConfig({
    DATA_DIR: dir.path,
    PORT: String(port),
    HOST: "127.0.0.1",
    ORIGIN: `http://127.0.0.1:${port}`,
    ...env,
  });
  const deps = await createDeps(config, testDepsOptions(options));
  const app = createApp(deps);
  const server = await startServer({
    app,
    port,
    hostname: "127.0.0.1",
    onClosed: () => deps.close(),
    attach: attachWebSocketStreaming(deps),
  });
  // A served instance runs like `npm start`: event dispatch and the federation queue are live.
  await deps.start();
  return {
    config,
    deps,
    app,
    server,
    url: config.origin,
    async close() {
      await server.stop();
      dir.remove();
    },
  };
}
