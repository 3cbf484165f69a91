// Column helpers of the PostgreSQL tables, the counterparts of src/db/schema/columns.ts: the same row
// types (Date, boolean, number, string), stored in PostgreSQL's own types. Written by hand (the one file
// of this folder that is): the tables beside it are generated from src/db/schema (npm run db:schema) and
// call these helpers by the SQLite ones' names.
import { bigint, boolean, integer, timestamp as pgTimestamp, text } from "drizzle-orm/pg-core";

/** Time-sortable text id (see db/ids.ts). */
export const id = () => text("id").primaryKey();

/**
 * A point in time. Millisecond precision, as JavaScript's Date and SQLite's integer milliseconds hold:
 * PostgreSQL's default (microseconds) would keep digits a Date read back cannot show, so two rows
 * written in the same millisecond would compare unequal here and equal on SQLite.
 */
export const timestamp = (name: string) =>
  pgTimestamp(name, { mode: "date", precision: 3, withTimezone: true });

export const createdAt = () => timestamp("created_at").notNull().defaultNow();

export const flag = (name: string) => boolean(name).notNull().default(false);

export const counter = (name: string) => integer(name).notNull().default(0);

/** An integer that may pass 2^31: a bigint, read back as a JavaScript number (as SQLite's integer is). */
export const bigInteger = (name: string) => bigint(name, { mode: "number" });
