// The interop corpus delivered through the real inbox: the documents' servers stand on loopback (one
// listener per host, URLs rewritten, keys from keys/), every standalone public or unlisted post is signed
// by its actor and POSTed to the shared inbox, and the result is checked as a user sees it, through the
// client API (GET /api/v1/statuses/:id), against manifest.json's `expect`. Here remote images are kept
// exactly as sent (no download), so the fields are the sender's; corpus-media.test.ts measures them.
// The other categories are in the corpus-*.test.ts files beside this one.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { docsIn } from "../helpers/corpus-coverage.ts";
import {
  type CorpusHarness,
  deliverAndShow,
  expectStatus,
  startCorpusHarness,
} from "../helpers/corpus-harness.ts";
import { pendingInQueue } from "../helpers/federation.ts";

let h: CorpusHarness;
beforeAll(async () => {
  h = await startCorpusHarness({ measureRemoteMedia: false });
}, 60_000);
afterAll(() => h?.close());

describe("the corpus's standalone posts through the real inbox, signed", () => {
  it.each(docsIn("posts").map((d) => [d.file, d] as const))(
    "%s renders as expected",
    async (_, doc) => {
      const got = await deliverAndShow(h, doc);
      await expectStatus(h, doc, got);
      // The author resolved through its server and shows as a remote account.
      const author = await h.api(`/api/v1/accounts/${got.account.id}`);
      expect(author.status).toBe(200);
      expect(author.json.acct).toContain("@127.0.0.1:");
    },
  );
});

describe("waiting for the inbox", () => {
  // The corpus tests check "nothing changed" after settled(): it must not answer while an activity is
  // still being handled. On PostgreSQL the queue's depth leaves out a leased message (as Fedify's
  // depth does), so waiting for no ready message went on before the handler had stored anything.
  it("is not settled while a worker still handles an activity, on either store", async () => {
    const mira = "https://mastodon.example/users/mira";
    const public_ = "https://www.w3.org/ns/activitystreams#Public";
    const note = `${mira}/statuses/113500000000009999`;
    // A Create naming its Note by IRI: the worker fetches it, and waits for it, while handling.
    const held = h.servers.hold(note, {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: note,
      type: "Note",
      attributedTo: mira,
      content: "<p>Held back</p>",
      published: "2024-11-20T09:30:00Z",
      to: [public_],
    });
    // A failing check below must not leave the request, and so the harness's close, hanging.
    onTestFinished(() => held.release());
    const delivered = h.servers.deliverJson(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${note}/activity`,
        type: "Create",
        actor: mira,
        object: note,
        to: [public_],
      },
      mira,
      h.instance.deps.urls.sharedInbox(),
    );
    await held.requested;
    expect((await delivered).status).toBe(202);
    expect(await pendingInQueue(h.instance)).toBeGreaterThan(0);
    held.release();
    await h.settled();
    // No waiting here: settled() is the wait.
    expect(await findStatusByIri(h.instance.deps.db, h.uri(note))).toBeDefined();
  });
});
