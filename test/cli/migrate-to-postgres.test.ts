// `migrate-to-postgres DATABASE_URL [--media-to-s3]` against a real PostgreSQL and a real S3 server on
// loopback: an instance built on SQLite through the Mastodon API is copied while it stays open, every
// table reads back the same from both stores, a non-empty target is refused with nothing written, a bad
// URL is a clear error, and --media-to-s3 puts the same bytes in the bucket.
import { join } from "node:path";
import { eq, getTableName } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { getTableConfig } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import { closePostgres, openPostgres } from "../../src/db/postgres/client.ts";
import {
  CopyMismatchError,
  copySqliteToPostgres,
  nonEmptyTables,
  tablesInCopyOrder,
} from "../../src/db/postgres/copy-from-sqlite.ts";
import * as pgSchema from "../../src/db/postgres/schema/index.ts";
import { statuses } from "../../src/db/schema/index.ts";
import { S3MediaStore } from "../../src/media/s3-store.ts";
import { LocalMediaStore } from "../../src/media/store.ts";
import { call, localUser, status, webpImage } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance, tempDir } from "../helpers/instance.ts";
import { runScript } from "../helpers/process.ts";
import { startS3, type TestS3 } from "../helpers/s3.ts";
import { createDatabase, startPostgres, type TestServer } from "../helpers/servers.ts";

let postgres: TestServer;
let s3: TestS3;
let instance: TestInstance;
let databases = 0;
const pools: { end(): Promise<void> }[] = [];

beforeAll(async () => {
  [postgres, s3] = await Promise.all([startPostgres(), startS3()]);
  // The source is SQLite on every run: what is copied is a SQLite instance, whatever the suite's store.
  instance = await createTestInstance({}, { sqlite: true });
  await buildInstance(instance);
}, 120_000);

afterAll(async () => {
  for (const pool of pools) await pool.end();
  await instance?.close();
  await Promise.all([postgres?.stop(), s3?.stop()]);
});

/** S3_* without MEDIA_STORE=s3: the instance still serves its files from DATA_DIR/media. */
function s3Variables(): Record<string, string> {
  const { MEDIA_STORE: _, ...rest } = s3.env;
  return rest;
}

async function freshDatabase(): Promise<string> {
  databases += 1;
  return createDatabase(postgres.url, `migrate_${databases}`);
}

async function cli(env: Record<string, string>, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    env: { DATA_DIR: instance.config.dataDir, LOG_LEVEL: "error", ...env },
    out: (line) => {
      stdout += `${line}\n`;
    },
    err: (line) => {
      stderr += `${line}\n`;
    },
  });
  return { code, stdout, stderr };
}

async function upload(token: string, bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), "image.webp");
  form.append("description", "a field of colour");
  const res = await instance.app.request("/api/v2/media", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

/** Users, statuses with an uploaded image, a reply, a boost, follows, favourites, a poll with a vote, a list. */
async function buildInstance(i: TestInstance): Promise<void> {
  const alice = await localUser(i, "alice");
  const bob = await localUser(i, "bob");
  const carol = await localUser(i, "carol");
  const ok = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await call(i, method, path, { token, ...(body !== undefined ? { body } : {}) });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.json)}`).toBe(200);
    return res.json;
  };
  const mediaId = await upload(alice.token, await webpImage({ r: 200, g: 40, b: 90 }));
  const image = await ok("POST", "/api/v1/statuses", alice.token, {
    status: "an image #dusk",
    media_ids: [mediaId],
  });
  await ok("POST", "/api/v1/statuses", bob.token, {
    status: "@alice lovely",
    in_reply_to_id: image.id,
  });
  const poll = await ok("POST", "/api/v1/statuses", alice.token, {
    status: "which colour?",
    poll: { options: ["red", "blue"], expires_in: 3600 },
  });
  await ok("POST", `/api/v1/polls/${poll.poll.id}/votes`, bob.token, { choices: [1] });
  for (const who of [bob, carol]) {
    await ok("POST", `/api/v1/accounts/${alice.account.id}/follow`, who.token);
    await ok("POST", `/api/v1/statuses/${image.id}/favourite`, who.token);
  }
  await ok("POST", `/api/v1/statuses/${image.id}/reblog`, carol.token);
  const list = await ok("POST", "/api/v1/lists", bob.token, { title: "artists" });
  await ok("POST", `/api/v1/lists/${list.id}/accounts`, bob.token, {
    account_ids: [alice.account.id],
  });
  // A reply stored before its parent (as when a reply arrives, then its parent is fetched): the copy
  // must not depend on parents sorting first.
  const reply = await status(i, carol.account, { content: "<p>early reply</p>" });
  const parent = await status(i, alice.account, { content: "<p>late parent</p>" });
  await i.deps.db.update(statuses).set({ inReplyToId: parent.id }).where(eq(statuses.id, reply.id));
}

function openTarget(url: string) {
  const db = drizzle({ connection: url, schema: pgSchema, casing: "snake_case" });
  // The server is stopped at the end; an idle connection it ends must not become an uncaught error.
  db.$client.on("error", () => {});
  pools.push(db.$client);
  return db;
}

/** Every copied table's rows, in primary-key order, from both stores. */
async function allRows(url: string) {
  const target = openTarget(url);
  const sqlite: Record<string, unknown[]> = {};
  const pg: Record<string, unknown[]> = {};
  for (const table of tablesInCopyOrder()) {
    const name = getTableName(table.source);
    sqlite[name] = await instance.deps.db
      .select()
      .from(table.source)
      .orderBy(...(table.key as never[]));
    const keys = table.key.map((c) => c.name);
    const pgKey = Object.values(table.target as unknown as Record<string, { name: string }>);
    pg[name] = await target
      .select()
      .from(table.target)
      .orderBy(...(pgKey.filter((c) => keys.includes(c.name)) as never[]));
  }
  return { sqlite, pg };
}

describe("migrate-to-postgres: the copy order", () => {
  it("puts every table after the tables its foreign keys name, and leaves Fedify's tables out", () => {
    const order = tablesInCopyOrder().map((t) => t.name);
    expect(order).not.toContain("fedify_kv");
    expect(order).not.toContain("fedify_queue");
    expect(new Set(order).size).toBe(order.length);
    for (const table of tablesInCopyOrder()) {
      for (const fk of getTableConfig(table.target).foreignKeys) {
        const parent = getTableName(fk.reference().foreignTable);
        if (parent !== table.name)
          expect(order.indexOf(parent), `${table.name} → ${parent}`).toBeLessThan(
            order.indexOf(table.name),
          );
      }
    }
    expect(
      tablesInCopyOrder()
        .find((t) => t.name === "statuses")
        ?.selfReferences.sort(),
    ).toEqual(["inReplyToId", "quoteOfId", "reblogOfId", "remixOfId"]);
  });
});

describe("admin CLI: migrate-to-postgres", () => {
  it("copies every table of a running SQLite instance into PostgreSQL, row for row", async () => {
    const url = await freshDatabase();
    const result = await cli({}, "migrate-to-postgres", url);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Copying ${instance.config.databasePath} into ${url}:`);
    expect(result.stdout).toMatch(/^ {2}statuses: 6$/m);
    expect(result.stdout).toMatch(/^ {2}media_attachments: 1$/m);
    expect(result.stdout).toMatch(
      /Copied \d+ row\(s\) in \d+ tables in \d+\.\d\d s; every table's count matches\./,
    );
    expect(result.stdout).toMatch(/Not copied: fedify_kv \(\d+\), fedify_queue \(\d+\)/);

    const { sqlite, pg } = await allRows(url);
    expect(Object.keys(sqlite)).not.toContain("fedify_queue");
    for (const [name, rows] of Object.entries(sqlite)) expect(pg[name], name).toEqual(rows);
    // The rows the instance was built with are all there to compare, not just empty tables.
    for (const name of [
      "accounts",
      "users",
      "follows",
      "favourites",
      "poll_votes",
      "lists",
      "list_accounts",
      "media_attachments",
    ]) {
      expect(pg[name]!.length, name).toBeGreaterThan(0);
    }
    const reblogs = (pg.statuses as { reblogOfId: string | null }[]).filter((s) => s.reblogOfId);
    expect(reblogs).toHaveLength(1);
    const early = (pg.statuses as { content: string; inReplyToId: string | null }[]).find(
      (s) => s.content === "<p>early reply</p>",
    );
    expect(early?.inReplyToId).toEqual(expect.any(String));

    // A second run finds the target holding rows and writes nothing.
    const again = await cli({}, "migrate-to-postgres", url);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Error: ${url} is not empty (rows in accounts, `);
    expect(again.stderr).toContain(
      "migrate-to-postgres copies only into an empty database. Nothing was written.",
    );
    expect((await allRows(url)).pg).toEqual(pg);
  }, 60_000);

  it("refuses a bad URL, an unreachable server and wrong arguments with a clear message", async () => {
    const notUrl = await cli({}, "migrate-to-postgres", "not a url");
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('Not a database URL: "not a url".');
    const mysql = await cli({}, "migrate-to-postgres", "mysql://root@127.0.0.1/atelier");
    expect(mysql.code).toBe(2);
    expect(mysql.stderr).toContain("Not a PostgreSQL URL (mysql:)");
    expect((await cli({}, "migrate-to-postgres")).code).toBe(2);
    expect((await cli({}, "migrate-to-postgres", "postgres://a/b", "--frobnicate")).code).toBe(2);

    // A port nothing listens on (the PostgreSQL server's own, plus one), with a password not to be shown.
    const port = Number(new URL(postgres.url).port) + 1;
    const down = await cli(
      {},
      "migrate-to-postgres",
      `postgres://atelier:secret@127.0.0.1:${port}/x`,
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`Error: Cannot use postgres://atelier:***@127.0.0.1:${port}/x: `);
    expect(down.stderr).toContain("ECONNREFUSED");
    expect(down.stderr).not.toContain("secret");

    const missing = new URL(postgres.url);
    missing.pathname = "/no_such_database";
    const none = await cli({}, "migrate-to-postgres", missing.toString());
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('database "no_such_database" does not exist');

    const empty = tempDir();
    try {
      const wrongDir = await cli({ DATA_DIR: empty.path }, "migrate-to-postgres", postgres.url);
      expect(wrongDir.code).toBe(1);
      expect(wrongDir.stderr).toContain(
        "holds no accounts: is DATA_DIR right? Nothing was copied.",
      );
    } finally {
      empty.remove();
    }

    const noS3 = await cli({}, "migrate-to-postgres", await freshDatabase(), "--media-to-s3");
    expect(noS3.code).toBe(2);
    expect(noS3.stderr).toContain("--media-to-s3 needs an S3 store: set S3_BUCKET");
  });

  it("with --media-to-s3, copies DATA_DIR/media into the S3 store with the same bytes", async () => {
    const url = await freshDatabase();
    const result = await cli(s3Variables(), "migrate-to-postgres", url, "--media-to-s3");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("every table's count matches.");
    const local = new LocalMediaStore(join(instance.config.dataDir, "media"));
    const keys: string[] = [];
    for await (const file of local.list()) keys.push(file.key);
    // The original and its resized version at least.
    expect(keys.length).toBeGreaterThan(0);
    expect(result.stdout).toContain(`Copied ${keys.length} file(s)`);
    const store = new S3MediaStore(s3.settings);
    try {
      for (const key of keys) {
        expect((await store.get(key))?.bytes, key).toEqual((await local.get(key))?.bytes);
      }
    } finally {
      store.close();
    }
  }, 60_000);

  it("works through the real entry point as a child process", async () => {
    const url = await freshDatabase();
    const result = await runScript(
      "src/cli/main.ts",
      ["migrate-to-postgres", url],
      { DATA_DIR: instance.config.dataDir },
      60_000,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}statuses: 6$/m);
    const { sqlite, pg } = await allRows(url);
    expect(pg).toEqual(sqlite);
  }, 90_000);
});

describe("migrate-to-postgres: consistency and failures", () => {
  let other: TestInstance;
  let alice: Awaited<ReturnType<typeof localUser>>;
  beforeAll(async () => {
    other = await createTestInstance({}, { sqlite: true });
    alice = await localUser(other, "alice");
    for (let i = 0; i < 3; i++) await status(other, alice.account, { content: `<p>${i}</p>` });
  });
  afterAll(() => other?.close());

  const run = (url: string, out: (line: string) => void = () => {}) =>
    runCli(["migrate-to-postgres", url], {
      env: { DATA_DIR: other.config.dataDir, LOG_LEVEL: "error" },
      out,
      err: (line) => errors.push(line),
    });
  const errors: string[] = [];

  it("copies one consistent moment while the instance keeps writing", async () => {
    const url = await freshDatabase();
    let writing = true;
    let written = 0;
    // Writes land between the copy's batches (every PostgreSQL round trip lets them in).
    const writes = (async () => {
      while (writing) {
        await status(other, alice.account, { content: "<p>during</p>" });
        written += 1;
        await new Promise((r) => setImmediate(r));
      }
    })();
    // Until the copy has done the statuses: every write then lands between its count and its reads.
    const code = await run(url, (line) => {
      if (line.startsWith("  statuses:")) writing = false;
    });
    writing = false;
    await writes;
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    expect(written).toBeGreaterThan(0);
    const target = openTarget(url);
    const copied = await target.$count(pgSchema.statuses);
    const now = await other.deps.db.$count(statuses);
    // Every status the copy saw came with its tags, mentions and counts; later ones were not half-copied.
    expect(copied).toBeGreaterThanOrEqual(3);
    expect(copied).toBeLessThanOrEqual(now);
  });

  it("leaves the target empty when a row is refused, naming the table", async () => {
    const url = await freshDatabase();
    // PostgreSQL's text cannot hold a NUL character; SQLite's can.
    await status(other, alice.account, { content: "<p>a\u0000b</p>" });
    const code = await run(url);
    expect(code).toBe(1);
    expect(errors.join("\n")).toContain(
      `Error: The copy failed and was rolled back (${url} is left empty): statuses: invalid byte sequence for encoding "UTF8": 0x00`,
    );
    expect(errors.join("\n")).not.toContain("private");
    errors.length = 0;
    const target = await openPostgres(url);
    try {
      expect(await nonEmptyTables((text) => target.$client.query(text))).toEqual([]);
    } finally {
      await closePostgres(target);
    }
    await other.deps.db.delete(statuses).where(eq(statuses.content, "<p>a\u0000b</p>"));
  });

  it("rolls back when a table's count differs after the copy", async () => {
    const url = await freshDatabase();
    const target = await openPostgres(url);
    try {
      // A trigger that silently drops the inserts into one table: the count check must catch it.
      await target.$client.query(`create function drop_row() returns trigger language plpgsql
        as $$ begin return null; end; $$`);
      await target.$client.query(
        "create trigger drop_tags before insert on tags for each row execute function drop_row()",
      );
      await status(other, alice.account, { content: "<p>tagged</p>", tags: ["dusk"] });
      const failure = copySqliteToPostgres(other.deps.db, target);
      await expect(failure).rejects.toBeInstanceOf(CopyMismatchError);
      await expect(failure).rejects.toThrow("tags: 1 row(s) in SQLite, 1 read, 0 in PostgreSQL");
      expect(await nonEmptyTables((text) => target.$client.query(text))).toEqual([]);
    } finally {
      await closePostgres(target);
    }
  });
});
