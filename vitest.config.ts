import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    // Every test must assert something; a test that checks nothing fails.
    expect: { requireAssertions: true },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Starts a PostgreSQL server when ATELIER_TEST_STORE=postgres (npm run test:postgres); else nothing.
    globalSetup: ["test/helpers/postgres-store.ts"],
  },
});
