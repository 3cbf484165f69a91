// On PostgreSQL, a query prepared once (db/prepared.ts) is a named statement that the server keeps per
// connection, and our connections run without JIT and reuse one generic plan: planning a timeline page
// on every run cost more than running it, and JIT compiling a plan costed high took half a second.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseLike } from "../../src/db/client.ts";
import {
  closePostgres,
  openPostgres,
  type PostgresDatabase,
} from "../../src/db/postgres/client.ts";
import { statuses } from "../../src/db/postgres/schema/index.ts";
import { preparedPerHandle } from "../../src/db/prepared.ts";
import { createDatabase, startPostgres, type TestServer } from "../helpers/servers.ts";

let server: TestServer;
let db: PostgresDatabase;

beforeAll(async () => {
  server = await startPostgres();
  // One connection, so every query below meets the statements the others prepared.
  db = await openPostgres(await createDatabase(server.url, "statements"), { maxConnections: 1 });
}, 60_000);

afterAll(async () => {
  if (db !== undefined) await closePostgres(db);
  await server?.stop();
});

const statusByIri = preparedPerHandle((handle) =>
  (handle as unknown as PostgresDatabase)
    .select({ id: statuses.id })
    .from(statuses)
    .where(eq(statuses.iri, sql.placeholder("iri")))
    // No name, as the callers (typed as SQLite's, whose prepare takes none) give none.
    .prepare(undefined as never),
);

describe("prepared queries on PostgreSQL", () => {
  it("run as one named statement per SQL text, kept by the connection", async () => {
    const query = statusByIri(db as unknown as DatabaseLike) as unknown as {
      all(values: Record<string, unknown>): Promise<unknown[]>;
    };
    expect(await query.all({ iri: "https://a.example/1" })).toEqual([]);
    expect(await query.all({ iri: "https://a.example/2" })).toEqual([]);
    const { rows } = await db.$client.query<{ name: string; statement: string }>(
      "select name, statement from pg_prepared_statements",
    );
    const ours = rows.filter((r) => r.statement.includes('from "statuses"'));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.name).toMatch(/^atelier_[0-9a-f]{32}$/);
  });

  it("run without JIT and with generic plans on every connection", async () => {
    const jit = await db.$client.query<{ jit: string }>("show jit");
    const plans = await db.$client.query<{ plan_cache_mode: string }>("show plan_cache_mode");
    expect(jit.rows[0]?.jit).toBe("off");
    expect(plans.rows[0]?.plan_cache_mode).toBe("force_generic_plan");
  });
});
