// Column helpers shared by the table files, so every table stores ids, times and flags the same way.
// src/db/postgres/schema/columns.ts has the same helpers in PostgreSQL's types, written by hand: the
// generated PostgreSQL tables (npm run db:schema) call them by these names.
import { sql } from "drizzle-orm";
import { integer, text } from "drizzle-orm/sqlite-core";

/** Time-sortable text id (see db/ids.ts). */
export const id = () => text("id").primaryKey();

/** A point in time, stored as integer milliseconds. */
export const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });

export const createdAt = () =>
  timestamp("created_at").notNull().default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`);

export const flag = (name: string) => integer(name, { mode: "boolean" }).notNull().default(false);

export const counter = (name: string) => integer(name).notNull().default(0);

/**
 * An integer that may pass 2^31. SQLite's integers are 64-bit already; on PostgreSQL this is a bigint
 * (read back as a JavaScript number, as here).
 */
export const bigInteger = (name: string) => integer(name);
