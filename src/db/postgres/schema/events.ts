// PostgreSQL's domain-event outbox: the table of src/db/schema/events.ts.
import { integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, timestamp } from "./columns.ts";

export const domainEvents = pgTable("domain_events", {
  id: id(),
  type: text("type").notNull(),
  payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
  attempts: integer("attempts").notNull().default(0),
  retryAt: timestamp("retry_at"),
  lastError: text("last_error"),
  claimedBy: text("claimed_by"),
  claimedUntil: timestamp("claimed_until"),
  createdAt: createdAt(),
});
