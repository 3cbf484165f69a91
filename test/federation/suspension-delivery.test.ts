// Suspensions between two real Atelier instances on loopback (issue #17). A moderator on A suspends
// bob@B: as Mastodon's reject_remote_follows!, A tells B that bob's follow of alice ended (a Reject), so
// alice's next post, which still reaches B through its shared inbox for carol, lands in carol's home and
// not in bob's. Then A suspends alice herself: her token answers 401 there, so she cannot post, and B's
// follower gets nothing new.
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
let moderator: Awaited<ReturnType<typeof localUser>>;
let bob: Awaited<ReturnType<typeof localUser>>;
let carol: Awaited<ReturnType<typeof localUser>>;
let aliceOnB: string;

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

const homeOf = async (user: { token: string }) =>
  (
    (await call(b, "GET", "/api/v1/timelines/home", { token: user.token })).json as {
      content: string;
    }[]
  ).map((s) => s.content);

const relationshipOnB = async (user: { token: string }) =>
  (await call(b, "GET", `/api/v1/accounts/relationships?id[]=${aliceOnB}`, { token: user.token }))
    .json[0];

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
  alice = await localUser(a, "alice");
  moderator = await localUser(a, "mod", { admin: true, scopes: "read admin:read admin:write" });
  bob = await localUser(b, "bob");
  carol = await localUser(b, "carol");
  const found = await call(
    b,
    "GET",
    `/api/v2/search?resolve=true&type=accounts&q=${encodeURIComponent(`alice@127.0.0.1:${a.port}`)}`,
    { token: bob.token },
  );
  aliceOnB = found.json.accounts[0].id;
  for (const follower of [bob, carol]) {
    const followed = await call(b, "POST", `/api/v1/accounts/${aliceOnB}/follow`, {
      token: follower.token,
    });
    expect(followed.status).toBe(200);
  }
  await settle();
  for (const follower of [bob, carol]) {
    await waitFor("alice's Accept on B", async () => (await relationshipOnB(follower)).following);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("a suspension stops delivery", () => {
  it("a remote account suspended on A stops receiving its follow's posts; the others on B still do", async () => {
    expect.hasAssertions();
    const before = await call(a, "POST", "/api/v1/statuses", {
      token: alice.token,
      body: { status: "Before the suspension" },
    });
    expect(before.status).toBe(200);
    await settle();
    await waitFor("the first post in bob's home", async () =>
      (await homeOf(bob)).some((c) => c.includes("Before the suspension")),
    );

    const bobOnA = (await a.deps.federation.lookupAccount(`bob@127.0.0.1:${b.port}`, {
      fresh: false,
    }))!;
    const suspended = await call(a, "POST", `/api/v1/admin/accounts/${bobOnA.id}/action`, {
      token: moderator.token,
      body: { type: "suspend" },
    });
    expect(suspended.status).toBe(200);
    // A no longer counts bob among alice's followers; B hears of it (the Reject) and forgets the follow.
    const followers = await call(a, "GET", `/api/v1/accounts/${alice.account.id}/followers`, {
      token: alice.token,
    });
    expect(followers.json.map((f: { acct: string }) => f.acct)).toEqual([
      `carol@127.0.0.1:${b.port}`,
    ]);
    await settle();
    await waitFor("bob's follow ended on B", async () => !(await relationshipOnB(bob)).following);
    expect((await relationshipOnB(carol)).following).toBe(true);

    const after = await call(a, "POST", "/api/v1/statuses", {
      token: alice.token,
      body: { status: "After the suspension" },
    });
    expect(after.status).toBe(200);
    await settle();
    await waitFor("the second post in carol's home", async () =>
      (await homeOf(carol)).some((c) => c.includes("After the suspension")),
    );
    // B has the post (carol's home shows it) but bob's home does not: his follow is over there too, and
    // B took alice's earlier posts out of his home with it, as an unfollow does.
    const bobsHome = await homeOf(bob);
    expect(bobsHome.some((c) => c.includes("After the suspension"))).toBe(false);
    expect(bobsHome.some((c) => c.includes("Before the suspension"))).toBe(false);
  });

  it("a local account suspended on A cannot post, and B receives nothing more from her", async () => {
    expect.hasAssertions();
    const suspended = await call(a, "POST", `/api/v1/admin/accounts/${alice.account.id}/action`, {
      token: moderator.token,
      body: { type: "suspend" },
    });
    expect(suspended.status).toBe(200);
    const posted = await call(a, "POST", "/api/v1/statuses", {
      token: alice.token,
      body: { status: "While suspended" },
    });
    expect(posted.status).toBe(401);
    await settle();
    const carolsHome = await homeOf(carol);
    expect(carolsHome.some((c) => c.includes("After the suspension"))).toBe(true);
    expect(carolsHome.some((c) => c.includes("While suspended"))).toBe(false);
  });
});
