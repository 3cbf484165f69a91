// A bare store for tests of queries and domain rules that need no instance, on the run's store.
import { type Database, openDatabase } from "../../src/db/client.ts";
import { openStore } from "../../src/db/dialect.ts";
import { testStoreEnv } from "./postgres-store.ts";

/**
 * A store with every table and nothing in it, for tests of queries and domain rules without an
 * instance: a new database on the run's PostgreSQL server with ATELIER_TEST_STORE=postgres, else a
 * SQLite database in memory. Close it with closeStore (src/db/dialect.ts).
 */
export async function openTestStore(): Promise<Database> {
  const url = testStoreEnv().DATABASE_URL;
  if (url === undefined) return openDatabase(":memory:");
  return await openStore({ databasePath: ":memory:", databaseUrl: url });
}

/**
 * Inserts many rows into `table` in one transaction, 500 to a statement (well under both stores'
 * limits on bound values), for tests that need more statuses than a timeline's window holds.
 */
export async function insertMany<T extends AnyTable>(
  db: Database,
  table: T,
  rows: T["$inferInsert"][],
): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      await tx.insert(table).values(rows.slice(i, i + 500) as never);
    }
  });
}

type AnyTable = Parameters<Database["insert"]>[0];
