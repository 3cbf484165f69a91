// Browser tests (real headless Chromium through playwright-core): `npm run test:e2e`. Kept apart from
// `npm test` because they need Debian's chromium package; without it they fail loudly, never skip.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/e2e/**/*.e2e.test.ts"],
    globalSetup: ["test/e2e/require-chromium.ts"],
    expect: { requireAssertions: true },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One browser at a time: the machines have 2 cores.
    fileParallelism: false,
  },
});
