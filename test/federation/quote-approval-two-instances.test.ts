// Quotes with approval between two real Atelier instances on loopback (issue #17), through the client
// APIs only. bob@B follows alice@A, whose post lets followers quote it: bob's quote starts pending on B,
// A answers B's QuoteRequest with a QuoteAuthorization, the quote ends accepted on B and A lists it among
// the post's quotes. The other way, alice@A does not follow bob@B, whose post lets only followers quote
// it: A shows her that she may not (quote_approval current_user "denied") and, as Mastodon 4.5, refuses
// the quote (422) instead of asking; B lists no quote of bob's post.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, localUser } from "../helpers/factories.ts";
import {
  type FederatedInstance,
  pendingInQueue,
  startFederatedInstance,
  waitFor,
} from "../helpers/federation.ts";

let a: FederatedInstance;
let b: FederatedInstance;
let alice: Awaited<ReturnType<typeof localUser>>;
let bob: Awaited<ReturnType<typeof localUser>>;

/** Everything A and B queued so far delivered and handled (events turned into activities first). */
const settle = async () => {
  for (let round = 0; round < 2; round++) {
    for (const i of [a, b]) {
      i.deps.events.kick();
      await i.deps.events.drain();
      await waitFor("an empty queue", async () => (await pendingInQueue(i)) === 0);
    }
  }
};

/** The copy `instance` has of the status at `uri`, resolved as a client would (search, resolve=true). */
const resolve = async (instance: FederatedInstance, token: string, uri: string) => {
  const found = await call(
    instance,
    "GET",
    `/api/v2/search?resolve=true&type=statuses&q=${encodeURIComponent(uri)}`,
    { token },
  );
  expect(found.status).toBe(200);
  expect(found.json.statuses).toHaveLength(1);
  return found.json.statuses[0];
};

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
  alice = await localUser(a, "alice");
  bob = await localUser(b, "bob");
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("quotes with approval between two instances", () => {
  it("a follower's quote from B of a followers-quotable post on A ends accepted, and A lists it", async () => {
    expect.hasAssertions();
    const found = await call(
      b,
      "GET",
      `/api/v2/search?resolve=true&type=accounts&q=${encodeURIComponent(`alice@127.0.0.1:${a.port}`)}`,
      { token: bob.token },
    );
    const aliceOnB = found.json.accounts[0].id;
    expect(
      (await call(b, "POST", `/api/v1/accounts/${aliceOnB}/follow`, { token: bob.token })).status,
    ).toBe(200);
    await settle();
    await waitFor(
      "alice's Accept on B",
      async () =>
        (
          await call(b, "GET", `/api/v1/accounts/relationships?id[]=${aliceOnB}`, {
            token: bob.token,
          })
        ).json[0].following,
    );

    const post = await call(a, "POST", "/api/v1/statuses", {
      token: alice.token,
      body: { status: "A lighthouse at dusk", quote_approval_policy: "followers" },
    });
    expect(post.status).toBe(200);
    expect(post.json.quote_approval.automatic).toEqual(["followers"]);
    await settle();

    const onB = await resolve(b, bob.token, post.json.uri);
    // B read the policy from A's interactionPolicy: bob, a follower, may quote it.
    expect(onB.quote_approval).toEqual({
      automatic: ["followers"],
      manual: [],
      current_user: "automatic",
    });
    const quote = await call(b, "POST", "/api/v1/statuses", {
      token: bob.token,
      body: { status: "Look at this light", quoted_status_id: onB.id },
    });
    expect(quote.status).toBe(200);
    // A remote post's quote waits for its author's answer.
    expect(quote.json.quote.state).toBe("pending");
    await settle();

    const accepted = await waitFor("the quote accepted on B", async () => {
      const shown = await call(b, "GET", `/api/v1/statuses/${quote.json.id}`, { token: bob.token });
      return shown.json.quote?.state === "accepted" ? shown.json : null;
    });
    expect(accepted.quote.quoted_status).toMatchObject({ id: onB.id, uri: post.json.uri });

    const quotes = await waitFor("the quote listed on A", async () => {
      const listed = await call(a, "GET", `/api/v1/statuses/${post.json.id}/quotes`, {
        token: alice.token,
      });
      return listed.json.length > 0 ? listed.json : null;
    });
    expect(quotes.map((s: { uri: string }) => s.uri)).toEqual([quote.json.uri]);
    expect(quotes[0].quote).toMatchObject({
      state: "accepted",
      quoted_status: { id: post.json.id },
    });
  });

  it("a quote from A of a followers-quotable post on B by one who does not follow is refused", async () => {
    expect.hasAssertions();
    const post = await call(b, "POST", "/api/v1/statuses", {
      token: bob.token,
      body: { status: "Fog over the bay", quote_approval_policy: "followers" },
    });
    expect(post.status).toBe(200);
    await settle();

    const onA = await resolve(a, alice.token, post.json.uri);
    expect(onA.quote_approval).toEqual({
      automatic: ["followers"],
      manual: [],
      current_user: "denied",
    });
    const quote = await call(a, "POST", "/api/v1/statuses", {
      token: alice.token,
      body: { status: "Nice fog", quoted_status_id: onA.id },
    });
    expect(quote.status).toBe(422);
    expect(quote.json.error).toContain("not allowed to be quoted");
    await settle();

    const listed = await call(b, "GET", `/api/v1/statuses/${post.json.id}/quotes`, {
      token: bob.token,
    });
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual([]);
    // Nothing was published on A either.
    const own = await call(a, "GET", `/api/v1/accounts/${alice.account.id}/statuses`, {
      token: alice.token,
    });
    expect(own.json.map((s: { content: string }) => s.content).join()).not.toContain("Nice fog");
  });
});
