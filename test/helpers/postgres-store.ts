// Runs the suite on PostgreSQL when ATELIER_TEST_STORE=postgres (`npm run test:postgres`): vitest's
// global setup starts one PostgreSQL server for the whole run, and every test config (testConfig) gets
// a database of its own on it through DATABASE_URL, as every SQLite test instance gets a file of its own.
// Tests that open SQLite themselves (openDatabase) stay on SQLite.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { closePostgres, openPostgres } from "../../src/db/postgres/client.ts";
import { createDatabase, postgresBinDir, startPostgres } from "./servers.ts";

const SERVER_URL = "ATELIER_TEST_POSTGRES_SERVER";
/**
 * A database with every migration applied, made once per run: each test's database is a copy of it
 * (CREATE DATABASE … TEMPLATE), which is a few times faster than migrating every new database, and the
 * migration at the instance's start then finds nothing to do. The migrations themselves are still run
 * here, on every run, from an empty database.
 */
const TEMPLATE = "atelier_migrated";

/** True when this run puts test instances on PostgreSQL. */
export function testsOnPostgres(): boolean {
  return process.env.ATELIER_TEST_STORE === "postgres";
}

/** vitest globalSetup: the run's PostgreSQL server, stopped at the end of the run. */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (!testsOnPostgres()) return undefined;
  // Every vitest project runs the global setup (and the root config once more): one server serves all.
  if (process.env[SERVER_URL] !== undefined) return undefined;
  const server = await startPostgres();
  const template = await openPostgres(await createDatabase(server.url, TEMPLATE));
  // A template must have no open connection while it is copied.
  await closePostgres(template);
  // Set before vitest starts its workers, which inherit the environment.
  process.env[SERVER_URL] = server.url;
  return () => server.stop();
}

let created = 0;

/**
 * `{ DATABASE_URL }` of a new database (every table, no rows) on the run's server when the suite runs on PostgreSQL,
 * else nothing. Synchronous (createdb) because testConfig, which calls it, is.
 */
export function testStoreEnv(): Record<string, string> {
  if (!testsOnPostgres()) return {};
  const server = process.env[SERVER_URL];
  const bin = postgresBinDir();
  if (server === undefined || bin === undefined) {
    throw new Error(
      "ATELIER_TEST_STORE=postgres needs PostgreSQL installed and vitest's globalSetup",
    );
  }
  const url = new URL(server);
  const name = `test_${process.pid}_${++created}`;
  execFileSync(join(bin, "createdb"), [
    ...[
      "-h",
      url.hostname,
      "-p",
      url.port,
      "-U",
      "atelier",
      "-T",
      TEMPLATE,
      "-S",
      "FILE_COPY",
      name,
    ],
  ]);
  url.pathname = `/${name}`;
  return { DATABASE_URL: url.toString() };
}
