// Hostile, spoofed and malformed corpus documents through the real signed inbox: rejected or neutralised
// exactly as the manifest says, nothing hostile stored (no scripts, event handlers or dangerous URLs),
// nothing a spoofer does not own changed, and the server still answering afterwards.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { favourites, statuses } from "../../src/db/schema/index.ts";
import { findAccountByIri } from "../../src/domain/remote-accounts.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { fetchRemoteImage } from "../../src/media/remote-fetch.ts";
import { docsIn } from "../helpers/corpus-coverage.ts";
import {
  type CorpusHarness,
  deliverAndShow,
  doc,
  expectStatus,
  FORBIDDEN_HTML,
  readCorpus,
  startCorpusHarness,
} from "../helpers/corpus-harness.ts";
import type { Loose } from "../helpers/corpus-servers.ts";
import { inOrder } from "../helpers/factories.ts";

let h: CorpusHarness;
beforeAll(async () => {
  h = await startCorpusHarness({ measureRemoteMedia: false });
}, 60_000);
afterAll(() => h?.close());

const handled = new Set<string>();
/** Delivers a document (its prerequisites first, once) and answers the inbox's status code. */
async function deliver(file: string): Promise<number> {
  await h.deliverPrerequisites(file);
  handled.add(file);
  const res = await h.deliver(file);
  await res.text();
  // Never a 5xx: the sender would retry for ever.
  expect(res.status).toBeLessThan(500);
  await h.settled();
  return res.status;
}
const stored = async (iri: string) => await findStatusByIri(h.instance.deps.db, h.uri(iri));
const allContent = async () =>
  (await h.instance.deps.db.select({ content: statuses.content }).from(statuses))
    .map((s) => s.content)
    .join("\n");

describe("hostile documents", () => {
  it("hostile/create-note-script-html.json keeps the text and drops every active part", async () => {
    const d = doc("hostile/create-note-script-html.json");
    handled.add(d.file);
    await expectStatus(h, d, await deliverAndShow(h, d));
  });

  it("hostile/create-note-attachment-schemes.json keeps only http(s) media and fetches nothing inside", async () => {
    const d = doc("hostile/create-note-attachment-schemes.json");
    handled.add(d.file);
    const got = await deliverAndShow(h, d);
    const urls = got.media_attachments.flatMap((m: Loose) => [m.url, m.preview_url, m.remote_url]);
    for (const bad of d.expect.status.mediaUrlsExclude) {
      for (const u of urls) expect(String(u)).not.toContain(bad);
    }
    for (const want of d.expect.status.mediaIncludes) {
      expect(got.media_attachments.map((m: Loose) => m.remote_url)).toContain(
        h.uri(want.remote_url),
      );
    }
    // The guard that keeps a server with private addresses off (production) from fetching it.
    for (const url of d.expect.mustNotFetch) {
      await expect(
        fetchRemoteImage(url, {
          maxBytes: 1 << 20,
          timeoutMs: 1000,
          allowPrivateAddress: false,
          userAgent: "test",
        }),
      ).rejects.toThrow("private address");
    }
  });

  it("hostile/create-note-bad-media-fields.json drops the bad fields and clamps the focal point", async () => {
    const d = doc("hostile/create-note-bad-media-fields.json");
    handled.add(d.file);
    await expectStatus(h, d, await deliverAndShow(h, d));
  });

  it("hostile/create-note-oversized.json is refused or stored within bounds", async () => {
    const d = doc("hostile/create-note-oversized.json");
    const status = await deliver(d.file);
    const objectId = JSON.parse(h.uri(readCorpus(d.file))).object?.id ?? "";
    const row = await findStatusByIri(h.instance.deps.db, objectId);
    if (row === undefined) {
      expect(status === 202 || (status >= 400 && status < 500)).toBe(true);
      return;
    }
    const got = (await h.api(`/api/v1/statuses/${row.id}`)).json;
    const bounds = d.expect.bounded;
    expect(got.media_attachments.length).toBeLessThanOrEqual(bounds.mediaAtMost);
    expect(got.tags.length).toBeLessThanOrEqual(bounds.tagsAtMost);
    expect(Buffer.byteLength(got.content)).toBeLessThanOrEqual(bounds.contentBytesAtMost);
    for (const pattern of FORBIDDEN_HTML) expect(got.content).not.toMatch(pattern);
  });
});

describe("text PostgreSQL would refuse", () => {
  it("stores a post with NUL characters and lone surrogates without them, on either store", async () => {
    const mira = "https://mastodon.example/users/mira";
    const public_ = "https://www.w3.org/ns/activitystreams#Public";
    const note = `${mira}/statuses/113500000000007777`;
    const res = await h.servers.deliverJson(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${note}/activity`,
        type: "Create",
        actor: mira,
        to: [public_],
        object: {
          id: note,
          type: "Note",
          attributedTo: mira,
          to: [public_],
          published: "2024-11-20T09:30:00Z",
          summary: "tea\u0000cups",
          content: "<p>light\u0000house \ud800 lamp</p>",
          attachment: [
            {
              type: "Document",
              mediaType: "image/png",
              url: "https://mastodon.example/media_attachments/files/113/500/a.png",
              name: "stacked\u0000cups",
            },
          ],
        },
      },
      mira,
      h.instance.deps.urls.sharedInbox(),
    );
    expect(res.status).toBe(202);
    await h.settled();
    const row = await stored(note);
    expect(row).toBeDefined();
    const got = (await h.api(`/api/v1/statuses/${row!.id}`)).json;
    expect(got.content).toBe("<p>lighthouse \ufffd lamp</p>");
    expect(got.spoiler_text).toBe("teacups");
    expect(got.media_attachments.map((m: Loose) => m.description)).toEqual(["stackedcups"]);
  });
});

describe("spoofed documents", () => {
  it.each(
    docsIn("hostile")
      .filter((d) => d.file.startsWith("spoofed/") && d.expect.notStored && !d.expect.unchanged)
      .map((d) => [d.file, d] as const),
  )("%s stores nothing", async (file, d) => {
    await deliver(file);
    for (const iri of d.expect.notStored) expect(await stored(iri)).toBeUndefined();
  });

  it.each(
    docsIn("hostile")
      .filter((d) => d.file.startsWith("spoofed/") && d.expect.unchanged)
      .map((d) => [d.file, d] as const),
  )("%s changes nothing of another actor's", async (file, d) => {
    const db = h.instance.deps.db;
    const snapshot = () =>
      inOrder(d.expect.unchanged as string[], async (iri: string) => {
        const status = await stored(iri);
        const like = (
          await db
            .select()
            .from(favourites)
            .where(eq(favourites.iri, h.uri(iri)))
            .limit(1)
        )[0];
        return JSON.stringify(status ?? like ?? null);
      });
    // Prerequisites first, so there is something to protect.
    await h.deliverPrerequisites(file);
    await h.settled();
    const before = await snapshot();
    for (const s of before) expect(s).not.toBe("null");
    await deliver(file);
    expect(await snapshot()).toEqual(before);
    for (const s of d.expect.contentExcludes ?? []) expect(await allContent()).not.toContain(s);
  });

  it("a Delete of a live actor that no signature proves changes nothing", async () => {
    const mira = "https://mastodon.example/users/mira";
    await h.resolveAccount(mira);
    const res = await h.servers.deliverJson(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${mira}#delete-forged`,
        type: "Delete",
        actor: mira,
        object: mira,
      },
      mira,
      h.instance.deps.urls.sharedInbox(),
      "https://evil.example/users/eve",
    );
    expect(res.status).toBe(401);
    await h.settled();
    expect(await findAccountByIri(h.instance.deps.db, h.uri(mira))).toBeDefined();
  });
});

describe("malformed and unknown documents", () => {
  it.each(
    docsIn("hostile")
      .filter((d) => d.file.startsWith("malformed/"))
      .map((d) => [d.file, d] as const),
  )("%s is refused and the server stays up", async (file, d) => {
    const status = await deliver(file);
    if (d.expect.answer === "4xx") {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
    for (const s of d.expect.contentExcludes ?? []) expect(await allContent()).not.toContain(s);
    expect((await fetch(`${h.instance.url}/health`)).status).toBe(200);
  });

  it("misc/unknown-activity-type.json is accepted and ignored", async () => {
    const before = await allContent();
    expect(await deliver("misc/unknown-activity-type.json")).toBe(202);
    expect(await allContent()).toBe(before);
  });

  it("handled every document of its category", () => {
    expect([...handled].sort()).toEqual(
      docsIn("hostile")
        .map((d) => d.file)
        .sort(),
    );
  });
});
