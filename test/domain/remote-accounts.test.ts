// Storing remote actors and their statuses on either store (ATELIER_TEST_STORE=postgres runs this on PostgreSQL).
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { closeStore } from "../../src/db/dialect.ts";
import { upsertRemoteAccount } from "../../src/domain/remote-accounts.ts";
import { receiveRemoteStatus } from "../../src/domain/remote-statuses.ts";
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

  it("stores a status once when it arrives twice at the same moment", async () => {
    db = await openTestStore();
    const store = db;
    const author = await upsertRemoteAccount(store, {
      iri: "https://remote.example/users/mira",
      username: "mira",
      domain: "remote.example",
      type: "Person",
      inboxUrl: "https://remote.example/users/mira/inbox",
    });
    const note = {
      iri: "https://remote.example/users/mira/statuses/1",
      url: null,
      objectType: "Note",
      visibility: "public" as const,
      content: "<p>Twice</p>",
      spoilerText: "",
      sensitive: false,
      language: null,
      inReplyToIri: null,
      quoteOfIri: null,
      published: null,
      updated: null,
      attachments: [],
      poll: null,
      mentionIris: [],
      tags: [],
    };
    const stored = await Promise.all(
      Array.from({ length: 3 }, async () => await receiveRemoteStatus(store, author, note)),
    );
    expect(new Set(stored.map((s) => s.id)).size).toBe(1);
  });
});
