// What other servers fetch from us: actors, Notes with their image attachments as Mastodon reads them,
// collections with totals, and who may see a followers-only status.

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, mediaAttachments } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { boostStatus } from "../../src/domain/interactions.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { AI_PROVENANCE, publishWithImages } from "../helpers/publish.ts";

const AP = { Accept: "application/activity+json" };
// ActivityStreams documents are read loosely here; the assertions say what matters.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Loose = any;
let instance: TestInstance;
let alice: Account;

beforeAll(async () => {
  instance = await createTestInstance({ ORIGIN: "https://atelier.example" });
  alice = (
    await createLocalUser(instance.deps.db, instance.deps.urls, {
      username: "alice",
      password: "alice-password",
      displayName: "Alice",
    })
  ).account;
});
afterAll(() => instance?.close());

const get = async (path: string, headers: Record<string, string> = AP) => {
  const res = await instance.app.request(new URL(path, "https://atelier.example").href, {
    headers,
  });
  return {
    status: res.status,
    json: res.status === 200 ? ((await res.json()) as Record<string, Loose>) : null,
  };
};

describe("ActivityPub objects", () => {
  it("serves a Person with both keys, endpoints and collections", async () => {
    const { status, json } = await get("/users/alice");
    expect(status).toBe(200);
    expect(json).toMatchObject({
      id: "https://atelier.example/users/alice",
      type: "Person",
      preferredUsername: "alice",
      name: "Alice",
      url: "https://atelier.example/@alice",
      inbox: "https://atelier.example/users/alice/inbox",
      outbox: "https://atelier.example/users/alice/outbox",
      followers: "https://atelier.example/users/alice/followers",
      following: "https://atelier.example/users/alice/following",
      featured: "https://atelier.example/users/alice/featured",
      endpoints: { sharedInbox: "https://atelier.example/inbox" },
      manuallyApprovesFollowers: false,
      discoverable: true,
      indexable: true,
    });
    expect(json!.publicKey.publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    expect(json!.assertionMethod[0]).toMatchObject({ type: "Multikey" });
    const instanceActor = await get("/users/instance");
    expect(instanceActor.json).toMatchObject({ type: "Application" });
  });

  it("answers WebFinger for the handle and for the profile URL, and host-meta", async () => {
    for (const resource of ["acct:alice@atelier.example", "https://atelier.example/@alice"]) {
      const { status, json } = await get(
        `/.well-known/webfinger?resource=${encodeURIComponent(resource)}`,
        {},
      );
      expect(status).toBe(200);
      expect(json!.links).toContainEqual(
        expect.objectContaining({ rel: "self", href: "https://atelier.example/users/alice" }),
      );
    }
    const hostMeta = await instance.app.request("https://atelier.example/.well-known/host-meta");
    expect(await hostMeta.text()).toContain("/.well-known/webfinger?resource={uri}");
  });

  it("serves an image post as a Note with the attachment fields Mastodon reads", async () => {
    const status = await publishWithImages(instance.deps, alice.id, {
      text: "A lighthouse",
      spoilerText: "bright",
      sensitive: true,
      language: "en",
      images: [
        {
          color: { r: 200, g: 120, b: 40 },
          width: 1024,
          height: 768,
          description: "A lighthouse at dusk",
          focus: { x: 0.5, y: -0.25 },
        },
      ],
    });
    const media = (
      await instance.deps.db
        .select()
        .from(mediaAttachments)
        .where(eq(mediaAttachments.statusId, status.id))
        .limit(1)
    )[0]!;
    const { json } = await get(`/statuses/${status.id}`);
    expect(json).toMatchObject({
      id: status.iri,
      type: "Note",
      attributedTo: alice.iri,
      url: `https://atelier.example/@alice/${status.id}`,
      summary: "bright",
      sensitive: true,
      content: status.content,
      contentMap: { en: status.content },
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      cc: ["https://atelier.example/users/alice/followers"],
      attachment: [
        {
          type: "Document",
          mediaType: "image/webp",
          url: `https://atelier.example/media/${media.displayKey}`,
          name: "A lighthouse at dusk",
          blurhash: media.blurhash,
          focalPoint: [0.5, -0.25],
          width: 1024,
          height: 768,
        },
      ],
    });
    expect(media.blurhash).toMatch(/^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{6,}$/);
    expect(json!.attachment[0]).not.toHaveProperty("aiPrompt");
    const context = JSON.stringify(json!["@context"]);
    expect(context).toContain('"blurhash":"toot:blurhash"');
  });

  it("puts the AI provenance terms and their context on an AI image attachment", async () => {
    const status = await publishWithImages(instance.deps, alice.id, {
      text: "Made by the generator",
      images: [{ color: { r: 20, g: 40, b: 90 }, provenance: AI_PROVENANCE }],
    });
    const { json } = await get(`/statuses/${status.id}`);
    expect(json!.attachment[0]).toMatchObject({
      type: "Document",
      name: AI_PROVENANCE.prompt,
      digitalSourceType: AI_PROVENANCE.digitalSourceType,
      aiPrompt: AI_PROVENANCE.prompt,
      aiNegativePrompt: "people",
      aiModel: "atelier-procedural-1",
      aiProvider: "local",
      aiSeed: 42,
    });
    expect(json!.tag).toMatchObject({ type: "Hashtag", name: "#AIart" });
    const context = JSON.stringify(json!["@context"]);
    expect(context).toContain('"atelier":"https://atelier.social/ns#"');
    expect(context).toContain('"aiPrompt":"atelier:aiPrompt"');
    expect(context).toContain(
      '"digitalSourceType":{"@id":"schema:digitalSourceType","@type":"@id"}',
    );
  });

  it("does not serve a followers-only status to an anonymous fetch", async () => {
    const status = await publishWithImages(instance.deps, alice.id, {
      text: "for followers",
      visibility: "private",
    });
    const { status: code } = await get(`/statuses/${status.id}`);
    // Exactly as an unknown id: a 401 would confirm that the status exists.
    expect(code).toBe(404);
    expect((await get("/statuses/123")).status).toBe(404);
  });

  it("pages the outbox and followers with totals", async () => {
    const outbox = await get("/users/alice/outbox");
    expect(outbox.json).toMatchObject({ type: "OrderedCollection", totalItems: 2 });
    const page = await get(outbox.json!.first);
    expect(page.json!.orderedItems[0]).toMatchObject({ type: "Create" });
    const followers = await get("/users/alice/followers");
    expect(followers.json).toMatchObject({ type: "OrderedCollection", totalItems: 0 });
  });

  it("reports usage in NodeInfo 2.1", async () => {
    const { json } = await get("/nodeinfo/2.1", {});
    expect(json).toMatchObject({
      software: { name: "atelier", version: "0.1.0" },
      protocols: ["activitypub"],
      // The default mode, approval: anyone may ask for an account (test/api/registrations.test.ts).
      openRegistrations: true,
      usage: { users: { total: 1 }, localPosts: 3 },
    });
  });

  // These come last: the boost would change the counts above.
  it("sends a browser that opens an actor or status id to its page", async () => {
    const html = { Accept: "text/html,application/xhtml+xml" };
    const page = (path: string) =>
      instance.app.request(new URL(path, "https://atelier.example").href, { headers: html });
    const actor = await page("/users/alice");
    expect(actor.status).toBe(302);
    expect(actor.headers.get("location")).toBe("https://atelier.example/@alice");
    expect(actor.headers.get("vary")).toContain("Accept");
    const status = await publishWithImages(instance.deps, alice.id, { text: "Open me" });
    const note = await page(`/statuses/${status.id}`);
    expect(note.status).toBe(302);
    expect(note.headers.get("location")).toBe(`https://atelier.example/@alice/${status.id}`);
    const boost = await boostStatus(instance.deps.db, instance.deps.urls, alice, status);
    const boosted = await page(`/statuses/${boost.id}`);
    expect(boosted.headers.get("location")).toBe(`https://atelier.example/@alice/${status.id}`);
    expect((await page("/users/nobody")).status).toBe(404);
    expect((await page("/statuses/123")).status).toBe(404);
  });

  it("serves a boost at its own URL as an Announce of the boosted status", async () => {
    const status = await publishWithImages(instance.deps, alice.id, { text: "Boost me" });
    const boost = await boostStatus(instance.deps.db, instance.deps.urls, alice, status);
    const { status: code, json } = await get(`/statuses/${boost.id}`);
    expect(code).toBe(200);
    expect(json).toMatchObject({
      id: boost.iri,
      type: "Announce",
      actor: alice.iri,
      object: status.iri,
      to: expect.stringMatching(/Public$/),
    });
    // The Note itself is still a Note.
    expect((await get(`/statuses/${status.id}`)).json).toMatchObject({ type: "Note" });
  });
  it("sends a browser to the page of a followers-only or direct status only as it would for an unknown id", async () => {
    const html = { Accept: "text/html,application/xhtml+xml" };
    const page = async (id: string) => {
      const res = await instance.app.request(
        new URL(`/statuses/${id}`, "https://atelier.example").href,
        { headers: html },
      );
      return {
        status: res.status,
        location: res.headers.get("location"),
        body: (await res.text()).replaceAll(id, "ID").replace(/nonce="[^"]*"/g, "nonce"),
      };
    };
    const unknown = await page("123");
    expect(unknown.status).toBe(404);
    for (const visibility of ["private", "direct"] as const) {
      const status = await publishWithImages(instance.deps, alice.id, {
        text: `secret ${visibility}`,
        visibility,
      });
      expect(await page(status.id)).toEqual(unknown);
    }
  });
});
