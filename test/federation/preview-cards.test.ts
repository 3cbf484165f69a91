// A remote status gets its preview card too: a Create delivered through the signed inbox is stored
// at once, then its first link (not the hashtag before it) is fetched in the background and the card
// shows on the status through the API; an Update that changes the link re-resolves the card.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statuses } from "../../src/db/schema/index.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import {
  type FederatedInstance,
  pendingInQueue,
  startFederatedInstance,
  waitFor,
} from "../helpers/federation.ts";
import { type LinkPages, startLinkPages } from "../helpers/link-pages.ts";

let local: FederatedInstance;
let remote: FakeRemote;
let pages: LinkPages;
let writer: FakeActor;

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const note = (type: "Create" | "Update", n: number, content: string) => ({
  "@context": "https://www.w3.org/ns/activitystreams",
  id: `${writer.id.href}/statuses/1/${type.toLowerCase()}/${n}`,
  type,
  actor: writer.id.href,
  to: [PUBLIC],
  object: {
    id: `${writer.id.href}/statuses/1`,
    type: "Note",
    attributedTo: writer.id.href,
    content,
    to: [PUBLIC],
    published: "2026-12-01T10:00:00Z",
    ...(type === "Update" ? { updated: new Date().toISOString() } : {}),
  },
});

const settled = async () => {
  await waitFor("the inbox queue to settle", async () => (await pendingInQueue(local)) === 0);
  await local.deps.events.drain();
  await local.deps.previewCards.idle();
};

// biome-ignore lint/suspicious/noExplicitAny: the API answer is read loosely; the assertions say what matters.
const cardOf = async (statusId: string): Promise<any> =>
  (await (await fetch(`${local.url}/api/v1/statuses/${statusId}`)).json()).card;

beforeAll(async () => {
  [local, remote, pages] = await Promise.all([
    startFederatedInstance(),
    startFakeRemote(),
    startLinkPages(),
  ]);
  writer = await remote.actor("writer");
}, 60_000);
afterAll(async () => {
  await Promise.all([local?.close(), remote?.close(), pages?.close()]);
});

describe("preview cards of remote statuses", () => {
  it("fetches the card of a delivered status's first link, and again after an Update", async () => {
    expect.hasAssertions();
    const inbox = local.deps.urls.sharedInbox();
    const tag = `<a href="${remote.origin}/tags/sea" class="mention hashtag" rel="tag">#<span>sea</span></a>`;
    const created = await remote.deliver(
      inbox,
      note("Create", 1, `<p>${tag} Read <a href="${pages.origin}/article">this</a></p>`),
      writer,
    );
    expect(created.status).toBe(202);
    const stored = await waitFor("the status", async () =>
      (
        await local.deps.db
          .select()
          .from(statuses)
          .where(eq(statuses.iri, `${writer.id.href}/statuses/1`))
      ).at(0),
    );
    await settled();
    expect(await cardOf(stored.id)).toMatchObject({
      url: `${pages.origin}/article`,
      title: "Lighthouses & Light",
      provider_name: "Harbour Gazette",
    });
    const updated = await remote.deliver(
      inbox,
      note("Update", 2, `<p>Now <a href="${pages.origin}/plain">this</a></p>`),
      writer,
    );
    expect(updated.status).toBe(202);
    await waitFor("the edit", async () => (await cardOf(stored.id))?.title === "Just a title");
    await settled();
    expect(await cardOf(stored.id)).toMatchObject({ url: `${pages.origin}/plain` });
  }, 60_000);
});
