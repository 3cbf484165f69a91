// Compile-time half of the schema parity check (the other half is schema-parity.test.ts): every table of
// src/db/schema has a PostgreSQL twin in src/db/postgres/schema whose select and insert row types are
// identical, so one query's result type means the same on both stores. Checked by `tsc --noEmit`; a
// table added on one side only, or a column typed differently, fails the typecheck naming the table. The
// PostgreSQL side is generated (npm run db:schema); this holds the generator's rules and the two
// columns.ts files to the same row types.
import type { InferInsertModel, InferSelectModel } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type * as pg from "../../src/db/postgres/schema/index.ts";
import type * as sqlite from "../../src/db/schema/index.ts";

/** Fedify's tables: on PostgreSQL its KvStore and MessageQueue keep their own (see schema-parity.test.ts). */
export type SqliteOnlyTable = "fedifyKv" | "fedifyQueue";

type TablesOf<M, T> = { [K in keyof M]: M[K] extends T ? K : never }[keyof M];
type SqliteTables = Exclude<TablesOf<typeof sqlite, SQLiteTable>, SqliteOnlyTable>;
type PgTables = TablesOf<typeof pg, PgTable>;

/** True only for the same type (not merely assignable: optional, readonly and `any` count). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type Expect<T extends true> = T;

// The same tables on both sides, by export name.
export type SameTables = Expect<Equal<SqliteTables, PgTables>>;

type Differing<Infer extends "select" | "insert"> = {
  [K in SqliteTables & PgTables]: Equal<
    Infer extends "select"
      ? InferSelectModel<(typeof sqlite)[K]>
      : InferInsertModel<(typeof sqlite)[K]>,
    Infer extends "select" ? InferSelectModel<(typeof pg)[K]> : InferInsertModel<(typeof pg)[K]>
  > extends true
    ? never
    : K;
}[SqliteTables & PgTables];

// `never` when all agree; otherwise the error names the tables that differ.
export const selectTypesDiffer: [Differing<"select">] extends [never]
  ? "none"
  : Differing<"select"> = "none";
export const insertTypesDiffer: [Differing<"insert">] extends [never]
  ? "none"
  : Differing<"insert"> = "none";
