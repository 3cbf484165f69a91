// LIMITED_FEDERATION_MODE between real signers on loopback: only an allowed server's signed deliveries
// are taken (another's answered 403, nothing stored), only allowed servers are delivered to, and removing
// the allow shuts the allowed server out again.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, follows, statuses } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { allowDomain, disallowDomain } from "../../src/domain/domain-allows.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { follow, remoteAccount } from "../helpers/factories.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";

let local: FederatedInstance;
let friend: FakeRemote;
let stranger: FakeRemote;
let alice: Account;
let fay: FakeActor;
let sam: FakeActor;

const note = (actor: FakeActor, n: number) => ({
  "@context": "https://www.w3.org/ns/activitystreams",
  id: `${actor.id.href}/statuses/${n}/activity`,
  type: "Create",
  actor: actor.id.href,
  to: ["https://www.w3.org/ns/activitystreams#Public"],
  object: {
    id: `${actor.id.href}/statuses/${n}`,
    type: "Note",
    attributedTo: actor.id.href,
    content: `<p>post ${n}</p>`,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
  },
});

const storedIris = async () =>
  (await local.deps.db.select({ iri: statuses.iri }).from(statuses)).map((s) => s.iri);

beforeAll(async () => {
  // Two servers with different hosts: 127.0.0.1:port and localhost:port.
  [local, friend, stranger] = await Promise.all([
    startFederatedInstance({ env: { LIMITED_FEDERATION_MODE: "true" } }),
    startFakeRemote(),
    startFakeRemote({ hostname: "localhost" }),
  ]);
  alice = (
    await createLocalUser(local.deps.db, local.deps.urls, {
      username: "alice",
      password: "alice-password",
    })
  ).account;
  [fay, sam] = await Promise.all([friend.actor("fay"), stranger.actor("sam")]);
  await allowDomain(local.deps.db, friend.host);
}, 60_000);

afterAll(async () => {
  await Promise.all([local?.close(), friend?.close(), stranger?.close()]);
});

describe("limited federation mode", () => {
  it("refuses a signed delivery from a server not allowed, and takes one from an allowed server", async () => {
    const inbox = local.deps.urls.sharedInbox();
    const refused = await stranger.deliver(inbox, note(sam, 1), sam);
    expect(refused.status).toBe(403);
    // Not "blocked": the server is only not on the allow list.
    expect(await refused.text()).toContain("does not federate with your domain");
    const taken = await friend.deliver(inbox, note(fay, 1), fay);
    expect(taken.status).toBe(202);
    await waitFor("fay's post", async () =>
      (await storedIris()).includes(`${fay.id.href}/statuses/1`),
    );
    expect(await storedIris()).not.toContain(`${sam.id.href}/statuses/1`);
    // Nor may the stranger's actor be looked up.
    expect(await local.deps.federation.lookup(sam.id.href)).toBeNull();
  });

  it("delivers only to allowed servers, and shuts a server out once its allow is removed", async () => {
    // fay follows alice through the federation; an account on the stranger's server (stored before the
    // mode was on, say) is a follower too.
    const follow1 = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${fay.id.href}#follows/1`,
      type: "Follow",
      actor: fay.id.href,
      object: alice.iri,
    };
    expect((await friend.deliver(local.deps.urls.inbox("alice"), follow1, fay)).status).toBe(202);
    await waitFor("fay's follow", async () => {
      const rows = await local.deps.db
        .select()
        .from(follows)
        .where(eq(follows.targetAccountId, alice.id));
      return rows.some((f) => f.state === "accepted");
    });
    const old = await remoteAccount(local, "old", stranger.host, {
      iri: `${stranger.origin}/users/old`,
      inboxUrl: `${stranger.origin}/inbox`,
    });
    await follow(local, old, alice);

    const before = friend.received().length;
    const post = await publishStatus(local.deps, alice.id, { text: "Only for friends" });
    await waitFor("the Create at the allowed server", async () =>
      friend
        .received()
        .slice(before)
        .some((b) => b.type === "Create" && JSON.stringify(b).includes(post.iri)),
    );
    // One fan-out sends to every recipient at once: the stranger got nothing from it.
    expect(stranger.deliveries()).toBe(0);

    const removed = await disallowDomain(local.deps.db, friend.host, local.deps.config);
    expect(removed?.removedFollows).toBe(1);
    const after = await friend.deliver(local.deps.urls.sharedInbox(), note(fay, 2), fay);
    expect(after.status).toBe(403);
    expect(await storedIris()).not.toContain(`${fay.id.href}/statuses/2`);
  });
});
