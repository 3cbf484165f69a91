// A queue worker in a process of its own, for tests that kill it with SIGKILL mid-handling: it listens
// on a PostgreSQL or Redis queue, prints "claimed <json>" for each message it receives and never finishes
// handling one, so the message's lease is left to run out.
// Usage: node test/helpers/queue-child.ts postgres|redis <url> <redis key prefix> <lease ms>
import { createSharedQueues } from "../../federation/shared-queues.ts";

const [backend, url, keyPrefix, leaseMs] = process.argv.slice(2);
if (url === undefined || leaseMs === undefined) throw new Error("usage: queue-child.ts ...");
const pool =
  backend === "postgres"
    ? new (await import("pg")).default.Pool({ connectionString: url })
    : undefined;
const shared = await createSharedQueues(
  pool === undefined ? { redis: url, keyPrefix: keyPrefix ?? "" } : { postgres: pool },
  { leaseMs: Number(leaseMs), pollIntervalMs: 50 },
);
await shared.initialize();
process.stdout.write("listening\n");
await shared.queue.listen((message) => {
  process.stdout.write(`claimed ${JSON.stringify(message)}\n`);
  return new Promise<void>(() => {});
});
