// A remote edit (Update) says afresh what a post remixes, through the real signed inbox: Atelier's
// remixOf is read on Update as on Create — one http(s) IRI of at most 2048 characters, linked only to a
// status stored here and never fetched — so a post can become a remix of alice's, name another source,
// or stop being one, and her page counts what it says now.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Status } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { REMIX_CONTEXT, REMOTE_IRI_MAX_LENGTH } from "../../src/generation/provenance-vocab.ts";
import { webpImage } from "../helpers/factories.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import {
  type FederatedInstance,
  pendingInQueue,
  startFederatedInstance,
  waitFor,
} from "../helpers/federation.ts";
import { AI_PROVENANCE, publishWithImages } from "../helpers/publish.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  REMIX_CONTEXT,
  {
    quote: { "@id": "https://w3id.org/fep/044f#quote", "@type": "@id" },
    QuoteRequest: "https://w3id.org/fep/044f#QuoteRequest",
  },
];

let local: FederatedInstance;
let remote: FakeRemote;
let mira: FakeActor;
let source: Status;
let other: Status;
let image: string;

const deliver = async (body: Record<string, unknown>) => {
  const res = await remote.deliver(
    local.deps.urls.sharedInbox(),
    { "@context": CONTEXT, ...body },
    mira,
  );
  expect(res.status).toBe(202);
  await waitFor("the queues to settle", async () => (await pendingInQueue(local)) === 0);
  await local.deps.events.drain();
};

const note = (id: string, version: number, extra: Record<string, unknown> = {}) => ({
  id,
  type: "Note",
  attributedTo: mira.id.href,
  content: `<p>mira's take, version ${version}</p>`,
  to: [PUBLIC],
  published: "2025-05-01T10:00:00Z",
  ...(version > 1 ? { updated: new Date(Date.UTC(2025, 4, 1, 10, version)).toISOString() } : {}),
  attachment: [{ type: "Image", mediaType: "image/webp", url: image, width: 64, height: 64 }],
  ...extra,
});

let version = 1;
/** Sends an edit of mira's post whose Note carries `extra`, and reads what is stored. */
const edit = async (id: string, extra: Record<string, unknown>) => {
  version++;
  await deliver({
    id: `${id}#updates/${version}`,
    type: "Update",
    actor: mira.id.href,
    object: note(id, version, extra),
  });
  return (await findStatusByIri(local.deps.db, id))!;
};

/** The remixes section of a local post's page, as an anonymous visitor sees it. */
const remixesOf = async (status: Status) => {
  const res = await fetch(`${local.url}/@alice/${status.id}`);
  expect(res.status).toBe(200);
  return /<section class="remixes"[\s\S]*?<\/section>/.exec(await res.text())?.[0] ?? "";
};

beforeAll(async () => {
  [local, remote] = await Promise.all([startFederatedInstance(), startFakeRemote()]);
  const { account } = await createLocalUser(local.deps.db, local.deps.urls, {
    username: "alice",
    password: "alice-password",
  });
  source = await publishWithImages(local.deps, account.id, {
    text: "A lighthouse",
    images: [{ color: { r: 220, g: 130, b: 50 }, provenance: AI_PROVENANCE }],
  });
  other = await publishWithImages(local.deps, account.id, {
    text: "A harbour",
    images: [{ color: { r: 40, g: 90, b: 160 }, provenance: AI_PROVENANCE }],
  });
  mira = await remote.actor("mira");
  image = remote.file(
    "/media/take.webp",
    await webpImage({ r: 200, g: 80, b: 40 }, 64, 64),
    "image/webp",
  );
}, 60_000);
afterAll(async () => {
  await Promise.all([local?.close(), remote?.close()]);
});

describe("remixOf on a remote Update", () => {
  it("links, moves and drops the remix as the edits say, and alice's page follows", async () => {
    const id = `${mira.id.href}/statuses/1`;
    await deliver({
      id: `${id}/activity`,
      type: "Create",
      actor: mira.id.href,
      object: note(id, 1),
    });
    const created = (await findStatusByIri(local.deps.db, id))!;
    expect(created.remixOfId).toBeNull();

    // The edit names alice's post: now a remix of it, counted on her page.
    expect((await edit(id, { remixOf: source.iri })).remixOfId).toBe(source.id);
    expect(await remixesOf(source)).toContain("1 remix<");
    expect(await remixesOf(source)).toContain(`/${created.id}"`);

    // Named as a node with the full IRI, another stored post: the link moves there.
    const moved = await edit(id, { "https://atelier.social/ns#remixOf": { id: other.iri } });
    expect(moved.remixOfId).toBe(other.id);
    expect(await remixesOf(source)).not.toContain(`/${created.id}"`);
    expect(await remixesOf(other)).toContain("1 remix<");

    // A version naming no source is no remix any more.
    expect((await edit(id, { remixOf: source.iri })).remixOfId).toBe(source.id);
    expect((await edit(id, {})).remixOfId).toBeNull();
    expect(await remixesOf(source)).not.toContain(`/${created.id}"`);
  });

  it("keeps the remix link of a post first met in its QuoteRequest, before its Create", async () => {
    // An Atelier remix quotes its source and asks for approval; the request can be handled before the
    // Create (two deliveries, the queue in any order). The post it embeds is stored from the request,
    // and the Create then finds it stored: the request's copy must say what it remixes.
    const id = `${mira.id.href}/statuses/3`;
    const remix = note(id, 1, { quote: source.iri, remixOf: source.iri });
    await deliver({
      id: `${id}#quote-request`,
      type: "QuoteRequest",
      actor: mira.id.href,
      object: source.iri,
      instrument: remix,
    });
    const stored = (await findStatusByIri(local.deps.db, id))!;
    expect(stored).toMatchObject({ quoteOfId: source.id, remixOfId: source.id });
    await deliver({ id: `${id}/activity`, type: "Create", actor: mira.id.href, object: remix });
    expect((await findStatusByIri(local.deps.db, id))!.remixOfId).toBe(source.id);
    expect(await remixesOf(source)).toContain(`/${stored.id}"`);
  });

  it("links nothing it cannot name safely, and fetches nothing for it", async () => {
    const id = `${mira.id.href}/statuses/2`;
    await deliver({
      id: `${id}/activity`,
      type: "Create",
      actor: mira.id.href,
      object: note(id, 1),
    });
    expect((await edit(id, { remixOf: source.iri })).remixOfId).toBe(source.id);

    // A post on mira's server we never stored: not linked, and not fetched to find out.
    const unknown = remote.serve("/statuses/elsewhere", note(`${remote.origin}/statuses/x`, 1));
    expect((await edit(id, { remixOf: unknown })).remixOfId).toBeNull();
    expect(remote.fetches("/statuses/elsewhere")).toBe(0);

    // Too long (dropped, not cut), not http(s), several at once, or the post itself: no remix.
    const long = `${source.iri}?${"x".repeat(REMOTE_IRI_MAX_LENGTH)}`;
    for (const remixOf of [long, "ftp://127.0.0.1/statuses/1", [source.iri, other.iri], id]) {
      await edit(id, { remixOf: source.iri });
      expect((await edit(id, { remixOf })).remixOfId).toBeNull();
    }
    // Only the edit's author is heard: someone else's Update of mira's post changes nothing.
    await edit(id, { remixOf: source.iri });
    const nora = await remote.actor("nora");
    const res = await remote.deliver(
      local.deps.urls.sharedInbox(),
      {
        "@context": CONTEXT,
        id: `${id}#forged`,
        type: "Update",
        actor: nora.id.href,
        object: note(id, 9, { remixOf: other.iri }),
      },
      nora,
    );
    expect(res.status).toBeLessThan(500);
    await waitFor("the queues to settle", async () => (await pendingInQueue(local)) === 0);
    expect((await findStatusByIri(local.deps.db, id))!.remixOfId).toBe(source.id);
  });
});
