// A received post's remixOf is linked (statuses.remix_of_id) only to a status stored here: the one it
// quotes, or another known one; an unknown IRI or the post itself links nothing, and nothing
// is fetched for it. Both stores (ATELIER_TEST_STORE=postgres).
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { closeStore } from "../../src/db/dialect.ts";
import type { Account } from "../../src/db/schema/index.ts";
import { upsertRemoteAccount } from "../../src/domain/remote-accounts.ts";
import { type RemoteStatusInput, receiveRemoteStatus } from "../../src/domain/remote-statuses.ts";
import { openTestStore } from "../helpers/store.ts";

let db: Database | undefined;
afterEach(async () => {
  if (db !== undefined) await closeStore(db);
  db = undefined;
});

let n = 0;
const post = (author: Account, extra: Partial<RemoteStatusInput> = {}): RemoteStatusInput => ({
  iri: `${author.iri}/statuses/${++n}`,
  url: null,
  objectType: "Note",
  visibility: "public",
  content: `<p>post ${n}</p>`,
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
  ...extra,
});

describe("received remixes", () => {
  it("links remixOf to the quoted or a known status, and to nothing else", async () => {
    db = await openTestStore();
    const mira = await upsertRemoteAccount(db, {
      iri: "https://remote.example/users/mira",
      username: "mira",
      domain: "remote.example",
      type: "Person",
      inboxUrl: "https://remote.example/users/mira/inbox",
    });
    const source = await receiveRemoteStatus(db, mira, post(mira));
    const quoting = await receiveRemoteStatus(
      db,
      mira,
      post(mira, { quoteOfIri: source.iri, remixOfIri: source.iri }),
    );
    expect(quoting).toMatchObject({ quoteOfId: source.id, remixOfId: source.id });
    // Without the quote, a status stored here is still a known source.
    const known = await receiveRemoteStatus(db, mira, post(mira, { remixOfIri: source.iri }));
    expect(known.remixOfId).toBe(source.id);
    // A plain quote is no remix.
    const quote = await receiveRemoteStatus(db, mira, post(mira, { quoteOfIri: source.iri }));
    expect(quote).toMatchObject({ quoteOfId: source.id, remixOfId: null });
    // An IRI not stored here links nothing (and is not fetched: this store has no network).
    const unknown = await receiveRemoteStatus(
      db,
      mira,
      post(mira, { remixOfIri: "https://elsewhere.example/statuses/9" }),
    );
    expect(unknown.remixOfId).toBeNull();
    // A post naming itself is no remix of itself.
    const self = post(mira);
    expect((await receiveRemoteStatus(db, mira, { ...self, remixOfIri: self.iri })).remixOfId).toBe(
      null,
    );
  });
});
