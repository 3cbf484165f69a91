// Grouped notifications (Mastodon 4.3's /api/v2/notifications) and the notification policy, driven by
// masto.js over real HTTP on 127.0.0.1 with a token from the authorization-code + PKCE flow, the way
// Phanpy and Elk use them.
import { createOAuthAPIClient, createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account, Status } from "../../src/db/schema/index.ts";
import { favouriteStatus } from "../../src/domain/interactions.ts";
import { addNotification } from "../../src/domain/notification-records.ts";
import { localUser, PASSWORD, remoteAccount, status } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import { authorize, pkcePair } from "./oauth-flow.ts";

const REDIRECT = "http://127.0.0.1/masto-callback";
let instance: ServedInstance;
let client: mastodon.rest.Client;
let token: string;
let alice: Account;
let post: Status;

beforeAll(async () => {
  instance = await serveTestInstance();
  alice = (await localUser(instance, "alice")).account;
  const anonymous = createRestAPIClient({ url: instance.url });
  const app = await anonymous.v1.apps.create({
    clientName: "grouped notifications test",
    redirectUris: REDIRECT,
    scopes: "read write",
  });
  const { verifier, challenge } = pkcePair();
  const flow = await authorize(
    (path, init) => fetch(`${instance.url}${path}`, init),
    {
      response_type: "code",
      client_id: app.clientId!,
      redirect_uri: REDIRECT,
      scope: "read write",
      code_challenge: challenge,
      code_challenge_method: "S256",
    },
    { username: "alice", password: PASSWORD },
  );
  const issued = await createOAuthAPIClient({ url: instance.url }).token.create({
    grantType: "authorization_code",
    clientId: app.clientId!,
    clientSecret: app.clientSecret!,
    redirectUri: REDIRECT,
    code: flow.code!,
    ...({ codeVerifier: verifier } as object),
  });
  token = issued.accessToken;
  client = createRestAPIClient({ url: instance.url, accessToken: token });
  post = await status(instance, alice);
});
afterAll(() => instance.close());

const fans: Account[] = [];
async function favouriteBy(name: string, target: Status = post): Promise<Account> {
  const fan = await remoteAccount(instance, name, `${name}.example`);
  await favouriteStatus(instance.deps.db, instance.deps.urls, fan, target);
  fans.push(fan);
  return fan;
}
async function mentionBy(name: string): Promise<string> {
  const author = await remoteAccount(instance, name, `${name}.example`);
  const mention = await status(instance, author, { mentions: [alice] });
  return (await addNotification(instance.deps.db, {
    accountId: alice.id,
    fromAccountId: author.id,
    type: "mention",
    statusId: mention.id,
  }))!;
}

describe("grouped notifications through masto.js", () => {
  it("groups favourites of one post with a count and samples; a mention stays alone", async () => {
    const first = await favouriteBy("fan1");
    const second = await favouriteBy("fan2");
    const third = await favouriteBy("fan3");
    const mentionId = await mentionBy("speaker");

    const page = await client.v2.notifications.list();
    expect(page.notificationGroups).toHaveLength(2);
    const [mention, favourites] = page.notificationGroups;
    expect(mention).toMatchObject({
      groupKey: `ungrouped-${mentionId}`,
      type: "mention",
      notificationsCount: 1,
      mostRecentNotificationId: mentionId,
    });
    expect(favourites!.type).toBe("favourite");
    expect(favourites!.groupKey).toMatch(new RegExp(`^favourite-${post.id}-\\d+$`));
    expect(favourites!.notificationsCount).toBe(3);
    expect(favourites!.sampleAccountIds).toEqual([third.id, second.id, first.id]);
    expect(favourites!.statusId).toBe(post.id);
    expect(favourites!.pageMinId! < favourites!.pageMaxId!).toBe(true);
    expect(favourites!.mostRecentNotificationId).toBe(favourites!.pageMaxId);
    expect(page.statuses.map((s) => s.id)).toContain(post.id);
    expect(page.accounts.map((a) => a.id)).toEqual(
      expect.arrayContaining([first.id, second.id, third.id]),
    );

    // Only the types asked for; with grouped_types empty of favourite, each favourite stands alone.
    const onlyFavourites = await client.v2.notifications.list({ types: ["favourite"] as never });
    expect(onlyFavourites.notificationGroups.map((g) => g.type)).toEqual(["favourite"]);
    const ungrouped = await client.v2.notifications.list({ groupedTypes: ["reblog"] as never });
    expect(ungrouped.notificationGroups).toHaveLength(4);

    const one = await client.v2.notifications.$select(favourites!.groupKey).fetch();
    expect(one.notificationGroups[0]!.notificationsCount).toBe(3);
    const accounts = await client.v2.notifications.$select(favourites!.groupKey).accounts.fetch();
    expect(accounts.map((a) => a.id)).toEqual([third.id, second.id, first.id]);
  });

  it("pages by groups through the Link header, each group once", async () => {
    for (let i = 0; i < 4; i++) await mentionBy(`pager${i}`);
    const keys: string[] = [];
    const sizes: number[] = [];
    for await (const page of client.v2.notifications.list({ limit: 2 })) {
      sizes.push(page.notificationGroups.length);
      keys.push(...page.notificationGroups.map((g) => g.groupKey));
    }
    // 4 new mentions + the first mention + the favourite group. As Mastodon's, the next page starts
    // below the last group's newest notification, so that group's older members may show it again.
    expect(new Set(keys).size).toBe(6);
    expect(keys.slice(0, 6)).toHaveLength(6);
    expect(new Set(keys.slice(0, 6)).size).toBe(6);
    expect(sizes.slice(0, 3)).toEqual([2, 2, 2]);
    expect(sizes.every((n) => n <= 2)).toBe(true);

    const raw = await fetch(`${instance.url}/api/v2/notifications?limit=2`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const link = raw.headers.get("link") ?? "";
    expect(link).toMatch(/\/api\/v2\/notifications\?limit=2&max_id=\d+>; rel="next"/);
    expect(link).toMatch(/rel="prev"/);
  });

  it("counts unread groups after the notifications marker", async () => {
    const before = await client.v2.notifications.unreadCount.fetch();
    expect(before.count).toBe(6);
    const page = await client.v2.notifications.list({ limit: 1 });
    await client.v1.markers.create({
      notifications: { lastReadId: page.notificationGroups[0]!.mostRecentNotificationId },
    });
    expect((await client.v2.notifications.unreadCount.fetch()).count).toBe(0);
    // Two more favourites of the post: one more unread group, not two.
    await favouriteBy("late1");
    await favouriteBy("late2");
    expect((await client.v2.notifications.unreadCount.fetch()).count).toBe(1);
    expect((await client.v2.notifications.unreadCount.fetch({ limit: 1 })).count).toBe(1);
  });

  it("dismisses a whole group", async () => {
    const other = await status(instance, alice);
    await favouriteBy("d1", other);
    await favouriteBy("d2", other);
    const page = await client.v2.notifications.list({ limit: 1 });
    const group = page.notificationGroups[0]!;
    expect(group.statusId).toBe(other.id);
    expect(group.notificationsCount).toBe(2);
    await client.v2.notifications.$select(group.groupKey).dismiss();
    const after = await client.v2.notifications.list();
    expect(after.notificationGroups.map((g) => g.groupKey)).not.toContain(group.groupKey);
    const missing = await fetch(`${instance.url}/api/v2/notifications/${group.groupKey}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(missing.status).toBe(404);
  });

  it("holds back what the policy filters as a request until accepted, and drops what it drops", async () => {
    const initial = await client.v2.notifications.policy.fetch();
    expect(initial.forNotFollowing).toBe("accept");
    const policy = await client.v2.notifications.policy.update({ forNotFollowing: "filter" });
    expect(policy.forNotFollowing).toBe("filter");
    expect(policy.forNewAccounts).toBe("accept");

    const stranger = await favouriteBy("stranger");
    const listed = await client.v2.notifications.list();
    expect(listed.notificationGroups.flatMap((g) => g.sampleAccountIds)).not.toContain(stranger.id);
    const summary = await client.v2.notifications.policy.fetch();
    expect(summary.summary).toEqual({ pendingRequestsCount: 1, pendingNotificationsCount: 1 });

    const requests = await client.v1.notifications.requests.list();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.account.id).toBe(stranger.id);
    expect(requests[0]!.notificationsCount).toBe("1");
    expect(requests[0]!.lastStatus?.id).toBe(post.id);
    const filtered = await client.v2.notifications.list({ includeFiltered: true });
    expect(filtered.notificationGroups.flatMap((g) => g.sampleAccountIds)).toContain(stranger.id);

    await client.v1.notifications.requests.$select(requests[0]!.id).accept();
    expect(await client.v1.notifications.requests.list()).toEqual([]);
    const accepted = await client.v2.notifications.list();
    expect(accepted.notificationGroups.flatMap((g) => g.sampleAccountIds)).toContain(stranger.id);
    expect((await client.v1.notifications.requests.merged.fetch()).merged).toBe(true);
    // Accepted once, the sender is let through from then on.
    await favouriteBy("x", await status(instance, alice));
    expect((await client.v1.notifications.requests.list()).length).toBe(1);

    await client.v2.notifications.policy.update({ forNotFollowing: "drop" });
    const dropped = await favouriteBy("dropped");
    const afterDrop = await client.v2.notifications.list({ includeFiltered: true });
    expect(afterDrop.notificationGroups.flatMap((g) => g.sampleAccountIds)).not.toContain(
      dropped.id,
    );
    const pending = await client.v1.notifications.requests.list();
    expect(pending.map((r) => r.account.id)).not.toContain(dropped.id);

    // Bulk dismiss drops the held notifications with their request.
    // masto.js sends no ids here, so the form is posted as Phanpy does: id[]=…
    const bulk = await fetch(`${instance.url}/api/v1/notifications/requests/dismiss`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(pending.map((r) => ["id[]", r.id])).toString(),
    });
    expect(bulk.status).toBe(200);
    expect(await client.v1.notifications.requests.list()).toEqual([]);
  });

  it("refuses an unknown policy value with 422", async () => {
    const res = await fetch(`${instance.url}/api/v2/notifications/policy`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ for_new_accounts: "maybe" }),
    });
    expect(res.status).toBe(422);
  });
});
