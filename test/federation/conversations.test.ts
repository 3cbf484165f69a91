// Direct conversations across two real instances: alice (A) writes bob (B) a direct status; on B it
// joins bob's conversation with alice, unread, and notifies him; bob's direct reply comes back to A and
// becomes the last status of alice's conversation, unread for her. Both read through the client API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { call } from "../helpers/factories.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";

let a: FederatedInstance;
let b: FederatedInstance;
let alice: Account;
let bob: Account;

const tokenFor = async (i: FederatedInstance, account: Account) =>
  (
    await issueAccessToken(i.deps.db, {
      applicationId: null,
      accountId: account.id,
      scopes: ["read", "write"],
    })
  ).accessToken;

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
  alice = (
    await createLocalUser(a.deps.db, a.deps.urls, { username: "alice", password: "alice-password" })
  ).account;
  bob = (
    await createLocalUser(b.deps.db, b.deps.urls, { username: "bob", password: "bob-password!" })
  ).account;
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("direct conversations across two instances", () => {
  it("puts a received direct status in the local participant's conversation, both ways", async () => {
    expect(await a.deps.federation.lookup(`@bob@127.0.0.1:${b.port}`)).not.toBeNull();
    const sent = await publishStatus(a.deps, alice.id, {
      text: `@bob@127.0.0.1:${b.port} just between us`,
      visibility: "direct",
    });
    const bobToken = await tokenFor(b, bob);
    const onB = await waitFor(
      "the direct status on B",
      async () => await findStatusByIri(b.deps.db, sent.iri),
    );
    const forBob = await call(b, "GET", "/api/v1/conversations", { token: bobToken });
    expect(forBob.json).toHaveLength(1);
    expect(forBob.json[0]).toMatchObject({ unread: true, last_status: { id: onB.id } });
    expect(forBob.json[0].accounts.map((x: { acct: string }) => x.acct)).toEqual([
      `alice@127.0.0.1:${a.port}`,
    ]);
    const mentions = await call(b, "GET", "/api/v1/notifications?types[]=mention", {
      token: bobToken,
    });
    expect(mentions.json.map((n: { status: { id: string } }) => n.status.id)).toEqual([onB.id]);

    const reply = await publishStatus(b.deps, bob.id, {
      text: `@alice@127.0.0.1:${a.port} agreed`,
      visibility: "direct",
      inReplyToId: onB.id,
    });
    const replyOnA = await waitFor(
      "the reply on A",
      async () => await findStatusByIri(a.deps.db, reply.iri),
    );
    const forAlice = await call(a, "GET", "/api/v1/conversations", {
      token: await tokenFor(a, alice),
    });
    expect(forAlice.json).toHaveLength(1);
    expect(forAlice.json[0]).toMatchObject({ unread: true, last_status: { id: replyOnA.id } });
    expect(forAlice.json[0].accounts.map((x: { acct: string }) => x.acct)).toEqual([
      `bob@127.0.0.1:${b.port}`,
    ]);
  });
});
