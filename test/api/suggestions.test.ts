// Follow suggestions through masto.js against a real server: friends of friends ranked by how many of
// the viewer's follows follow them, then active local accounts; never the viewer, followed, requested,
// blocked, muted, suspended, undiscoverable or dismissed accounts; a dismissal lasts.

import { eq } from "drizzle-orm";
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { type Account, accounts, blocks, mutes } from "../../src/db/schema/index.ts";
import { call, follow, localUser, remoteAccount } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: ServedInstance;
let me: { account: Account; token: string };
let client: mastodon.rest.Client;
const named = new Map<string, Account>();

async function discoverable(account: Account, extra: Partial<Account> = {}): Promise<Account> {
  return (
    await instance.deps.db
      .update(accounts)
      .set({ discoverable: true, ...extra })
      .where(eq(accounts.id, account.id))
      .returning()
  )[0]!;
}

beforeAll(async () => {
  instance = await serveTestInstance();
  me = await localUser(instance, "me");
  client = createRestAPIClient({ url: instance.url, accessToken: me.token });
  const friendA = await discoverable((await localUser(instance, "frienda")).account);
  const friendB = await discoverable((await localUser(instance, "friendb")).account);
  await follow(instance, me.account, friendA);
  await follow(instance, me.account, friendB);
  // Followed by both friends, then by one: the first ranks higher.
  const popular = await discoverable(await remoteAccount(instance, "popular", "remote.example"));
  const liked = await discoverable(await remoteAccount(instance, "liked", "remote.example"));
  // Followed by a friend but not discoverable, blocked, muted, suspended, requested: never suggested.
  const hidden = await remoteAccount(instance, "hidden", "remote.example");
  const blocked = await discoverable(await remoteAccount(instance, "blocked", "remote.example"));
  const muted = await discoverable(await remoteAccount(instance, "muted", "remote.example"));
  const suspended = await discoverable(
    await remoteAccount(instance, "suspended", "remote.example", { suspendedAt: new Date() }),
  );
  const requested = await discoverable(
    await remoteAccount(instance, "requested", "remote.example"),
  );
  for (const a of [popular, liked, hidden, blocked, muted, suspended, requested]) {
    await follow(instance, friendA, a);
  }
  await follow(instance, friendB, popular);
  await follow(instance, me.account, requested, "pending");
  await instance.deps.db
    .insert(blocks)
    .values({ id: newId(), accountId: me.account.id, targetAccountId: blocked.id });
  await instance.deps.db
    .insert(mutes)
    .values({ id: newId(), accountId: me.account.id, targetAccountId: muted.id });
  // A local account that posted this week, and one that posted long ago.
  const active = await discoverable((await localUser(instance, "active")).account, {
    lastStatusAt: new Date(),
  });
  await discoverable((await localUser(instance, "dormant")).account, {
    lastStatusAt: new Date(Date.now() - 90 * 24 * 3600 * 1000),
  });
  for (const a of [friendA, friendB, popular, liked, active]) named.set(a.username, a);
});
afterAll(() => instance.close());

describe("follow suggestions", () => {
  it("suggests friends of friends by how many follow them, then active local accounts", async () => {
    const suggestions = await client.v2.suggestions.list();
    expect(suggestions.map((s) => s.account.username)).toEqual(["popular", "liked", "active"]);
    expect(suggestions.map((s) => s.sources)).toEqual([
      ["friends_of_friends"],
      ["friends_of_friends"],
      ["most_interactions"],
    ]);
    const raw = await call(instance, "GET", "/api/v2/suggestions", { token: me.token });
    expect(raw.json[0]).toMatchObject({ source: "past_interactions" });
    expect(E.Account.parse(raw.json[0].account).id).toBe(named.get("popular")!.id);
    const v1 = await client.v1.suggestions.list({ limit: 2 });
    expect(v1.map((a) => a.username)).toEqual(["popular", "liked"]);
  });

  it("never suggests the viewer or an account the viewer already follows", async () => {
    const friend = named.get("frienda")!;
    const theirs = await createRestAPIClient({
      url: instance.url,
      accessToken: (await localUser(instance, "newcomer")).token,
    }).v2.suggestions.list();
    // A newcomer follows nobody: only active local accounts, never themselves.
    expect(theirs.map((s) => s.account.username)).toEqual(["active"]);
    const mine = (await client.v2.suggestions.list()).map((s) => s.account.id);
    expect(mine).not.toContain(me.account.id);
    expect(mine).not.toContain(friend.id);
  });

  it("dismisses a suggestion for good", async () => {
    // masto.js types this method with a required string parameter it does not use; it sends none.
    const suggestion = client.v1.suggestions.$select(named.get("popular")!.id) as unknown as {
      remove(): Promise<void>;
    };
    await suggestion.remove();
    expect((await client.v2.suggestions.list()).map((s) => s.account.username)).toEqual([
      "liked",
      "active",
    ]);
    const res = await call(instance, "DELETE", "/api/v1/suggestions/999999", { token: me.token });
    expect(res.status).toBe(404);
  });
});
