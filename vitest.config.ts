import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Files that replace a module with vi.mock need a module graph of their own; every other file shares
// its worker's, which saves importing the whole server again per file (over half the suite's CPU time).
const ISOLATED = ["test/api/oauth-sign-in-timing.test.ts"];
// Files that start the stores they test themselves (their own PostgreSQL, Redis or SQLite file, whatever
// ATELIER_TEST_STORE says) run the same way in both suites, so the PostgreSQL run leaves them to the
// first: it exists for everything else, whose store it changes.
const OWN_STORES = [
  "test/bus/bus.test.ts",
  "test/cli/migrate-to-postgres.test.ts",
  "test/cli/migrate-to-postgres-api.test.ts",
  "test/db/postgres-migrations.test.ts",
  "test/db/postgres-statements.test.ts",
  "test/federation/roles-federation.test.ts",
  "test/federation/shared-kv.test.ts",
  "test/federation/shared-queues.test.ts",
  "test/helpers/servers.test.ts",
];
const onPostgres = process.env.ATELIER_TEST_STORE === "postgres";
const EXCLUDE = ["test/e2e/**", "node_modules/**", ...(onPostgres ? OWN_STORES : [])];

export default defineConfig({
  test: {
    // Every test must assert something; a test that checks nothing fails.
    expect: { requireAssertions: true },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Much of the suite waits on sockets and child processes, so two workers help even on two cores
    // (vitest's default there would be one).
    maxWorkers: Math.max(2, availableParallelism()),
    // Starts a PostgreSQL server when ATELIER_TEST_STORE=postgres (npm run test:postgres); else nothing.
    // Each project below runs it; the first to run starts the server and the other finds it started.
    globalSetup: ["test/helpers/postgres-store.ts"],
    setupFiles: ["test/helpers/each-file.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "shared",
          include: ["test/**/*.test.ts"],
          exclude: [...EXCLUDE, ...ISOLATED],
          isolate: false,
        },
      },
      { extends: true, test: { name: "isolated", include: ISOLATED, exclude: EXCLUDE } },
    ],
  },
});
