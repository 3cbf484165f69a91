// A report forwarded from one real instance to another: a user on A reports a user on B with
// `forward: true`; B's inbox (which verifies HTTP signatures) accepts a Flag signed by A's instance
// actor, naming the account and the reported status, and stores it as a report from that actor, so B's
// moderators never learn which of A's users reported.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account, Status } from "../../src/db/schema/index.ts";
import { accounts, reports } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";
import { AI_PROVENANCE, publishWithImages } from "../helpers/publish.ts";

let a: FederatedInstance;
let b: FederatedInstance;
let aliceToken: string;
let bob: Account;

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
  const { account: alice } = await createLocalUser(a.deps.db, a.deps.urls, {
    username: "alice",
    password: "alice-password",
  });
  aliceToken = (
    await issueAccessToken(a.deps.db, {
      applicationId: null,
      accountId: alice.id,
      scopes: ["write:reports"],
    })
  ).accessToken;
  bob = (
    await createLocalUser(b.deps.db, b.deps.urls, { username: "bob", password: "bob-password!!" })
  ).account;
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const report = (body: unknown) =>
  fetch(`${a.url}/api/v1/reports`, {
    method: "POST",
    headers: { Authorization: `Bearer ${aliceToken}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("forwarding a report", () => {
  let bobOnA: Account;
  let postOnA: Status;
  let post: Status;

  it("A knows B's user and one of his posts", async () => {
    post = await publishWithImages(b.deps, bob.id, {
      text: "Buy followers cheap",
      images: [{ color: { r: 200, g: 30, b: 30 }, provenance: AI_PROVENANCE }],
    });
    const found = await a.deps.federation.lookup(`@bob@127.0.0.1:${b.port}`);
    bobOnA = (found as { account: Account }).account;
    const fetched = await a.deps.federation.lookup(post.iri);
    postOnA = (fetched as { status: Status }).status;
    expect(postOnA.accountId).toBe(bobOnA.id);
  });

  it("sends B a Flag signed by A's instance actor, naming the account and the status", async () => {
    const res = await report({
      account_id: bobOnA.id,
      status_ids: [postOnA.id],
      comment: "Selling followers",
      category: "spam",
      forward: true,
    });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toMatchObject({ forwarded: true, status_ids: [postOnA.id], category: "spam" });
    a.deps.events.kick();

    const received = await waitFor(
      "the Flag on B",
      async () =>
        (
          await b.deps.db.select().from(reports).where(eq(reports.targetAccountId, bob.id)).limit(1)
        )[0],
    );
    expect(received.iri).toBe(`${a.url}/reports/${answer.id}`);
    expect(received.statusIds).toEqual([post.id]);
    expect(received.comment).toBe("Selling followers");
    const reporter = (
      await b.deps.db.select().from(accounts).where(eq(accounts.id, received.accountId)).limit(1)
    )[0]!;
    // The instance actor, not alice: the reporter stays private.
    expect(reporter.iri).toBe(`${a.url}/users/instance`);
    expect(reporter.type).toBe("Application");
  });

  it("does not forward without `forward`", async () => {
    const res = await report({ account_id: bobOnA.id, comment: "kept here" });
    expect((await res.json()).forwarded).toBe(false);
    a.deps.events.kick();
    // The Flag above arrived within the wait; give a stray one the same chance before checking.
    await new Promise((r) => setTimeout(r, 500));
    expect((await b.deps.db.select().from(reports)).map((r) => r.comment)).toEqual([
      "Selling followers",
    ]);
  });
});
