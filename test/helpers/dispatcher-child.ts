// A domain-event dispatcher in a process of its own, as a second worker is: it opens the store (a SQLite
// file or a PostgreSQL URL), prints "dispatched <statusId>" for each status.published event it hands to
// its handler, and "drained" once none is left for it. In "hang" mode its handler never finishes, and it
// prints "claimed <statusId>" instead, so a test can kill it with SIGKILL while it holds its lease. It
// prints "ready" once the store is open and starts on the first line read from its standard input, so
// that a test starts several at the same moment.
// Usage: node test/helpers/dispatcher-child.ts <sqlite path | postgres url> drain|hang <lease ms> <batch>
import { closeStore, openStore } from "../../src/db/dialect.ts";
import { EventDispatcher } from "../../src/domain/events.ts";

const [store, mode, leaseMs, batchSize] = process.argv.slice(2);
if (store === undefined || batchSize === undefined) throw new Error("usage: dispatcher-child.ts …");
const db = await openStore(
  store.startsWith("postgres") ? { databasePath: "", databaseUrl: store } : { databasePath: store },
);
const dispatcher = new EventDispatcher(db, {
  leaseMs: Number(leaseMs),
  batchSize: Number(batchSize),
}).on("status.published", "test", async (event) => {
  if (mode === "hang") {
    process.stdout.write(`claimed ${event.statusId}\n`);
    await new Promise<void>(() => {});
  }
  process.stdout.write(`dispatched ${event.statusId}\n`);
  // A delivery takes a moment, so that the other worker claims while this one works.
  await new Promise((resolve) => setTimeout(resolve, 10));
});
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
process.stdin.pause();
await dispatcher.drain();
process.stdout.write("drained\n");
await dispatcher.close();
await closeStore(db);
