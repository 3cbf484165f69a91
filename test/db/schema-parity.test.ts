// Runtime half of the schema parity check (the compile-time half is schema-parity.types.ts): table by
// table, the PostgreSQL schema has what the SQLite one has, as drizzle sees both: column names, SQL
// nullability, kinds of value and defaults, primary keys, unique and plain indexes (names, columns,
// conditions), foreign keys with their delete actions, and checks. The queries written once for both
// stores rely on all of this meaning the same. The PostgreSQL tables are generated from the SQLite ones
// (npm run db:schema); this is the safety net under the generator's rules and the hand-written columns.ts.
import { type Column, getTableColumns, getTableName, is, SQL, type Table } from "drizzle-orm";
import { getTableConfig as getPgTableConfig, PgDialect, PgTable } from "drizzle-orm/pg-core";
import {
  getTableConfig as getSqliteTableConfig,
  SQLiteSyncDialect,
  SQLiteTable,
} from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pgSchema from "../../src/db/postgres/schema/index.ts";
import * as sqliteSchema from "../../src/db/schema/tables.ts";

/**
 * SQLite tables PostgreSQL does not get: Fedify's key–value store and message queue, which on PostgreSQL
 * (or Redis) are Fedify's own KvStore and MessageQueue implementations with tables of their own.
 */
const SQLITE_ONLY = ["fedify_kv", "fedify_queue"];

/**
 * SQL defaults spelled differently that mean the same: the insert time in milliseconds (the column is a
 * timestamp on PostgreSQL), and an empty JSON list (jsonb there).
 */
const SAME_DEFAULT: Record<string, string> = {
  "(cast(unixepoch('subsecond') * 1000 as integer))": "now()",
  "'[]'": "'[]'::jsonb",
};

function tablesOf(module: Record<string, unknown>, kind: typeof SQLiteTable | typeof PgTable) {
  const out = new Map<string, { exportName: string; table: Table }>();
  for (const [exportName, value] of Object.entries(module)) {
    if (is(value, kind)) out.set(getTableName(value), { exportName, table: value });
  }
  return out;
}

const sqliteTables = tablesOf(sqliteSchema, SQLiteTable);
const pgTables = tablesOf(pgSchema, PgTable);

const sqliteDialect = new SQLiteSyncDialect({ casing: "snake_case" });
const pgDialect = new PgDialect({ casing: "snake_case" });

/** What SQLite writes `flag = 1` as, PostgreSQL writes `flag = true`: render both PostgreSQL's way. */
function booleansAsPostgres(text: string, booleans: string[]): string {
  let out = text;
  for (const name of booleans) {
    out = out
      .replaceAll(`"${name}" = 1`, `"${name}" = true`)
      .replaceAll(`"${name}" = 0`, `"${name}" = false`);
  }
  return out;
}

interface Shape {
  exportName: string;
  columns: Record<string, unknown>;
  primaryKey: string[];
  indexes: Record<string, unknown>;
  foreignKeys: Record<string, unknown>;
  checks: { name: string; condition: string }[];
  uniqueConstraints: Record<string, string[]>;
}

function columnShape(column: Column, render: (sql: SQL) => string) {
  let value: unknown = column.default;
  if (is(value, SQL)) {
    const text = render(value);
    value = { sql: SAME_DEFAULT[text] ?? text };
  }
  return {
    name: column.name,
    notNull: column.notNull,
    primary: column.primary,
    unique: column.isUnique,
    /** string, number, boolean, date or json: what the driver value maps to. */
    kind: column.dataType,
    hasDefault: column.hasDefault,
    default: value,
    defaultFn: column.defaultFn !== undefined,
  };
}

type Config = ReturnType<typeof getSqliteTableConfig> | ReturnType<typeof getPgTableConfig>;

function shapeOf(
  exportName: string,
  table: Table,
  config: Config,
  renderSql: (sql: SQL) => string,
): Shape {
  const booleans = Object.values(getTableColumns(table))
    .filter((c) => c.dataType === "boolean")
    .map((c) => c.name);
  const render = (sql: SQL) => booleansAsPostgres(renderSql(sql), booleans);
  const part = (c: Column | SQL) => (is(c, SQL) ? { expression: render(c) } : c.name);
  const columns = Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([key, c]) => [key, columnShape(c, render)]),
  );
  const composite = config.primaryKeys.map((pk) => pk.columns.map((c) => c.name));
  const inline = Object.values(getTableColumns(table))
    .filter((c) => c.primary)
    .map((c) => c.name);
  expect(
    composite.length + (inline.length > 0 ? 1 : 0),
    `${config.name}: one primary key at most`,
  ).toBeLessThanOrEqual(1);
  return {
    exportName,
    columns,
    primaryKey: composite[0] ?? inline,
    indexes: Object.fromEntries(
      config.indexes.map((i) => [
        i.config.name,
        {
          unique: i.config.unique,
          columns: (i.config.columns as (Column | SQL)[]).map(part),
          where: i.config.where === undefined ? null : render(i.config.where),
        },
      ]),
    ),
    foreignKeys: Object.fromEntries(
      config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        return [
          fk.getName(),
          {
            columns: ref.columns.map((c) => c.name),
            foreignTable: getTableName(ref.foreignTable),
            foreignColumns: ref.foreignColumns.map((c) => c.name),
            onDelete: fk.onDelete ?? "no action",
            onUpdate: fk.onUpdate ?? "no action",
          },
        ];
      }),
    ),
    checks: config.checks
      .map((c) => ({ name: c.name, condition: render(c.value) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    uniqueConstraints: Object.fromEntries(
      config.uniqueConstraints.map((u) => [u.getName() ?? "", u.columns.map((c) => c.name)]),
    ),
  };
}

function sqliteShape(name: string): Shape {
  const { exportName, table } = sqliteTables.get(name)!;
  return shapeOf(
    exportName,
    table,
    getSqliteTableConfig(table as SQLiteTable),
    (s) => sqliteDialect.sqlToQuery(s).sql,
  );
}

function pgShape(name: string): Shape {
  const { exportName, table } = pgTables.get(name)!;
  return shapeOf(
    exportName,
    table,
    getPgTableConfig(table as PgTable),
    (s) => pgDialect.sqlToQuery(s).sql,
  );
}

describe("schema parity of SQLite and PostgreSQL", () => {
  it("has the same tables, under the same export names, but for Fedify's own", () => {
    for (const name of SQLITE_ONLY) {
      expect(sqliteTables.has(name), `${name} is a SQLite table`).toBe(true);
      expect(pgTables.has(name), `${name} is not a PostgreSQL table`).toBe(false);
    }
    const shared = [...sqliteTables.keys()].filter((n) => !SQLITE_ONLY.includes(n)).sort();
    expect([...pgTables.keys()].sort()).toEqual(shared);
    expect(shared.length).toBeGreaterThan(40);
  });

  describe.each([...pgTables.keys()].sort())("%s", (name) => {
    it("has the same columns, keys, indexes, foreign keys and checks", () => {
      expect(pgShape(name)).toEqual(sqliteShape(name));
    });
  });

  it("compares what it claims to: shapes hold columns, index conditions and delete actions", () => {
    // So a green run above is not a comparison of two empty shapes.
    const accounts = sqliteShape("accounts");
    const changed = structuredClone(accounts);
    (changed.columns.url as { notNull: boolean }).notNull = true;
    expect(changed).not.toEqual(accounts);
    expect(Object.keys(accounts.columns)).toContain("featuredTagsUrl");
    expect(Object.keys(accounts.indexes)).toContain("accounts_local_username_unique");
    expect(pgShape("lists").indexes).toMatchObject({
      lists_exclusive_idx: { where: '"lists"."exclusive" = true' },
    });
    expect(sqliteShape("follows").foreignKeys).toMatchObject({
      follows_account_id_accounts_id_fk: { onDelete: "cascade", foreignTable: "accounts" },
    });
  });
});
