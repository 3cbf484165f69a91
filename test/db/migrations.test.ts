import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { closeDatabase, migrationsFolder, openDatabase } from "../../src/db/client.ts";
import { idTime } from "../../src/db/ids.ts";
import { accounts, markers } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { localUrls } from "../../src/domain/local-urls.ts";
import { tempDir } from "../helpers/instance.ts";

const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8")) as {
  entries: { tag: string }[];
};
const urls = localUrls("https://atelier.example");
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function freshPath() {
  const dir = tempDir();
  cleanups.push(dir.remove);
  return join(dir.path, "db.sqlite");
}

describe("database and migrations", () => {
  it("creates every table on an empty database, with WAL, foreign keys and a busy timeout", () => {
    const db = openDatabase(freshPath());
    try {
      const tables = db.$client
        .prepare("select name from sqlite_master where type = 'table' order by name")
        .pluck()
        .all();
      for (const t of [
        "accounts",
        "users",
        "actor_keys",
        "statuses",
        "media_attachments",
        "follows",
        "favourites",
        "notifications",
        "domain_blocks",
        "reports",
      ]) {
        expect(tables).toContain(t);
      }
      expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(db.$client.pragma("busy_timeout", { simple: true })).toBe(5000);
      const applied = db.$client.prepare("select count(*) from __drizzle_migrations").pluck().get();
      expect(applied).toBe(journal.entries.length);
    } finally {
      closeDatabase(db);
    }
  });

  it("reopens an existing database without losing data or re-running migrations", async () => {
    const path = freshPath();
    const first = openDatabase(path);
    const { account } = await createLocalUser(first, urls, {
      username: "alice",
      password: "correct horse",
    });
    closeDatabase(first);

    const second = openDatabase(path);
    try {
      expect(
        (await second.select().from(accounts).where(eq(accounts.id, account.id)).limit(1))[0]
          ?.username,
      ).toBe("alice");
      const applied = second.$client
        .prepare("select count(*) from __drizzle_migrations")
        .pluck()
        .get();
      expect(applied).toBe(journal.entries.length);
    } finally {
      closeDatabase(second);
    }
  });

  it("upgrades a database made by an older version, keeping its rows", async () => {
    // Build the database with only the first migration, as the first release shipped, then upgrade.
    const dir = tempDir();
    cleanups.push(dir.remove);
    const oldFolder = join(dir.path, "migrations");
    cpSync(migrationsFolder, oldFolder, { recursive: true });
    writeFileSync(
      join(oldFolder, "meta/_journal.json"),
      JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }),
    );
    const path = join(dir.path, "old.sqlite");
    const old = openDatabase(path, { migrate: false });
    migrate(drizzle({ client: old.$client }), { migrationsFolder: oldFolder });
    // Raw SQL: today's query builder knows columns later migrations add.
    old.$client
      .prepare("insert into accounts (id, username, iri) values (?, ?, ?)")
      .run("1", "early_bird", urls.actor("early_bird"));
    closeDatabase(old);

    const upgraded = openDatabase(path);
    try {
      const names = await upgraded.select({ u: accounts.username }).from(accounts);
      expect(names).toEqual([{ u: "early_bird" }]);
      const applied = upgraded.$client
        .prepare("select count(*) from __drizzle_migrations")
        .pluck()
        .get();
      expect(applied).toBe(journal.entries.length);
    } finally {
      closeDatabase(upgraded);
    }
  });

  it("opens a database migrated from the old migrations/ folder without applying anything again", async () => {
    // Until PostgreSQL got its own folder the SQLite migrations lay in migrations/ itself. The migrator
    // applies what is newer than the last recorded creation time, so the move is safe exactly when the
    // journal and the SQL moved unchanged: build a database from a copy laid out as the old folder was.
    const dir = tempDir();
    cleanups.push(dir.remove);
    const oldFolder = join(dir.path, "migrations");
    cpSync(migrationsFolder, oldFolder, { recursive: true });
    const path = join(dir.path, "old.sqlite");
    const old = openDatabase(path, { migrate: false });
    migrate(drizzle({ client: old.$client }), { migrationsFolder: oldFolder });
    old.$client
      .prepare("insert into accounts (id, username, iri) values (?, ?, ?)")
      .run("1", "early_bird", urls.actor("early_bird"));
    const recorded = "select hash, created_at as createdAt from __drizzle_migrations order by id";
    const before = old.$client.prepare(recorded).all();
    closeDatabase(old);

    const reopened = openDatabase(path);
    try {
      const after = reopened.$client.prepare(recorded).all();
      expect(after).toEqual(before);
      expect(after).toEqual(
        readMigrationFiles({ migrationsFolder }).map((m) => ({
          hash: m.hash,
          createdAt: m.folderMillis,
        })),
      );
      expect(await reopened.select({ u: accounts.username }).from(accounts)).toEqual([
        { u: "early_bird" },
      ]);
    } finally {
      closeDatabase(reopened);
    }
  });

  it("keeps the creation times databases recorded for the migrations released in migrations/", () => {
    // What the migrator compares with a database's last applied migration: changing one of these (by
    // regenerating the folder, say) would make every existing database apply migrations twice.
    const released = [
      1795640803622, 1795645098435, 1795649593931, 1795656821184, 1795660855008, 1796155194792,
      1796157572120, 1796158652966, 1796160899149, 1796160984485, 1796167035885, 1796171446015,
      1796171695088, 1796171855239, 1796172218070, 1796172351046, 1796172551733,
    ];
    const files = readMigrationFiles({ migrationsFolder });
    expect(files.slice(0, released.length).map((m) => m.folderMillis)).toEqual(released);
  });

  it("moves what the web had marked read (read_at) into each account's notifications marker", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const oldFolder = join(dir.path, "migrations");
    cpSync(migrationsFolder, oldFolder, { recursive: true });
    const before = journal.entries.findIndex((e) => e.tag === "0006_notifications-markers-only");
    writeFileSync(
      join(oldFolder, "meta/_journal.json"),
      JSON.stringify({ ...journal, entries: journal.entries.slice(0, before) }),
    );
    const path = join(dir.path, "old.sqlite");
    const old = openDatabase(path, { migrate: false });
    migrate(drizzle({ client: old.$client }), { migrationsFolder: oldFolder });
    const sql = old.$client;
    const account = sql.prepare("insert into accounts (id, username, iri) values (?, ?, ?)");
    for (const name of ["a", "b", "c", "x"]) account.run(name, name, urls.actor(name));
    const notification = sql.prepare(
      "insert into notifications (id, account_id, type, from_account_id, read_at) values (?, ?, 'follow', 'x', ?)",
    );
    notification.run("100000000000000001", "a", 1);
    notification.run("100000000000000002", "a", null);
    notification.run("100000000000000003", "b", 1);
    notification.run("100000000000000004", "c", 1);
    // b's app has read further than the web; c's app less far.
    const marker = sql.prepare(
      "insert into markers (account_id, timeline, last_read_id, version, updated_at) values (?, 'notifications', ?, 3, 1)",
    );
    marker.run("b", "100000000000000009");
    marker.run("c", "100000000000000001");
    closeDatabase(old);

    const upgraded = openDatabase(path);
    try {
      const rows = await upgraded
        .select({ a: markers.accountId, id: markers.lastReadId, v: markers.version })
        .from(markers)
        .orderBy(markers.accountId);
      expect(rows).toEqual([
        { a: "a", id: "100000000000000001", v: 0 },
        { a: "b", id: "100000000000000009", v: 3 },
        { a: "c", id: "100000000000000004", v: 4 },
      ]);
    } finally {
      closeDatabase(upgraded);
    }
  });

  it("indexes the statuses already stored when the full-text index is made (0021)", () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const oldFolder = join(dir.path, "migrations");
    cpSync(migrationsFolder, oldFolder, { recursive: true });
    const before = journal.entries.findIndex((e) => e.tag === "0021_status-search");
    writeFileSync(
      join(oldFolder, "meta/_journal.json"),
      JSON.stringify({ ...journal, entries: journal.entries.slice(0, before) }),
    );
    const path = join(dir.path, "old.sqlite");
    const old = openDatabase(path, { migrate: false });
    migrate(drizzle({ client: old.$client }), { migrationsFolder: oldFolder });
    const sql = old.$client;
    sql
      .prepare("insert into accounts (id, username, iri) values ('a', 'a', ?)")
      .run(urls.actor("a"));
    const status = sql.prepare(
      "insert into statuses (id, iri, account_id, content, spoiler_text, reblog_of_id) values (?, ?, 'a', ?, ?, ?)",
    );
    status.run("100000000000000001", "https://x/1", "<p>old <b>kestrel</b></p>", "", null);
    status.run("100000000000000002", "https://x/2", "<p>other</p>", "falcon", null);
    status.run("100000000000000003", "https://x/3", "<p>old kestrel</p>", "", "100000000000000001");
    sql
      .prepare(
        "insert into media_attachments (id, account_id, status_id, media_type, provenance) values ('m', 'a', ?, 'image/png', ?)",
      )
      .run("100000000000000002", JSON.stringify({ digitalSourceType: "x", prompt: "a merlin" }));
    closeDatabase(old);

    const upgraded = openDatabase(path);
    try {
      const find = upgraded.$client
        .prepare("select cast(rowid as text) from status_search where status_search match ?")
        .pluck();
      // The boost (3) is not indexed: its words are the boosted status's.
      expect(find.all("kestrel")).toEqual(["100000000000000001"]);
      expect(find.all("falcon")).toEqual(["100000000000000002"]);
      expect(find.all("merlin")).toEqual(["100000000000000002"]);
      expect(find.all("b")).toEqual([]);
    } finally {
      closeDatabase(upgraded);
    }
  });

  it("gives the blocks stored before 0026 distinct time-sortable ids", () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const oldFolder = join(dir.path, "migrations");
    cpSync(migrationsFolder, oldFolder, { recursive: true });
    const before = journal.entries.findIndex((e) => e.tag === "0026_admin_domain_blocks");
    writeFileSync(
      join(oldFolder, "meta/_journal.json"),
      JSON.stringify({ ...journal, entries: journal.entries.slice(0, before) }),
    );
    const path = join(dir.path, "old.sqlite");
    const old = openDatabase(path, { migrate: false });
    migrate(drizzle({ client: old.$client }), { migrationsFolder: oldFolder });
    const at = Date.UTC(2026, 0, 2);
    const block = old.$client.prepare(
      "insert into domain_blocks (domain, reason, created_at) values (?, '', ?)",
    );
    block.run("a.example", at);
    block.run("b.example", at);
    block.run("c.example", at + 5);
    old.$client
      .prepare("insert into email_domain_blocks (domain, created_at) values ('mail.example', ?)")
      .run(at);
    closeDatabase(old);

    const upgraded = openDatabase(path);
    try {
      const ids = upgraded.$client
        .prepare("select domain, block_id as id from domain_blocks order by domain")
        .all() as { domain: string; id: string }[];
      expect(new Set(ids.map((r) => r.id)).size).toBe(3);
      for (const r of ids) expect(r.id).toMatch(/^\d{18}$/);
      // Sortable by creation time, and the time reads back from the id.
      expect(ids[2]!.id > ids[0]!.id && ids[2]!.id > ids[1]!.id).toBe(true);
      expect(idTime(ids[0]!.id).getTime()).toBe(at);
      const mail = upgraded.$client
        .prepare("select block_id from email_domain_blocks")
        .pluck()
        .get() as string;
      expect(idTime(mail).getTime()).toBe(at);
    } finally {
      closeDatabase(upgraded);
    }
  });

  it("enforces foreign keys", () => {
    const db = openDatabase(":memory:");
    try {
      expect(() =>
        db.$client
          .prepare("insert into users (account_id, password_hash) values ('missing', 'x')")
          .run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      closeDatabase(db);
    }
  });
});
