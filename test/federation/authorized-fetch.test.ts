// AUTHORIZED_FETCH: actors, statuses and collections only for signed requests from servers that are not
// blocked (401 unsigned, 403 blocked); WebFinger, NodeInfo, host-meta and the instance actor stay public;
// browsers still get the pages; and two instances in secure mode still federate a follow.
import { signRequest } from "@fedify/fedify";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { follows, statusMentions } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { followAccount } from "../../src/domain/follows.ts";
import { blockAccount } from "../../src/domain/interactions.ts";
import { blockDomain, unblockDomain } from "../../src/domain/moderation.ts";
import { upsertRemoteAccount } from "../../src/domain/remote-accounts.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";

const SECURE = { env: { AUTHORIZED_FETCH: "true" } };
const AP = "application/activity+json";

let secure: FederatedInstance;
let secure2: FederatedInstance;
let open: FederatedInstance;
let peer: FakeRemote;
let signer: FakeActor;
let alice: Account;
let aliceOpen: Account;
let bob: Account;
let statusUrl: string;
let statusUrlOpen: string;

beforeAll(async () => {
  [secure, secure2, open, peer] = await Promise.all([
    startFederatedInstance(SECURE),
    startFederatedInstance(SECURE),
    startFederatedInstance(),
    startFakeRemote(),
  ]);
  signer = await peer.actor("reader");
  alice = (
    await createLocalUser(secure.deps.db, secure.deps.urls, {
      username: "alice",
      password: "alice-password",
    })
  ).account;
  aliceOpen = (
    await createLocalUser(open.deps.db, open.deps.urls, {
      username: "alice",
      password: "alice-password",
    })
  ).account;
  bob = (
    await createLocalUser(secure2.deps.db, secure2.deps.urls, {
      username: "bob",
      password: "bob-password!",
    })
  ).account;
  statusUrl = (await publishStatus(secure.deps, alice.id, { text: "Hello", visibility: "public" }))
    .iri;
  statusUrlOpen = (
    await publishStatus(open.deps, aliceOpen.id, {
      text: "Hello",
      visibility: "public",
    })
  ).iri;
}, 60_000);

afterAll(async () => {
  await Promise.all([secure?.close(), secure2?.close(), open?.close(), peer?.close()]);
});

const documents = (account: Account, status: string) => [
  account.iri,
  status,
  `${account.iri}/followers`,
  `${account.iri}/following`,
  `${account.iri}/outbox`,
  `${account.iri}/featured`,
];

const get = (url: string, accept = AP) =>
  fetch(url, { headers: { Accept: accept }, redirect: "manual" });
const signedGet = async (url: string, as: FakeActor) =>
  fetch(await signRequest(new Request(url, { headers: { Accept: AP } }), as.privateKey, as.keyId));
const statuses = async (urls: string[], fetcher: (u: string) => Promise<Response>) =>
  Promise.all(urls.map(async (u) => [u, (await fetcher(u)).status]));

describe("AUTHORIZED_FETCH", () => {
  it("answers 401 to unsigned GETs of actors, statuses and collections when on, 200 when off", async () => {
    const onUrls = documents(alice, statusUrl);
    expect(await statuses(onUrls, (u) => get(u))).toEqual(onUrls.map((u) => [u, 401]));
    const offUrls = documents(aliceOpen, statusUrlOpen);
    expect(await statuses(offUrls, (u) => get(u))).toEqual(offUrls.map((u) => [u, 200]));
  });

  it("answers 200 to a signed GET from an allowed server and 403 from a blocked one", async () => {
    const urls = documents(alice, statusUrl);
    expect(await statuses(urls, (u) => signedGet(u, signer))).toEqual(urls.map((u) => [u, 200]));
    const body = (await (await signedGet(alice.iri, signer)).json()) as { id: string };
    expect(body.id).toBe(alice.iri);
    await blockDomain(secure.deps.db, peer.host);
    try {
      expect(await statuses(urls, (u) => signedGet(u, signer))).toEqual(urls.map((u) => [u, 403]));
    } finally {
      await unblockDomain(secure.deps.db, peer.host);
    }
  });

  it("answers 404 to a signed GET of a followers-only post by an actor its author blocked", async () => {
    // The actor is mentioned, so it may see the post; after the author blocks it, it may not (the
    // mention stays), and a signed fetch answers as for an unknown id.
    const reader = await upsertRemoteAccount(open.deps.db, {
      iri: signer.id.href,
      username: "reader",
      domain: peer.host,
      type: "Person",
      inboxUrl: `${signer.id.href}/inbox`,
    });
    const post = await publishStatus(open.deps, aliceOpen.id, {
      text: "for followers and the mentioned",
      visibility: "private",
    });
    await open.deps.db.insert(statusMentions).values({ statusId: post.id, accountId: reader.id });
    expect((await signedGet(post.iri, signer)).status).toBe(200);
    await blockAccount(open.deps.db, open.deps.urls, aliceOpen, reader);
    expect((await signedGet(post.iri, signer)).status).toBe(404);
    // A public post too, as Mastodon's authorized fetch refuses a blocked actor.
    expect((await signedGet(statusUrlOpen, signer)).status).toBe(404);
    expect((await get(statusUrlOpen)).status).toBe(200);
  });

  it("keeps WebFinger, NodeInfo, host-meta and the instance actor public, and pages for browsers", async () => {
    const origin = secure.url;
    const resource = encodeURIComponent(`acct:alice@${secure.config.domain}`);
    for (const [url, accept] of [
      [`${origin}/.well-known/webfinger?resource=${resource}`, "application/jrd+json"],
      [`${origin}/.well-known/nodeinfo`, "application/json"],
      [`${origin}/.well-known/host-meta`, "application/xrd+xml"],
      [secure.deps.urls.actor("instance"), AP],
    ] as const) {
      expect([url, (await get(url, accept)).status]).toEqual([url, 200]);
    }
    const nodeinfo = (await (
      await get(`${origin}/.well-known/nodeinfo`, "application/json")
    ).json()) as {
      links: { href: string }[];
    };
    expect((await get(nodeinfo.links[0]!.href, "application/json")).status).toBe(200);
    // A browser asking for the actor or status URL is still sent to the HTML page.
    for (const url of [alice.iri, statusUrl]) {
      const res = await get(url, "text/html");
      expect([url, res.status]).toEqual([url, 302]);
    }
  });

  it("lets two instances in secure mode federate a follow", async () => {
    const found = await secure2.deps.federation.lookup(`@alice@${secure.config.domain}`);
    expect(found).not.toBeNull();
    const aliceOnB = (found as { account: Account }).account;
    expect(aliceOnB.iri).toBe(alice.iri);
    await followAccount(secure2.deps.db, secure2.deps.urls, bob, aliceOnB);
    secure2.deps.events.kick();
    const accepted = await waitFor(
      "the Accept",
      async () =>
        (
          await secure2.deps.db
            .select()
            .from(follows)
            .where(and(eq(follows.accountId, bob.id), eq(follows.state, "accepted")))
            .limit(1)
        )[0],
    );
    expect(accepted.targetAccountId).toBe(aliceOnB.id);
  });
});
