// The interop corpus delivered through the real inbox: the documents' servers stand on loopback (one
// listener per host, URLs rewritten, keys from keys/), every standalone public or unlisted post is signed
// by its actor and POSTed to the shared inbox, and the result is checked as a user sees it, through the
// client API (GET /api/v1/statuses/:id), against manifest.json's `expect`. Here remote images are kept
// exactly as sent (no download), so the fields are the sender's; corpus-media.test.ts measures them.
// The other categories are in the corpus-*.test.ts files beside this one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docsIn } from "../helpers/corpus-coverage.ts";
import {
  type CorpusHarness,
  deliverAndShow,
  expectStatus,
  startCorpusHarness,
} from "../helpers/corpus-harness.ts";

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
