import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { closeDatabase, migrationsFolder, openDatabase } from "../../src/db/client.ts";
import { accounts } from "../../src/db/schema/index.ts";
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
        second.select().from(accounts).where(eq(accounts.id, account.id)).get()?.username,
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
    migrate(old, { migrationsFolder: oldFolder });
    // Raw SQL: today's query builder knows columns later migrations add.
    old.$client
      .prepare("insert into accounts (id, username, iri) values (?, ?, ?)")
      .run("1", "early_bird", urls.actor("early_bird"));
    closeDatabase(old);

    const upgraded = openDatabase(path);
    try {
      const names = upgraded.select({ u: accounts.username }).from(accounts).all();
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
