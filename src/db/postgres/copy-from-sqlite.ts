// Copies every row of a SQLite instance into an empty PostgreSQL database with the same tables: the
// engine of `migrate-to-postgres` (src/cli/migrate-to-postgres.ts). Rows are read with the SQLite tables
// and written with the PostgreSQL ones, so drizzle converts every value to the same JavaScript type on
// the way (integer milliseconds → Date → timestamptz, 0/1 → boolean, JSON text → object → jsonb).
import {
  and,
  type Column,
  count,
  eq,
  getTableName,
  gt,
  is,
  isNotNull,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import { getTableConfig as getPgTableConfig, PgTable } from "drizzle-orm/pg-core";
import {
  getTableConfig as getSqliteTableConfig,
  type SQLiteColumn,
  SQLiteColumn as SQLiteColumnKind,
  SQLiteTable,
} from "drizzle-orm/sqlite-core";
import type { Database, Transaction } from "../client.ts";
import * as sqliteSchema from "../schema/index.ts";
import type { PostgresDatabase, PostgresTransaction } from "./client.ts";
import * as pgSchema from "./schema/index.ts";

/**
 * SQLite tables not copied: Fedify's key–value store holds caches (remote documents, public keys,
 * idempotency records) that Fedify fills again, and its queue holds deliveries and received activities
 * in flight, which the running server is still working on: a copy taken while it runs would send them a
 * second time from the new store. After the move, Fedify's KvStore and MessageQueue live in tables of
 * their own (PostgreSQL) or in Redis, whichever the instance is configured with.
 */
export const NOT_COPIED = ["fedify_kv", "fedify_queue"] as const;

/** Tables of Atelier's own that a target must not hold rows in, besides those of the schema. */
const SHARED_QUEUE_TABLES = ["atelier_fedify_kv", "atelier_fedify_queue"];

/** Rows per read and per INSERT: bounded memory, and far below PostgreSQL's 65,535 parameters. */
const BATCH_ROWS = 500;
const MAX_PARAMETERS = 60_000;

export interface CopiedTable {
  name: string;
  rows: number;
}

export interface CopyProgress {
  /** Called after each table, with its count. */
  onTable?: (table: CopiedTable) => void;
}

/** A target that already holds rows: nothing was written. */
export class TargetNotEmptyError extends Error {
  override name = "TargetNotEmptyError";
  readonly tables: string[];
  constructor(tables: string[]) {
    super(`the target already holds rows in ${tables.join(", ")}`);
    this.tables = tables;
  }
}

/** A table whose row count differs after the copy; the transaction was rolled back. */
export class CopyMismatchError extends Error {
  override name = "CopyMismatchError";
}

interface TablePair {
  name: string;
  source: SQLiteTable;
  target: PgTable;
  /** The source's primary key columns, for reading in keyset order. */
  key: Column[];
  /** Property names of columns referencing this same table (statuses replying to statuses). */
  selfReferences: string[];
}

/**
 * Every table to copy, parents before children: derived from the PostgreSQL schema's foreign keys, so
 * a table added later takes its place without a list to keep up to date. A foreign key of a table to
 * itself is not an edge here: those columns are written in a second pass (see copyTable).
 */
export function tablesInCopyOrder(): TablePair[] {
  const sources = new Map<string, SQLiteTable>();
  for (const value of Object.values(sqliteSchema)) {
    if (is(value, SQLiteTable)) sources.set(getTableName(value), value);
  }
  const targets = new Map<string, PgTable>();
  for (const value of Object.values(pgSchema)) {
    if (is(value, PgTable)) targets.set(getTableName(value), value);
  }
  for (const name of sources.keys()) {
    if (!targets.has(name) && !(NOT_COPIED as readonly string[]).includes(name)) {
      throw new Error(`SQLite table ${name} has no PostgreSQL counterpart`);
    }
  }
  const parents = new Map<string, Set<string>>();
  const selfReferences = new Map<string, string[]>();
  for (const [name, table] of targets) {
    if (!sources.has(name)) throw new Error(`PostgreSQL table ${name} has no SQLite counterpart`);
    const config = getPgTableConfig(table);
    // Every id is text (db/ids.ts). A serial or identity column would need its sequence moved past the
    // copied rows, which this copy does not do: refuse rather than leave a sequence handing out taken ids.
    for (const column of config.columns) {
      if (column.columnType.includes("Serial") || column.generatedIdentity !== undefined) {
        throw new Error(
          `${name}.${column.name} takes its values from a sequence; move it on after copying`,
        );
      }
    }
    const keyOf = new Map(Object.entries(table).map(([k, c]) => [c, k] as const));
    const own = new Set<string>();
    const self: string[] = [];
    for (const fk of config.foreignKeys) {
      const reference = fk.reference();
      const parent = getTableName(reference.foreignTable);
      if (parent === name) {
        for (const column of reference.columns) self.push(propertyOf(keyOf, column, name));
      } else own.add(parent);
    }
    parents.set(name, own);
    selfReferences.set(name, self);
  }
  // Kahn's algorithm, taking ready tables by name so the order (and the output) is always the same.
  const order: string[] = [];
  const left = new Set(targets.keys());
  while (left.size > 0) {
    const ready = [...left].filter((n) => [...parents.get(n)!].every((p) => !left.has(p))).sort();
    if (ready.length === 0) {
      throw new Error(`foreign keys form a cycle among ${[...left].sort().join(", ")}`);
    }
    for (const n of ready) {
      order.push(n);
      left.delete(n);
    }
  }
  return order.map((name) => {
    const source = sources.get(name)!;
    const config = getSqliteTableConfig(source);
    const key = readingKey(config);
    if (key.length === 0) throw new Error(`table ${name} has no unique key to read it in order`);
    return {
      name,
      source,
      target: targets.get(name)!,
      key,
      selfReferences: selfReferences.get(name)!,
    };
  });
}

/**
 * The columns that order a table's rows one by one: its primary key, or else (generation_candidates) a
 * unique index over columns that are never null and without a condition, which identifies rows as well.
 */
function readingKey(config: ReturnType<typeof getSqliteTableConfig>): Column[] {
  const primary = config.primaryKeys[0]?.columns ?? config.columns.filter((c) => c.primary);
  if (primary.length > 0) return primary;
  for (const index of config.indexes) {
    const { unique, where, columns } = index.config;
    if (!unique || where !== undefined) continue;
    if (columns.every((c) => is(c, SQLiteColumnKind) && c.notNull)) return columns as Column[];
  }
  return [];
}

function propertyOf(keyOf: Map<unknown, string>, column: Column, table: string): string {
  const key = keyOf.get(column);
  if (key === undefined) throw new Error(`column ${column.name} of ${table} not found`);
  return key;
}

/**
 * Names the tables that hold a row: of the schema, and the shared queue's. Tables that do not exist yet
 * count as empty, so this works before the migrations ran.
 */
export async function nonEmptyTables(
  query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>,
): Promise<string[]> {
  const names = [...tablesInCopyOrder().map((t) => t.name), ...SHARED_QUEUE_TABLES];
  const found: string[] = [];
  for (const name of names) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected table name ${name}`);
    const exists = await query(`select to_regclass('public.${name}') is not null as present`);
    if (exists.rows[0]?.present !== true) continue;
    const any = await query(`select 1 from "${name}" limit 1`);
    if (any.rows.length > 0) found.push(name);
  }
  return found;
}

/** Counts of the tables NOT_COPIED, for telling the operator what stays behind. */
export async function leftBehind(source: Database): Promise<CopiedTable[]> {
  return [
    { name: "fedify_kv", rows: await countRows(source, sqliteSchema.fedifyKv) },
    { name: "fedify_queue", rows: await countRows(source, sqliteSchema.fedifyQueue) },
  ];
}

/**
 * Copies every table of `source` into `target` (whose migrations must have run), returning the counts.
 * The source is read in one read transaction: in WAL mode it blocks no writer, and every table is read
 * at the same moment, so a copy taken while the server runs is still consistent. (Rather than SQLite's
 * online backup to a temporary file first: that needs a second copy of the database on disk and one
 * more pass over it; the snapshot's only cost is a WAL that cannot be checkpointed, and so grows, until
 * the copy ends.) The target is written in one transaction, so a failure (or a count that does not
 * match) leaves it as empty as it was.
 */
export async function copySqliteToPostgres(
  source: Database,
  target: PostgresDatabase,
  progress: CopyProgress = {},
): Promise<CopiedTable[]> {
  const tables = tablesInCopyOrder();
  return source.transaction(
    async (read) => {
      const expected = new Map<string, number>();
      for (const table of tables) expected.set(table.name, await countRows(read, table.source));
      return target.transaction(async (write) => {
        // Two copies started together would both find the target empty; the second waits here, then finds
        // the first one's rows.
        await write.execute(
          sql`select pg_advisory_xact_lock(hashtext('atelier:migrate-to-postgres'))`,
        );
        const present = await nonEmptyTables(async (text) => write.execute(sql.raw(text)));
        if (present.length > 0) throw new TargetNotEmptyError(present);
        const copied: CopiedTable[] = [];
        for (const table of tables) {
          let rows: number;
          try {
            rows = await copyTable(read, write, table);
          } catch (error) {
            // pg's messages do not say which table ("invalid byte sequence for encoding "UTF8": 0x00"),
            // and drizzle's wrapper says too much: the whole statement with its values (private keys).
            throw new Error(`${table.name}: ${driverMessage(error)}`, { cause: error });
          }
          const there = await countRows(write, table.target);
          const wanted = expected.get(table.name)!;
          if (rows !== wanted || there !== wanted) {
            throw new CopyMismatchError(
              `${table.name}: ${wanted} row(s) in SQLite, ${rows} read, ${there} in PostgreSQL`,
            );
          }
          copied.push({ name: table.name, rows });
          progress.onTable?.({ name: table.name, rows });
        }
        return copied;
      });
      // Read-only, so DEFERRED: in WAL mode it holds no lock that keeps the server's writers waiting,
      // and it sees one moment of the database throughout.
    },
    { behavior: "deferred" },
  );
}

/** The database's own message under drizzle's "Failed query: …" wrapper. */
function driverMessage(error: unknown): string {
  let inner = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}

async function countRows(
  db: Database | Transaction | PostgresTransaction,
  table: SQLiteTable | PgTable,
): Promise<number> {
  // Both builders take either kind of table at run time; the types only know their own.
  const rows = await (db as Database).select({ n: count() }).from(table as SQLiteTable);
  return rows[0]?.n ?? 0;
}

/**
 * Reads `table` in primary-key order, `size` rows at a time (keyset pagination: each page starts after
 * the last key seen, so a page costs the same at the end of a large table as at its start).
 */
async function* pages(
  read: Transaction,
  table: TablePair,
  size: number,
  where?: SQL,
): AsyncGenerator<Record<string, unknown>[]> {
  const keyOf = new Map(Object.entries(table.source).map(([k, c]) => [c, k] as const));
  const keys = table.key.map((column) => propertyOf(keyOf, column, table.name));
  let last: Record<string, unknown> | undefined;
  for (;;) {
    const after = last === undefined ? undefined : afterKey(table.key, keys, last);
    const rows = (await read
      .select()
      .from(table.source)
      .where(and(where, after))
      .orderBy(...(table.key as SQLiteColumn[]))
      .limit(size)) as Record<string, unknown>[];
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < size) return;
    last = rows.at(-1);
  }
}

/** (k1, k2, …) > (v1, v2, …), spelled with drizzle's operators so each value is bound as its column's. */
function afterKey(
  columns: Column[],
  keys: string[],
  row: Record<string, unknown>,
): SQL | undefined {
  const alternatives = columns.map((column, i) =>
    and(...columns.slice(0, i).map((c, j) => eq(c, row[keys[j]!])), gt(column, row[keys[i]!])),
  );
  return or(...alternatives);
}

/**
 * Copies one table; returns the rows read. Columns referencing the table itself (a reply's status, a
 * boost's) are written empty first and filled in a second pass, once every row they may point at is
 * there: ids are time-ordered, but a reply fetched before its parent can sort before it.
 */
async function copyTable(
  read: Transaction,
  write: PostgresTransaction,
  table: TablePair,
): Promise<number> {
  const width = Object.keys(table.target).length;
  const size = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / width)));
  let rows = 0;
  for await (const page of pages(read, table, size)) {
    const values = page.map((row) => {
      const copy = { ...row };
      for (const key of table.selfReferences) copy[key] = null;
      return copy;
    });
    await write.insert(table.target).values(values as never);
    rows += page.length;
  }
  if (table.selfReferences.length > 0) await fillSelfReferences(read, write, table, size);
  return rows;
}

async function fillSelfReferences(
  read: Transaction,
  write: PostgresTransaction,
  table: TablePair,
  size: number,
): Promise<void> {
  const targetColumns = table.target as unknown as Record<string, Column>;
  const sourceColumns = table.source as unknown as Record<string, Column>;
  const keyColumns = getPgTableConfig(table.target).columns.filter((c) => c.primary);
  if (keyColumns.length !== 1) {
    throw new Error(`${table.name} references itself but has no single-column primary key`);
  }
  const key = keyColumns[0]!;
  const keyName = Object.entries(targetColumns).find(([, c]) => c === key)![0];
  const filled = table.selfReferences;
  const referencing = or(...filled.map((k) => isNotNull(sourceColumns[k]!)));
  const cast = (column: Column) => sql.raw(`::${column.getSQLType()}`);
  const id = (column: Column) => sql.identifier(column.name);
  for await (const page of pages(read, table, size, referencing)) {
    // One UPDATE … FROM (VALUES …) per page rather than one statement per row.
    const rows = page.map(
      (row) =>
        sql`(${sql.join(
          [keyName, ...filled].map((k) => sql`${row[k] ?? null}${cast(targetColumns[k]!)}`),
          sql`, `,
        )})`,
    );
    await write.execute(sql`update ${table.target} as t set ${sql.join(
      filled.map((k) => sql`${id(targetColumns[k]!)} = v.${id(targetColumns[k]!)}`),
      sql`, `,
    )}
      from (values ${sql.join(rows, sql`, `)}) as v(${sql.join(
        [keyName, ...filled].map((k) => id(targetColumns[k]!)),
        sql`, `,
      )})
      where t.${id(key)} = v.${id(key)}`);
  }
}
