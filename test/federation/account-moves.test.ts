// Moving between two real Atelier instances on loopback, through the settings pages and the real deps:
// bob on B names alice@A as an alias; alice on A moves to bob@B (A fetches bob afresh, over the copy it
// already had, to see the alias); the Move reaches B, where carol, who followed alice, now follows bob,
// and both instances' APIs show alice `moved` to bob.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { follows } from "../../src/db/schema/index.ts";
import { followAccount } from "../../src/domain/follows.ts";
import { call, localUser, PASSWORD } from "../helpers/factories.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";
import { PageClient } from "../helpers/web.ts";

let a: FederatedInstance;
let b: FederatedInstance;

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("moving an account from one instance to another", () => {
  it("moves alice@A's follower on B to bob@B once bob names alice as an alias", async () => {
    expect.hasAssertions();
    const alice = await localUser(a, "alice");
    const bob = await localUser(b, "bob");
    const carol = await localUser(b, "carol");
    const aliceHandle = `alice@127.0.0.1:${a.port}`;
    const bobHandle = `bob@127.0.0.1:${b.port}`;

    // carol on B follows alice on A (accepted by A).
    const aliceOnB = await b.deps.federation.lookupAccount(aliceHandle, { fresh: false });
    expect(aliceOnB?.iri).toBe(alice.account.iri);
    await followAccount(b.deps.db, b.deps.urls, carol.account, aliceOnB!);
    await b.deps.events.drain();
    const followOf = async (targetId: string) =>
      (
        await b.deps.db
          .select()
          .from(follows)
          .where(
            and(eq(follows.accountId, carol.account.id), eq(follows.targetAccountId, targetId)),
          )
      )[0];
    await waitFor(
      "alice's Accept on B",
      async () => (await followOf(aliceOnB!.id))?.state === "accepted",
    );

    // A already holds a copy of bob without the alias: the move must not trust it.
    const bobOnA = await a.deps.federation.lookupAccount(bobHandle, { fresh: false });
    expect(bobOnA?.alsoKnownAs).toEqual([]);

    const asBob = new PageClient(b.app);
    await asBob.signIn("bob");
    const added = await asBob.post("/settings/aliases", {
      csrf: await asBob.csrfFrom("/settings/aliases"),
      handle: `@${aliceHandle}`,
    });
    expect(added.status).toBe(303);
    expect((await asBob.get("/settings/aliases")).body).toContain(`@${aliceHandle}`);

    const asAlice = new PageClient(a.app);
    await asAlice.signIn("alice");
    const moved = await asAlice.post("/settings/migration", {
      csrf: await asAlice.csrfFrom("/settings/migration"),
      handle: `@${bobHandle}`,
      password: PASSWORD,
    });
    expect(moved.status).toBe(303);
    expect((await asAlice.get("/settings/migration")).body).toContain(`@${bobHandle}`);
    await a.deps.events.drain();

    // On B: carol follows bob instead of alice (the new follow first, then the old one ends).
    await waitFor(
      "carol's follow moved on B",
      async () =>
        (await followOf(bob.account.id)) !== undefined &&
        (await followOf(aliceOnB!.id)) === undefined,
    );
    expect((await followOf(bob.account.id))?.state).toBe("accepted");

    // Both APIs show alice moved to bob.
    const onB = await call(b, "GET", `/api/v1/accounts/${aliceOnB!.id}`, { token: carol.token });
    expect(onB.json.moved).toMatchObject({ id: bob.account.id, acct: "bob" });
    const onA = await call(a, "GET", `/api/v1/accounts/${alice.account.id}`, {
      token: alice.token,
    });
    expect(onA.json.moved).toMatchObject({ acct: bobHandle, url: expect.any(String) });

    // alice's profile on A links to bob's.
    const profile = await (await a.app.request("/@alice")).text();
    expect(profile).toContain(`<strong>@${bobHandle}</strong>`);
  });
});
