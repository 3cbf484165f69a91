// migrations/postgres on a real PostgreSQL server (Debian's, started by the test on loopback): a fresh
// database gets every table of src/db/postgres/schema as the schema describes it, applying again changes
// nothing, processes starting together migrate once, the hand-written trigger works, and rows read back
// with the types both stores share.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, getTableColumns, is } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresMigrationsFolder } from "../../src/db/client.ts";
import { idTime, newId } from "../../src/db/ids.ts";
import {
  closePostgres,
  openPostgres,
  type PostgresDatabase,
  pingPostgres,
} from "../../src/db/postgres/client.ts";
import * as schema from "../../src/db/postgres/schema/index.ts";
import { createDatabase, startPostgres, type TestServer } from "../helpers/servers.ts";

const journal = JSON.parse(
  readFileSync(join(postgresMigrationsFolder, "meta/_journal.json"), "utf8"),
) as { entries: { tag: string }[] };

const tables: PgTable[] = Object.values(schema).filter((v) => is(v, PgTable));

let server: TestServer;
let databases = 0;
const open: PostgresDatabase[] = [];

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => {
  for (const db of open.splice(0)) await closePostgres(db);
  await server?.stop();
});

async function freshDatabase(): Promise<string> {
  databases += 1;
  return createDatabase(server.url, `migrations_${databases}`);
}

async function opened(url: string): Promise<PostgresDatabase> {
  const db = await openPostgres(url);
  open.push(db);
  return db;
}

async function appliedCount(db: PostgresDatabase): Promise<number> {
  const { rows } = await db.$client.query<{ n: number }>(
    "select count(*)::int as n from drizzle.__drizzle_migrations",
  );
  return rows[0]!.n;
}

async function insertAccount(db: PostgresDatabase, username: string): Promise<string> {
  const id = newId();
  await db.insert(schema.accounts).values({
    id,
    username,
    iri: `https://atelier.example/users/${username}`,
  });
  return id;
}

describe("PostgreSQL migrations", () => {
  it("creates every table of the schema, with its columns, types, indexes and foreign keys", async () => {
    const db = await opened(await freshDatabase());
    expect(await pingPostgres(db)).toBe(true);
    expect(await appliedCount(db)).toBe(journal.entries.length);

    const { rows: columns } = await db.$client.query<{
      table_name: string;
      column_name: string;
      is_nullable: "YES" | "NO";
      data_type: string;
      datetime_precision: number | null;
    }>(
      `select table_name, column_name, is_nullable, data_type, datetime_precision
       from information_schema.columns where table_schema = 'public'`,
    );
    const found = new Map<string, Record<string, unknown>>();
    // The full-text index's table and view are written by hand in 0006 (drizzle cannot describe a
    // tsvector under GIN): checked on their own below.
    const handWritten = new Set(["status_search_documents", "status_search_sources"]);
    expect(
      columns
        .filter((c) => handWritten.has(c.table_name))
        .map((c) => c.column_name)
        .sort(),
    ).toEqual(["body", "status_id", "status_id", "words"]);
    for (const c of columns) {
      if (handWritten.has(c.table_name)) continue;
      const table = found.get(c.table_name) ?? {};
      table[c.column_name] = {
        nullable: c.is_nullable === "YES",
        type: c.data_type,
        precision: c.data_type.startsWith("timestamp") ? c.datetime_precision : null,
      };
      found.set(c.table_name, table);
    }
    const expected = new Map<string, Record<string, unknown>>();
    for (const table of tables) {
      const config = getTableConfig(table);
      expected.set(
        config.name,
        Object.fromEntries(
          Object.values(getTableColumns(table)).map((c) => {
            const type = c.getSQLType();
            const timestamp = /^timestamp \((\d)\) with time zone$/.exec(type);
            return [
              c.name,
              {
                nullable: !c.notNull,
                type: timestamp ? "timestamp with time zone" : type,
                precision: timestamp ? Number(timestamp[1]) : null,
              },
            ];
          }),
        ),
      );
    }
    expect(Object.fromEntries(found)).toEqual(Object.fromEntries(expected));
    expect(found.get("accounts")).toMatchObject({
      created_at: { nullable: false, type: "timestamp with time zone", precision: 3 },
      locked: { nullable: false, type: "boolean" },
      fields: { nullable: false, type: "jsonb" },
    });

    const { rows: indexes } = await db.$client.query<{ indexname: string }>(
      "select indexname from pg_indexes where schemaname = 'public'",
    );
    const names = indexes.map((i) => i.indexname);
    for (const table of tables) {
      for (const index of getTableConfig(table).indexes) expect(names).toContain(index.config.name);
    }
    expect(names).toContain("lists_exclusive_idx");

    const { rows: foreignKeys } = await db.$client.query<{
      constraint_name: string;
      delete_rule: string;
    }>(
      `select constraint_name, delete_rule from information_schema.referential_constraints
       where constraint_schema = 'public'`,
    );
    const expectedKeys = tables.flatMap((table) =>
      getTableConfig(table).foreignKeys.map((fk) => ({
        // PostgreSQL cuts names at 63 bytes (one drizzle makes is longer).
        constraint_name: fk.getName().slice(0, 63),
        delete_rule: (fk.onDelete ?? "no action").toUpperCase(),
      })),
    );
    const byName = (a: { constraint_name: string }, b: { constraint_name: string }) =>
      a.constraint_name.localeCompare(b.constraint_name);
    expect(
      foreignKeys.filter((fk) => !fk.constraint_name.startsWith("status_search_")).sort(byName),
    ).toEqual(expectedKeys.sort(byName));
    expect(foreignKeys).toContainEqual({
      constraint_name: "status_search_documents_status_id_fkey",
      delete_rule: "CASCADE",
    });
    expect(names).toContain("status_search_documents_words_idx");
    expect(foreignKeys.length).toBeGreaterThan(50);
  });

  it("applies nothing the second time, keeping the rows", async () => {
    const db = await opened(await freshDatabase());
    const id = await insertAccount(db, "early_bird");
    await migrate(drizzle({ client: db.$client }), { migrationsFolder: postgresMigrationsFolder });
    const again = await opened(db.$client.options.connectionString!);
    expect(await appliedCount(again)).toBe(journal.entries.length);
    const rows = await again
      .select({ username: schema.accounts.username })
      .from(schema.accounts)
      .where(eq(schema.accounts.id, id));
    expect(rows).toEqual([{ username: "early_bird" }]);
  });

  it("migrates once when several processes start together on an empty database", async () => {
    const url = await freshDatabase();
    const dbs = await Promise.all([opened(url), opened(url), opened(url)]);
    for (const db of dbs) expect(await appliedCount(db)).toBe(journal.entries.length);
  });

  it("ends an endorsement with the follow it needs (the trigger of 0001)", async () => {
    const db = await opened(await freshDatabase());
    const [alice, bob, carol] = [
      await insertAccount(db, "alice"),
      await insertAccount(db, "bob"),
      await insertAccount(db, "carol"),
    ];
    for (const target of [bob, carol]) {
      await db
        .insert(schema.follows)
        .values({ id: newId(), accountId: alice!, targetAccountId: target!, state: "accepted" });
      await db
        .insert(schema.endorsements)
        .values({ id: newId(), accountId: alice!, targetAccountId: target! });
    }
    await db.delete(schema.follows).where(eq(schema.follows.targetAccountId, bob!));
    const left = await db
      .select({ target: schema.endorsements.targetAccountId })
      .from(schema.endorsements);
    expect(left).toEqual([{ target: carol }]);
  });

  it("indexes the statuses already stored when the full-text index is made (0006)", async () => {
    const url = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "atelier-pg-migrations-"));
    try {
      const oldFolder = join(dir, "migrations");
      cpSync(postgresMigrationsFolder, oldFolder, { recursive: true });
      const before = journal.entries.findIndex((e) => e.tag === "0006_status-search");
      writeFileSync(
        join(oldFolder, "meta/_journal.json"),
        JSON.stringify({ ...journal, entries: journal.entries.slice(0, before) }),
      );
      const old = new pg.Pool({ connectionString: url, max: 1 });
      try {
        await migrate(drizzle({ client: old }), { migrationsFolder: oldFolder });
        await old.query(
          "insert into accounts (id, username, iri) values ('a', 'a', 'https://x/a')",
        );
        const status = `insert into statuses (id, iri, account_id, content, spoiler_text, reblog_of_id)
          values ($1, $2, 'a', $3, $4, $5)`;
        await old.query(status, ["1", "https://x/1", "<p>old <b>kestrel</b></p>", "", null]);
        await old.query(status, ["2", "https://x/2", "<p>other</p>", "falcon", null]);
        await old.query(status, ["3", "https://x/3", "<p>old kestrel</p>", "", "1"]);
        await old.query(
          `insert into media_attachments (id, account_id, status_id, media_type, provenance)
           values ('m', 'a', '2', 'image/png', $1)`,
          [JSON.stringify({ digitalSourceType: "x", prompt: "a merlin" })],
        );
      } finally {
        await old.end();
      }
      const db = await opened(url);
      const find = async (word: string) =>
        (
          await db.$client.query<{ id: string }>(
            `select status_id as id from status_search_documents
             where words @@ phraseto_tsquery('simple', $1) order by status_id`,
            [word],
          )
        ).rows.map((r) => r.id);
      // The boost (3) is not indexed: its words are the boosted status's.
      expect(await find("kestrel")).toEqual(["1"]);
      expect(await find("falcon")).toEqual(["2"]);
      expect(await find("merlin")).toEqual(["2"]);
      expect(await find("b")).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the blocks stored before 0011 distinct time-sortable ids", async () => {
    const url = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "atelier-pg-migrations-"));
    const at = Date.UTC(2026, 0, 2);
    try {
      const oldFolder = join(dir, "migrations");
      cpSync(postgresMigrationsFolder, oldFolder, { recursive: true });
      const before = journal.entries.findIndex((e) => e.tag === "0011_admin_domain_blocks");
      writeFileSync(
        join(oldFolder, "meta/_journal.json"),
        JSON.stringify({ ...journal, entries: journal.entries.slice(0, before) }),
      );
      const old = new pg.Pool({ connectionString: url, max: 1 });
      try {
        await migrate(drizzle({ client: old }), { migrationsFolder: oldFolder });
        const block = "insert into domain_blocks (domain, reason, created_at) values ($1, '', $2)";
        await old.query(block, ["a.example", new Date(at)]);
        await old.query(block, ["b.example", new Date(at)]);
        await old.query(block, ["c.example", new Date(at + 5)]);
        await old.query(
          "insert into email_domain_blocks (domain, created_at) values ('mail.example', $1)",
          [new Date(at)],
        );
      } finally {
        await old.end();
      }
      const db = await opened(url);
      const { rows } = await db.$client.query<{ id: string }>(
        "select block_id as id from domain_blocks order by domain",
      );
      const ids = rows.map((r) => r.id);
      expect(new Set(ids).size).toBe(3);
      for (const id of ids) expect(id).toMatch(/^\d{18}$/);
      expect(ids[2]! > ids[0]! && ids[2]! > ids[1]!).toBe(true);
      expect(idTime(ids[0]!).getTime()).toBe(at);
      const mail = await db.$client.query<{ id: string }>(
        "select block_id as id from email_domain_blocks",
      );
      expect(idTime(mail.rows[0]!.id).getTime()).toBe(at);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads rows back as written: dates to the millisecond, flags, JSON and numbers past 2^31", async () => {
    const db = await opened(await freshDatabase());
    const before = Date.now();
    const accountId = await insertAccount(db, "dora");
    const fetchedAt = new Date("2026-03-04T05:06:07.891Z");
    const fields = [{ name: "Site", value: '<a href="https://dora.example">dora.example</a>' }];
    await db
      .update(schema.accounts)
      .set({ fetchedAt, fields, locked: true })
      .where(eq(schema.accounts.id, accountId));
    const [account] = await db
      .select()
      .from(schema.accounts)
      .where(eq(schema.accounts.id, accountId));
    expect(account).toMatchObject({ fetchedAt, fields, locked: true, bot: false });
    // The default now() in the server's clock, which is this machine's.
    expect(account!.createdAt).toBeInstanceOf(Date);
    expect(account!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const jobId = newId();
    const seed = 2 ** 31 + 5;
    await db.insert(schema.generationJobs).values({
      id: jobId,
      accountId,
      provider: "local",
      model: "atelier-procedural-1",
      prompt: "a lighthouse",
      size: "1024x1024",
      seed,
      costMicros: 2 ** 40,
    });
    const [job] = await db
      .select({ seed: schema.generationJobs.seed, costMicros: schema.generationJobs.costMicros })
      .from(schema.generationJobs)
      .where(eq(schema.generationJobs.id, jobId));
    expect(job).toEqual({ seed, costMicros: 2 ** 40 });

    const mediaId = newId();
    await db.insert(schema.mediaAttachments).values({
      id: mediaId,
      accountId,
      byteSize: 3_000_000_000,
      focusX: 0.125,
      focusY: -0.75,
      hasFocus: true,
      provenance: { digitalSourceType: "trainedAlgorithmicMedia", seed },
    });
    const [media] = await db
      .select()
      .from(schema.mediaAttachments)
      .where(eq(schema.mediaAttachments.id, mediaId));
    expect(media).toMatchObject({
      byteSize: 3_000_000_000,
      focusX: 0.125,
      focusY: -0.75,
      hasFocus: true,
      provenance: { digitalSourceType: "trainedAlgorithmicMedia", seed },
    });
  });
});
