// The tables Fedify's PostgreSQL KV store and queue keep outside drizzle's migrations, created on first
// use. Two processes starting together may both run CREATE TABLE IF NOT EXISTS, which can still fail with
// a unique violation on the catalog; a transaction-scoped advisory lock named after the table orders them.
import type { Pool } from "pg";

/** Runs `statements` (CREATE … IF NOT EXISTS) in one transaction under the lock named `lockName`. */
export async function createTablesOnce(
  pool: Pool,
  lockName: string,
  statements: readonly string[],
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("select pg_advisory_xact_lock(hashtext($1))", [lockName]);
    for (const statement of statements) await client.query(statement);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
