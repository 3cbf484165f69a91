// The full-text index behind status search (issue #19), through GET /api/v2/search and the paths that
// write statuses: exact words (no substrings, no stemming, no markup), an image found by the words of
// its prompt, the index following edits and deletions, and no private post of someone else found.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isPostgres, rawRows, rawRun } from "../../src/db/dialect.ts";
import { call, follow, localUser, media, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

async function search(token: string, q: string, extra = ""): Promise<string[]> {
  const res = await call(
    instance,
    "GET",
    `/api/v2/search?type=statuses&q=${encodeURIComponent(q)}${extra}`,
    { token },
  );
  expect(res.status).toBe(200);
  return res.json.statuses.map((s: { id: string }) => s.id);
}

/** The ids the index itself holds for `word`, whether or not a search would show them. */
async function indexed(word: string): Promise<string[]> {
  const db = instance.deps.db;
  const rows = isPostgres(db)
    ? await rawRows<{ id: string }>(
        db,
        sql`select status_id as id from status_search_documents
          where words @@ phraseto_tsquery('simple', ${word})`,
      )
    : await rawRows<{ id: string }>(
        db,
        sql`select cast(rowid as text) as id from status_search where status_search match ${`"${word}"`}`,
      );
  return rows.map((r) => r.id);
}

describe("the full-text index", () => {
  it("matches whole words of the text a reader sees, not parts of words nor markup", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const heron = await status(instance, alice, {
      content: '<p>A <a href="https://birds.example/heron" class="mention">Heron</a> fishing</p>',
    });
    const herons = await status(instance, alice, { content: "<p>Two herons</p>" });
    const paragraphs = await status(instance, alice, { content: "<p>grey</p><p>wing<br>tips</p>" });
    expect(await search(token, "heron")).toEqual([heron.id]);
    expect(await search(token, "HERONS")).toEqual([herons.id]);
    // No stemming and no substrings: "her" is in neither post's words.
    expect(await search(token, "her")).toEqual([]);
    expect(await search(token, "fish")).toEqual([]);
    // Tags and attributes are not words of the post; ends of blocks and line breaks part words.
    expect(await search(token, "href")).toEqual([]);
    expect(await search(token, "mention")).toEqual([]);
    expect(await search(token, "wing")).toEqual([paragraphs.id]);
    expect(await search(token, "greywing")).toEqual([]);
    expect(await search(token, '"wing tips"')).toEqual([paragraphs.id]);
    expect(await search(token, "tips -grey")).toEqual([]);
    expect(await search(token, '-"wing tips" from:me')).toEqual([herons.id, heron.id]);
    // Only punctuation: no word to look for, so nothing is found.
    expect(await search(token, "%%")).toEqual([]);
  });

  it("reads quotes, backslashes and operators in a query as text", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const quoted = await status(instance, alice, { content: "<p>it's a back\\slash AND more</p>" });
    expect(await search(token, "it's")).toEqual([quoted.id]);
    expect(await search(token, "back\\slash")).toEqual([quoted.id]);
    expect(await search(token, "'; drop table statuses; --")).toEqual([]);
    expect(await search(token, "E'\\' OR 1=1")).toEqual([]);
    expect(await search(token, "NEAR(more back)")).toEqual([]);
    expect(await search(token, "more")).toEqual([quoted.id]);
    // A NUL or another control character is a space, on both stores (no 500).
    expect(await search(token, "more\u0000back")).toEqual([quoted.id]);
    expect(await search(token, "#more\u0000")).toEqual([]);
    for (const type of ["hashtags", "accounts"]) {
      const res = await call(instance, "GET", `/api/v2/search?type=${type}&q=a%00b`, { token });
      expect(res.status).toBe(200);
    }
    const accounts = await call(instance, "GET", "/api/v1/accounts/search?q=al%00", { token });
    expect(accounts.status).toBe(200);
    const link = await call(instance, "GET", "/api/v1/timelines/link?url=https://x.example/%00", {
      token,
    });
    expect(link.status).toBe(404);
  });

  it("finds a generated image's post by a word of its prompt, not only of its description", async () => {
    const { token } = await localUser(instance, "alice");
    await instance.deps.start();
    const job = await call(instance, "POST", "/api/v1/atelier/generations", {
      token,
      body: { prompt: "a lighthouse at dusk with gulls", n: 1, seed: 3, size: "512x512" },
    });
    expect(job.status).toBe(202);
    await instance.deps.generation.idle();
    const polled = await call(instance, "GET", `/api/v1/atelier/generations/${job.json.id}`, {
      token,
    });
    const candidate = polled.json.candidates[0].id as string;
    // Before it is posted, the image belongs to no status: nothing is found.
    expect(await search(token, "gulls")).toEqual([]);
    const described = await call(instance, "PUT", `/api/v1/media/${candidate}`, {
      token,
      body: { description: "My seaside picture" },
    });
    expect(described.status).toBe(200);
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "made this", media_ids: [candidate] },
    });
    expect(posted.status).toBe(200);
    expect(await search(token, "gulls")).toEqual([posted.json.id]);
    expect(await search(token, '"lighthouse at dusk"')).toEqual([posted.json.id]);
    expect(await search(token, "seaside")).toEqual([posted.json.id]);
    expect(await search(token, "gulls has:media")).toEqual([posted.json.id]);
  });

  it("finds an edited post by its new words and not its old ones", async () => {
    const { token } = await localUser(instance, "alice");
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "a quiet meadow", spoiler_text: "summer" },
    });
    expect(await search(token, "meadow")).toEqual([posted.json.id]);
    const edited = await call(instance, "PUT", `/api/v1/statuses/${posted.json.id}`, {
      token,
      body: { status: "a stormy harbour", spoiler_text: "winter" },
    });
    expect(edited.status).toBe(200);
    expect(await search(token, "harbour")).toEqual([posted.json.id]);
    expect(await search(token, "winter")).toEqual([posted.json.id]);
    expect(await search(token, "meadow")).toEqual([]);
    expect(await search(token, "summer")).toEqual([]);
    expect(await indexed("meadow")).toEqual([]);
  });

  it("forgets a deleted post, its images' words with it", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const kept = await status(instance, alice, { content: "<p>orchard kept</p>" });
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "orchard in bloom" },
    });
    await media(instance, alice, posted.json.id, {
      description: "apple blossom",
      provenance: {
        digitalSourceType: "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
        prompt: "an orchard of apple trees",
      },
    });
    expect(await search(token, "orchard")).toEqual([posted.json.id, kept.id]);
    expect(await indexed("blossom")).toEqual([posted.json.id]);
    const deleted = await call(instance, "DELETE", `/api/v1/statuses/${posted.json.id}`, { token });
    expect(deleted.status).toBe(200);
    expect(await search(token, "orchard")).toEqual([kept.id]);
    expect(await indexed("orchard")).toEqual([kept.id]);
    expect(await indexed("blossom")).toEqual([]);
  });

  it("follows an image's description and prompt when they change or the image is removed", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const post = await status(instance, alice, { content: "<p>untitled</p>" });
    const image = await media(instance, alice, post.id, { description: "a red kite" });
    expect(await search(token, "kite")).toEqual([post.id]);
    // Straight to the table: the index follows the rows, whichever code path writes them.
    await rawRun(
      instance.deps.db,
      sql`update media_attachments set description = 'a buzzard' where id = ${image.id}`,
    );
    expect(await search(token, "kite")).toEqual([]);
    expect(await search(token, "buzzard")).toEqual([post.id]);
    await rawRun(instance.deps.db, sql`delete from media_attachments where id = ${image.id}`);
    expect(await indexed("buzzard")).toEqual([]);
    expect(await search(token, "untitled")).toEqual([post.id]);
  });

  it("never finds another's followers-only or direct post, even one the viewer may read", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob", "remote.example", { indexable: true });
    const { account: carol } = await localUser(instance, "carol");
    await follow(instance, alice, bob);
    const shared = await status(instance, bob, { content: "<p>lantern public</p>" });
    // Alice follows Bob, so she may read this one; it is in neither her library nor the public index.
    await status(instance, bob, { content: "<p>lantern followers</p>", visibility: "private" });
    await status(instance, bob, { content: "<p>lantern unlisted</p>", visibility: "unlisted" });
    await status(instance, carol, {
      content: "<p>lantern direct to bob</p>",
      visibility: "direct",
      mentions: [bob],
    });
    expect(await search(token, "lantern")).toEqual([shared.id]);
    expect(await search(token, "followers")).toEqual([]);
    expect(await search(token, "direct")).toEqual([]);
    expect(await search(token, '"lantern direct"')).toEqual([]);
    // A boost is not indexed twice: the boosted post is found once.
    await call(instance, "POST", `/api/v1/statuses/${shared.id}/reblog`, { token });
    expect(await search(token, "lantern")).toEqual([shared.id]);
  });
});
