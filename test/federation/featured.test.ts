// Pins and featured hashtags between two real Atelier instances on loopback: B reads A's featured and
// featuredTags collections when it resolves A's account, then follows the changes through the Add and
// Remove (pins) and the Update of the actor (hashtags) that A sends; B's API shows them as a client sees.
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { featureTag } from "../../src/domain/featured-tags.ts";
import { followAccount } from "../../src/domain/follows.ts";
import { pinStatus, unpinStatus } from "../../src/domain/pins.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { localUser } from "../helpers/factories.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";

let a: FederatedInstance;
let b: FederatedInstance;
let alice: Account;
let aliceToken: string;
let bob: Account;
let bobClient: mastodon.rest.Client;

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
  const onA = await localUser(a, "alice");
  alice = onA.account;
  aliceToken = onA.token;
  const onB = await localUser(b, "bob");
  bob = onB.account;
  bobClient = createRestAPIClient({ url: b.url, accessToken: onB.token });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("featured collections between two instances", () => {
  let aliceOnB: mastodon.v1.Account;
  let firstIri: string;

  it("reads the pins and featured hashtags of an account it resolves", async () => {
    expect.hasAssertions();
    const first = await publishStatus(a.deps, alice.id, {
      text: "My best lighthouse #Lighthouses",
    });
    firstIri = first.iri;
    const hidden = await publishStatus(a.deps, alice.id, {
      text: "For followers",
      visibility: "private",
    });
    await pinStatus(a.deps.db, alice, first);
    await pinStatus(a.deps.db, alice, hidden);
    await featureTag(a.deps.db, alice, "Lighthouses");
    await a.deps.events.drain();

    // A served its featured collection: the public pin only, as B's instance actor may see no more.
    const served = await fetch(a.deps.urls.featured("alice"), {
      headers: { Accept: "application/activity+json" },
    });
    const collection = (await served.json()) as { type: string; orderedItems: { id: string }[] };
    expect(collection.type).toBe("OrderedCollection");
    expect(collection.orderedItems.map((n) => n.id)).toEqual([first.iri]);

    // Search with resolve fetches alice from A (WebFinger, then her actor and its collections).
    const found = await bobClient.v2.search.list({
      q: `@alice@127.0.0.1:${a.port}`,
      resolve: true,
      type: "accounts",
    });
    aliceOnB = found.accounts[0]!;
    const pinned = await bobClient.v1.accounts.$select(aliceOnB.id).statuses.list({ pinned: true });
    expect(pinned.map((s) => s.uri)).toEqual([first.iri]);
    const tags = await bobClient.v1.accounts.$select(aliceOnB.id).featuredTags.list();
    expect(tags.map((t) => t.name)).toEqual(["Lighthouses"]);
  });

  it("follows pins and unpins through Add and Remove", async () => {
    expect.hasAssertions();
    const aliceRow = b.deps.db.query.accounts.findFirst({
      where: (t, { eq }) => eq(t.iri, alice.iri),
    });
    const remoteAlice = (await aliceRow)!;
    await followAccount(b.deps.db, b.deps.urls, bob, remoteAlice);
    await waitFor("bob following alice on A", () => a.deps.db.query.follows.findFirst());

    const second = await publishStatus(a.deps, alice.id, { text: "A new favourite" });
    await waitFor("the post on B", async () =>
      (await bobClient.v1.timelines.home.list()).some((s) => s.uri === second.iri),
    );
    // Pinned through the API, as a client would.
    const res = await fetch(`${a.url}/api/v1/statuses/${second.id}/pin`, {
      method: "POST",
      headers: { Authorization: `Bearer ${aliceToken}` },
    });
    expect(res.status).toBe(200);
    const both = await waitFor("the Add on B", async () => {
      const list = await bobClient.v1.accounts.$select(aliceOnB.id).statuses.list({ pinned: true });
      return list.length === 2 ? list : null;
    });
    expect(both.map((s) => s.uri)).toEqual([second.iri, firstIri]);

    await unpinStatus(a.deps.db, alice, second);
    const after = await waitFor("the Remove on B", async () => {
      const list = await bobClient.v1.accounts.$select(aliceOnB.id).statuses.list({ pinned: true });
      return list.length === 1 ? list : null;
    });
    expect(after.map((s) => s.uri)).toEqual([firstIri]);
  });

  it("follows featured hashtags through the Update of the actor", async () => {
    expect.hasAssertions();
    await featureTag(a.deps.db, alice, "Sea");
    const tags = await waitFor("the new featured hashtag on B", async () => {
      const list = await bobClient.v1.accounts.$select(aliceOnB.id).featuredTags.list();
      return list.length === 2 ? list : null;
    });
    expect(tags.map((t) => t.name)).toEqual(["Lighthouses", "Sea"]);
  });
});
