// The transactional outbox of domain events: a service writes its change and the event in one transaction,
// so an effect (a delivery, a notification) is never lost between commit and dispatch, even on kill -9.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, timestamp } from "./columns.ts";

export const domainEvents = sqliteTable("domain_events", {
  id: id(),
  type: text("type").notNull(),
  payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  attempts: integer("attempts").notNull().default(0),
  /** Not before this time (set after a failed attempt). */
  retryAt: timestamp("retry_at"),
  lastError: text("last_error"),
  /** The dispatcher holding the event (see EventDispatcher); null when none does. */
  claimedBy: text("claimed_by"),
  /** Until when it holds it: past this, another dispatcher takes the event over. */
  claimedUntil: timestamp("claimed_until"),
  createdAt: createdAt(),
});

export type DomainEventRow = typeof domainEvents.$inferSelect;
