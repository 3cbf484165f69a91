// Where deliveries may go: a remote actor cannot send our deliveries to another server through its
// `endpoints.sharedInbox`, and with private addresses not allowed (production) no delivery reaches a
// loopback server, even one whose name resolves there.
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { returned } from "../../src/db/returned.ts";
import { accounts } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { follow } from "../helpers/factories.ts";
import { type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import {
  type FederatedInstance,
  startFederatedInstance,
  storeQueueMessages,
  waitFor,
} from "../helpers/federation.ts";

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanup.map((c) => c()));
});
async function track<T extends FederatedInstance | FakeRemote>(started: Promise<T>): Promise<T> {
  const value = await started;
  cleanup.push(() => value.close());
  return value;
}

describe("shared inbox", () => {
  it("ignores a shared inbox on another origin than the actor: nothing is delivered there", async () => {
    const [local, home, elsewhere] = await Promise.all([
      track(startFederatedInstance()),
      track(startFakeRemote()),
      track(startFakeRemote()),
    ]);
    const { account: alice } = await createLocalUser(local.deps.db, local.deps.urls, {
      username: "alice",
      password: "alice-password",
    });
    const hostile = await home.actor("hostile", { sharedInbox: `${elsewhere.origin}/inbox` });
    const res = await home.deliver(
      local.deps.urls.inbox("alice"),
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${hostile.id.href}#follows/1`,
        type: "Follow",
        actor: hostile.id.href,
        object: alice.iri,
      },
      hostile,
    );
    expect(res.status).toBe(202);
    await waitFor("the Accept", () => home.deliveries() >= 1);
    await publishStatus(local.deps, alice.id, { text: "Hello followers", visibility: "public" });
    // The post goes to the actor's own inbox instead.
    await waitFor("the post's delivery", () => home.deliveries() >= 2);
    expect(elsewhere.deliveries()).toBe(0);
    const stored = (
      await local.deps.db
        .select({ sharedInboxUrl: accounts.sharedInboxUrl })
        .from(accounts)
        .where(eq(accounts.iri, hostile.id.href))
        .limit(1)
    )[0];
    expect(stored).toEqual({ sharedInboxUrl: null });
  });
});

describe("deliveries with private addresses not allowed", () => {
  it("never reach an inbox on loopback, by name or by address; the delivery is retried later", async () => {
    const [local, target] = await Promise.all([
      track(startFederatedInstance({ env: { FEDERATION_ALLOW_PRIVATE_ADDRESS: "false" } })),
      track(startFakeRemote({ hostname: "localhost" })),
    ]);
    const { account: alice } = await createLocalUser(local.deps.db, local.deps.urls, {
      username: "alice",
      password: "alice-password",
    });
    const port = new URL(target.origin).port;
    // Stored as if it had been fetched: its inbox by name, its shared inbox by address.
    const follower = returned(
      await local.deps.db
        .insert(accounts)
        .values({
          id: newId(),
          username: "inside",
          domain: `localhost:${port}`,
          iri: `${target.origin}/users/inside`,
          url: `${target.origin}/@inside`,
          inboxUrl: `${target.origin}/users/inside/inbox`,
          sharedInboxUrl: `http://localhost:${port}/inbox`,
        })
        .returning(),
    );
    const other = returned(
      await local.deps.db
        .insert(accounts)
        .values({
          id: newId(),
          username: "literal",
          domain: `127.0.0.1:${port}`,
          iri: `http://127.0.0.1:${port}/users/literal`,
          url: `http://127.0.0.1:${port}/@literal`,
          inboxUrl: `http://127.0.0.1:${port}/users/literal/inbox`,
        })
        .returning(),
    );
    await follow(local, follower.id, alice.id);
    await follow(local, other.id, alice.id);
    await publishStatus(local.deps, alice.id, { text: "Hello followers", visibility: "public" });
    // Fedify queues a retry (attempt ≥ 1) for each delivery that failed: both were tried and refused.
    const retries = async () =>
      (await storeQueueMessages(local)).filter((m) => {
        const { type, attempt } = m as { type?: unknown; attempt?: unknown };
        return type === "outbox" && typeof attempt === "number" && attempt >= 1;
      }).length;
    await waitFor("both deliveries' retries", async () => (await retries()) >= 2, 15_000);
    expect(target.deliveries()).toBe(0);
  });
});
