// Entry point of `npm start` (and of start:web, start:worker, which set ROLE): configuration → logging
// → database (migrated) → deps → HTTP server → first admin (on an empty database); SIGTERM/SIGINT stop
// it gracefully. A worker (ROLE=worker) serves no HTTP: it only runs the background work deps start.

import { attachWebSocketStreaming } from "./api/index.ts";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createDeps, type Deps } from "./deps.ts";
import { ensureFirstAdmin } from "./domain/accounts.ts";
import { configureLogging, logger } from "./logging.ts";
import { startServer } from "./server.ts";
import { SOFTWARE_VERSION } from "./version.ts";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee the configuration table in README.md.\n`);
      process.exit(2);
    }
    throw error;
  }
  await configureLogging(config.logLevel);
  const log = logger("main");
  const deps = await createDeps(config);
  // Redis or PostgreSQL (LISTEN/NOTIFY) carries the bus between processes; SQLite alone has none.
  if (config.role !== "all" && config.redisUrl === undefined && config.databaseUrl === undefined) {
    log.warning(
      "ROLE={role} without REDIS_URL or DATABASE_URL: streams on web processes get no events, and the worker finds new work by looking every second.",
      { role: config.role },
    );
  }
  if (config.role === "worker") return runWorker(deps);

  const running = await startServer({
    app: createApp(deps),
    port: config.port,
    hostname: config.host,
    onClosed: () => deps.close(),
    attach: attachWebSocketStreaming(deps),
  });
  await deps.start();
  // The first administrator is made while the server already answers: hashing its password and
  // generating its keys take a good part of a second, and nothing needs them to serve /health.
  const firstAdmin = ensureFirstAdmin(deps.db, deps.urls);
  // The database stays open until the administrator's row is written (or has failed).
  stopOnSignal("finishing in-flight requests", () =>
    firstAdmin.catch(() => null).then(() => running.stop()),
  );
  const admin = await firstAdmin;
  if (admin !== null) {
    // Printed once, on stdout, so the newcomer can sign in; never logged again.
    process.stdout.write(
      [
        "",
        "  First start: created the administrator account.",
        `    username: ${admin.username}`,
        `    password: ${admin.password}`,
        "  Keep this password now; it is not shown again",
        "  (change it with: npm run cli -- user password admin).",
        "",
        "",
      ].join("\n"),
    );
  }
  // Announced only once the signal handlers are in place and the first administrator exists: whoever
  // waits for this line (a supervisor, a test) may send SIGTERM or sign in right away.
  log.info("Atelier {version} ({role}) listening on {origin} (port {port}); data in {dataDir}.", {
    version: SOFTWARE_VERSION,
    role: config.role,
    origin: config.origin,
    port: running.port,
    dataDir: config.dataDir,
  });
}

/** ROLE=worker: the background work of createDeps' start(), until a signal stops it. */
async function runWorker(deps: Deps): Promise<void> {
  const log = logger("main");
  stopOnSignal("finishing running work", () => deps.close());
  await deps.start();
  // Nothing else holds the event loop open (the worker's timers are unref'ed so they never hold up an
  // exit); this interval keeps the process alive until a signal.
  setInterval(() => {}, 1 << 30);
  log.info("Atelier {version} worker running for {origin}; data in {dataDir}.", {
    version: SOFTWARE_VERSION,
    origin: deps.config.origin,
    dataDir: deps.config.dataDir,
  });
}

/** On SIGTERM or SIGINT: logs what it finishes, runs `stop`, and exits 0 once done (1 if it failed). */
function stopOnSignal(finishing: string, stop: () => Promise<unknown>): void {
  const log = logger("main");
  const shutdown = (signal: string) => {
    log.info(`Received {signal}; ${finishing}.`, { signal });
    stop().then(
      () => {
        log.info("Stopped cleanly.");
        process.exit(0);
      },
      (error: unknown) => {
        log.error("Error while stopping: {error}", { error });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Atelier failed to start: ${error instanceof Error ? error.stack : error}\n`,
  );
  process.exit(1);
});
