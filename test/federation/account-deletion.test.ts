// A local account deleted on one real instance reaches another: Delete(Person), signed by the deleted
// actor before its keys go, makes the follower's server drop the account and its posts; afterwards the
// actor URL answers 410, WebFinger 404, and the name stays taken.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { accounts, actorKeys, follows, statuses, users } from "../../src/db/schema/index.ts";
import { deleteLocalAccount } from "../../src/domain/account-deletion.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { followAccount } from "../../src/domain/follows.ts";
import { findAccountByIri } from "../../src/domain/remote-accounts.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";
import { AI_PROVENANCE, publishWithImages } from "../helpers/publish.ts";

let a: FederatedInstance;
let b: FederatedInstance;
let carol: Account;
let dan: Account;

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
  carol = (
    await createLocalUser(a.deps.db, a.deps.urls, { username: "carol", password: "carol-password" })
  ).account;
  dan = (
    await createLocalUser(b.deps.db, b.deps.urls, { username: "dan", password: "dan-password!!" })
  ).account;
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("deleting a local account", () => {
  let postIri: string;
  let carolOnB: Account;

  it("B follows A's user and receives her image post", async () => {
    const found = await b.deps.federation.lookup(`@carol@127.0.0.1:${a.port}`);
    carolOnB = (found as { account: Account }).account;
    await followAccount(b.deps.db, b.deps.urls, dan, carolOnB);
    b.deps.events.kick();
    await waitFor("the Accept on B", async () =>
      (await b.deps.db.select().from(follows).where(eq(follows.accountId, dan.id))).find(
        (f) => f.state === "accepted",
      ),
    );
    const post = await publishWithImages(a.deps, carol.id, {
      text: "A harbour at night",
      images: [{ color: { r: 20, g: 40, b: 90 }, provenance: AI_PROVENANCE }],
    });
    a.deps.events.kick();
    postIri = post.iri;
    const stored = await waitFor(
      "the post on B",
      async () => await findStatusByIri(b.deps.db, postIri),
    );
    expect(stored.accountId).toBe(carolOnB.id);
  });

  it("sends a signed Delete(Person): B drops the account and its statuses", async () => {
    const deleted = await deleteLocalAccount(a.deps.db, a.deps.media.store, "carol");
    expect(deleted.recipients.map((r) => r.iri)).toEqual([dan.iri]);
    expect(deleted.filesRemoved).toBeGreaterThan(0);
    a.deps.events.kick();
    await waitFor(
      "the account gone from B",
      async () => (await findAccountByIri(b.deps.db, carol.iri)) === undefined,
    );
    expect(await findStatusByIri(b.deps.db, postIri)).toBeUndefined();
    expect(await b.deps.db.select().from(follows).where(eq(follows.accountId, dan.id))).toEqual([]);
    expect(
      (await b.deps.db.select().from(accounts).where(eq(accounts.id, dan.id)).limit(1))[0]!
        .followingCount,
    ).toBe(0);
    // The keys went once the Delete was queued with them.
    await waitFor(
      "the keys discarded on A",
      async () =>
        (await a.deps.db.select().from(actorKeys).where(eq(actorKeys.accountId, carol.id)))
          .length === 0,
    );
  });

  it("leaves a tombstone on A: 410 for the actor, 404 for WebFinger, the name still taken", async () => {
    const row = (
      await a.deps.db.select().from(accounts).where(eq(accounts.id, carol.id)).limit(1)
    )[0]!;
    expect(row.deletedAt).not.toBeNull();
    expect(
      (await a.deps.db.select().from(users).where(eq(users.accountId, carol.id)).limit(1))[0],
    ).toBeUndefined();
    expect(await a.deps.db.select().from(statuses).where(eq(statuses.accountId, carol.id))).toEqual(
      [],
    );

    const actor = await fetch(carol.iri, { headers: { Accept: "application/activity+json" } });
    expect(actor.status).toBe(410);
    expect(await actor.json()).toMatchObject({ id: carol.iri, type: "Tombstone" });
    const finger = await fetch(
      `${a.url}/.well-known/webfinger?resource=${encodeURIComponent(`acct:carol@127.0.0.1:${a.port}`)}`,
    );
    expect(finger.status).toBe(404);
    const page = await fetch(`${a.url}/@carol`, { headers: { Accept: "text/html" } });
    expect(page.status).toBe(410);
    await expect(
      createLocalUser(a.deps.db, a.deps.urls, { username: "Carol", password: "another-password" }),
    ).rejects.toThrow(/taken/);
  });
});
