// Fedify's durable state: its key–value store (key cache, idempotency records, remote documents) and its
// message queue (inbox processing and outbound deliveries with their retries). They live in the main
// database rather than a separate file: better-sqlite3 is synchronous and the instance has one writer
// process, so sharing the WAL database costs nothing, one backup copies everything, and a delivery
// queued by the outbox is exactly as durable as the event that produced it.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, timestamp } from "./columns.ts";

export const fedifyKv = sqliteTable(
  "fedify_kv",
  {
    /** The KvKey parts joined as a JSON array, so prefixes stay unambiguous. */
    key: text("key").primaryKey(),
    value: text("value", { mode: "json" }).notNull(),
    /** Null: never expires. */
    expiresAt: timestamp("expires_at"),
  },
  (t) => [index("fedify_kv_expires_idx").on(t.expiresAt)],
);

/**
 * How a received activity's message starts as stored: Fedify builds it as { type: "inbox", … } (its
 * retries spread the same object), and JSON keeps the key order. Anything else is a delivery.
 */
export const INBOX_MESSAGE_PREFIX = '{"type":"inbox",';

/**
 * True for a queued delivery. The queue's claim uses this exact text: SQLite uses a partial index only
 * for a query whose WHERE clause holds the index's own condition.
 */
export const DELIVERY_MESSAGE_SQL = `substr(message, 1, ${INBOX_MESSAGE_PREFIX.length}) <> '${INBOX_MESSAGE_PREFIX}'`;

export const fedifyQueue = sqliteTable(
  "fedify_queue",
  {
    id: id(),
    message: text("message", { mode: "json" }).notNull(),
    /** Messages sharing a key are processed one at a time, in order. */
    orderingKey: text("ordering_key"),
    /** Not before this time (delayed retries). */
    readyAt: timestamp("ready_at").notNull(),
    /**
     * No longer written: the queue keeps its claims in memory (one process owns it, and a restart runs
     * again whatever was not deleted). Left in place rather than dropped by a migration.
     */
    lockedUntil: timestamp("locked_until"),
    /** Failed runs of the handler (Fedify's own delivery retries are new messages). */
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("fedify_queue_ready_idx").on(t.readyAt, t.id),
    // While the received activities' slots are full, the queue claims deliveries only. Without this
    // index that claim read every queued activity to skip it: with a backlog of a burst of
    // activities, each claim (one per finished message) cost time in proportion to the backlog.
    index("fedify_queue_delivery_ready_idx")
      .on(t.readyAt, t.id)
      .where(sql.raw(DELIVERY_MESSAGE_SQL)),
  ],
);
