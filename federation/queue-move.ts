// Moves what is still queued in the SQLite queue (fedify_queue) into a shared queue, for an instance
// switched to Redis (or PostgreSQL) with deliveries pending: otherwise they would sit in SQLite forever.
// A message is deleted from SQLite only after the shared queue took it, so a crash in between sends it
// twice, never loses it.
import type { MessageQueue } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { asc, inArray } from "drizzle-orm";
import type { Database } from "../src/db/client.ts";
import { fedifyQueue } from "../src/db/schema/index.ts";

/** Moves every message of the SQLite queue into `target`, oldest first; returns how many. */
export async function moveSqliteQueue(db: Database, target: MessageQueue): Promise<number> {
  let moved = 0;
  for (;;) {
    const rows = await db
      .select({
        id: fedifyQueue.id,
        message: fedifyQueue.message,
        orderingKey: fedifyQueue.orderingKey,
        readyAt: fedifyQueue.readyAt,
      })
      .from(fedifyQueue)
      .orderBy(asc(fedifyQueue.readyAt), asc(fedifyQueue.id))
      .limit(200);
    if (rows.length === 0) return moved;
    // One by one, in order: messages of one ordering key must keep theirs.
    for (const row of rows) {
      const delay = Math.max(0, row.readyAt.getTime() - Date.now());
      await target.enqueue(row.message, {
        ...(delay > 0 ? { delay: Temporal.Duration.from({ milliseconds: delay }) } : {}),
        ...(row.orderingKey !== null ? { orderingKey: row.orderingKey } : {}),
      });
    }
    await db.delete(fedifyQueue).where(
      inArray(
        fedifyQueue.id,
        rows.map((r) => r.id),
      ),
    );
    moved += rows.length;
  }
}
