// Storing remote actors on either store (ATELIER_TEST_STORE=postgres runs this on PostgreSQL).
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { closeStore } from "../../src/db/dialect.ts";
import { upsertRemoteAccount } from "../../src/domain/remote-accounts.ts";
import { openTestStore } from "../helpers/store.ts";

let db: Database | undefined;
afterEach(async () => {
  if (db !== undefined) await closeStore(db);
  db = undefined;
});

describe("remote accounts", () => {
  it("stores a new actor once when several handlers meet it at the same moment", async () => {
    db = await openTestStore();
    const store = db;
    const actor = {
      iri: "https://remote.example/users/mira",
      username: "mira",
      domain: "remote.example",
      type: "Person" as const,
      inboxUrl: "https://remote.example/users/mira/inbox",
    };
    // As the inbox's parallel slots do when a new actor's activities arrive together.
    const stored = await Promise.all(
      Array.from({ length: 4 }, async () => await upsertRemoteAccount(store, actor)),
    );
    expect(new Set(stored.map((a) => a.id)).size).toBe(1);
    expect(stored[0]!.iri).toBe(actor.iri);
  });
});
