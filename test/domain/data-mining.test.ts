// The TDM rule's own cases and the one query a /media request pays for: reserved unless every
// attachment naming the file belongs to a local user who consented, read through the key indexes.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, type Database, openDatabase } from "../../src/db/client.ts";
import { closeStore } from "../../src/db/dialect.ts";
import { users } from "../../src/db/schema/index.ts";
import {
  hasDatasetConsent,
  isAccountReserved,
  isMediaReserved,
  parseCrawlerList,
} from "../../src/domain/data-mining.ts";
import { setConsent } from "../helpers/consent.ts";
import { localUser, media, remoteAccount, status } from "../helpers/factories.ts";
import { testsOnPostgres } from "../helpers/postgres-store.ts";
import { openTestStore } from "../helpers/store.ts";

let db: Database;
beforeAll(async () => {
  db = await openTestStore();
});
afterAll(() => closeStore(db));

describe("whose work is reserved", () => {
  it("a local user's until they consent, a remote account's always", async () => {
    const ann = (await localUser(db, "ann")).account;
    const far = await remoteAccount(db, "far", "far.example");
    expect(await isAccountReserved(db, ann)).toBe(true);
    await setConsent(db, ann.id, true);
    expect(await isAccountReserved(db, ann)).toBe(false);
    expect(await isAccountReserved(db, far)).toBe(true);
    // Consent with the licence "none" grants nothing: still reserved, files included.
    await db.update(users).set({ datasetLicense: "none" }).where(eq(users.accountId, ann.id));
    expect(await isAccountReserved(db, ann)).toBe(true);
    const post = await status(db, ann.id, { content: "<p>y</p>" });
    await media(db, ann, post.id, { originalKey: "ab/ab77.png" });
    expect(await isMediaReserved(db, "ab/ab77.png")).toBe(true);
    expect(await hasDatasetConsent(db, ann.id)).toBe(false);
  });

  it("a file by each of its keys; a file nobody's attachment names is reserved", async () => {
    const cleo = (await localUser(db, "cleo")).account;
    await setConsent(db, cleo.id, true);
    const post = await status(db, cleo.id, { content: "<p>x</p>" });
    const keys = {
      originalKey: "cd/cd01.png",
      displayKey: "cd/cd01.webp",
      thumbnailKey: "cd/cd01-s.webp",
    };
    await media(db, cleo, post.id, keys);
    for (const key of Object.values(keys)) expect(await isMediaReserved(db, key)).toBe(false);
    expect(await isMediaReserved(db, "ee/ee99.webp")).toBe(true);
    await setConsent(db, cleo.id, false);
    for (const key of Object.values(keys)) expect(await isMediaReserved(db, key)).toBe(true);
  });
});

describe("the robots.txt list an administrator types", () => {
  it("keeps one agent a line, drops blanks and repeats, refuses directives and wildcards", () => {
    expect(parseCrawlerList(" GPTBot \r\n\r\nCCBot\ngptbot\nKangaroo Bot\n")).toEqual([
      "GPTBot",
      "CCBot",
      "Kangaroo Bot",
    ]);
    expect(parseCrawlerList("")).toEqual([]);
    for (const bad of ["*", "Disallow: /", "Bot#comment", "x".repeat(65)]) {
      expect(() => parseCrawlerList(bad)).toThrow(/not a crawler/);
    }
  });
});

// SQLite's plan, pinned (PostgreSQL's is not pinned here).
describe.skipIf(testsOnPostgres())("the media lookup's plan", () => {
  it("probes the three key indexes, never scans the attachments", async () => {
    const fresh = openDatabase(":memory:");
    try {
      const prepare = fresh.$client.prepare.bind(fresh.$client);
      const texts: string[] = [];
      fresh.$client.prepare = ((source: string) => {
        texts.push(source);
        return prepare(source);
      }) as typeof fresh.$client.prepare;
      await isMediaReserved(fresh, "ab/abcdef.webp");
      fresh.$client.prepare = prepare;
      const text = texts.find((t) => t.includes('"media_attachments"'))!;
      const plan = prepare(`explain query plan ${text}`)
        .all(...Array((text.match(/\?/g) ?? []).length).fill("ab/abcdef.webp"))
        .map((row) => (row as { detail: string }).detail)
        .join("\n");
      expect(plan).toMatch(/MULTI-INDEX OR/);
      for (const index of ["original", "display", "thumbnail"]) {
        expect(plan).toContain(`media_attachments_${index}_key_idx`);
      }
      expect(plan).not.toMatch(/SCAN media_attachments/);
    } finally {
      closeDatabase(fresh);
    }
  });
});
