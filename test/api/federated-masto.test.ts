// The client API over federation, driven by masto.js: on two real instances on 127.0.0.1, A's user (with a
// token from the real authorization-code + PKCE flow) resolves `@bob@127.0.0.1:PORT`, follows bob, gets
// bob's image post through the home timeline and the streaming API, favourites and reblogs it, and bob
// gets both notifications on B.
import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient } from "masto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { localUser, PASSWORD } from "../helpers/factories.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";
import * as E from "./entities.ts";
import { authorize, pkcePair } from "./oauth-flow.ts";

const REDIRECT = "http://127.0.0.1/masto-callback";
let a: FederatedInstance;
let b: FederatedInstance;

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

async function signInWithMasto(instance: FederatedInstance, username: string): Promise<string> {
  await createLocalUser(instance.deps.db, instance.deps.urls, { username, password: PASSWORD });
  const app = await createRestAPIClient({ url: instance.url }).v1.apps.create({
    clientName: "masto.js federation test",
    redirectUris: REDIRECT,
    scopes: "read write follow",
  });
  const { verifier, challenge } = pkcePair();
  const flow = await authorize(
    (path, init) => fetch(`${instance.url}${path}`, init),
    {
      response_type: "code",
      client_id: app.clientId!,
      redirect_uri: REDIRECT,
      scope: "read write follow",
      code_challenge: challenge,
      code_challenge_method: "S256",
    },
    { username, password: PASSWORD },
  );
  expect(flow.code).not.toBeNull();
  const token = await createOAuthAPIClient({ url: instance.url }).token.create({
    grantType: "authorization_code",
    clientId: app.clientId!,
    clientSecret: app.clientSecret!,
    redirectUri: REDIRECT,
    code: flow.code!,
    ...({ codeVerifier: verifier } as object),
  });
  return token.accessToken;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("masto.js across two federated instances", () => {
  it("resolves, follows, streams, favourites and reblogs a remote image post", async () => {
    const aliceToken = await signInWithMasto(a, "alice");
    const alice = createRestAPIClient({ url: a.url, accessToken: aliceToken });
    const bobUser = await localUser(b, "bob");
    const bob = createRestAPIClient({ url: b.url, accessToken: bobUser.token });

    // Search with resolve fetches bob from B (WebFinger, then his actor).
    const handle = `@bob@127.0.0.1:${b.port}`;
    const found = await alice.v2.search.list({ q: handle, resolve: true, type: "accounts" });
    expect(found.accounts).toHaveLength(1);
    const bobOnA = found.accounts[0]!;
    expect(bobOnA.acct).toBe(`bob@127.0.0.1:${b.port}`);
    expect(bobOnA.url).toBe(`${b.url}/@bob`);
    const raw = await fetch(`${a.url}/api/v2/search?q=${encodeURIComponent(handle)}&resolve=true`, {
      headers: { Authorization: `Bearer ${aliceToken}` },
    });
    E.expectEntity(E.Account, ((await raw.json()) as { accounts: unknown[] }).accounts[0]);

    // The follow is a request until B's Accept arrives.
    const asked = await alice.v1.accounts.$select(bobOnA.id).follow();
    expect(asked.following || asked.requested).toBe(true);
    await waitFor("B's Accept", async () => {
      const [r] = await alice.v1.accounts.relationships.fetch({ id: [bobOnA.id] });
      return r?.following === true;
    });
    await waitFor("alice as bob's follower on B", async () => {
      const followers = await bob.v1.accounts.$select(bobUser.account.id).followers.list();
      return followers.some((f) => f.acct === `alice@127.0.0.1:${a.port}`);
    });

    const streaming = createStreamingAPIClient({
      streamingApiUrl: a.url.replace(/^http/, "ws"),
      accessToken: aliceToken,
      retry: false,
    });
    const subscription = streaming.user.subscribe();
    try {
      const streamed = (async () => {
        for await (const event of subscription) {
          if (event.event === "update") return event.payload;
        }
        return undefined;
      })();
      for (let i = 0; i < 80 && a.deps.streaming.size === 0; i++) await pause(25);
      await pause(100);

      const png = await sharp({
        create: { width: 320, height: 200, channels: 3, background: "#d9704a" },
      })
        .png()
        .toBuffer();
      const upload = await bob.v2.media.create({
        file: new Blob([new Uint8Array(png)], { type: "image/png" }),
        description: "An orange field",
      });
      const posted = await bob.v1.statuses.create({
        status: "Evening colours",
        mediaIds: [upload.id],
        visibility: "public",
      });

      const live = await Promise.race([
        streamed,
        pause(20_000).then(() => {
          throw new Error("no update on A's user stream");
        }),
      ]);
      expect(live?.uri).toBe(posted.uri);
      expect(live?.account.acct).toBe(`bob@127.0.0.1:${b.port}`);
      expect(live?.mediaAttachments[0]?.description).toBe("An orange field");

      const home = await alice.v1.timelines.home.list({ limit: 5 });
      const onA = home.find((s) => s.uri === posted.uri);
      expect(onA).toBeDefined();
      expect(onA!.mediaAttachments[0]!.type).toBe("image");
      expect(onA!.mediaAttachments[0]!.meta?.original?.width).toBe(320);

      const faved = await alice.v1.statuses.$select(onA!.id).favourite();
      expect(faved.favourited).toBe(true);
      const boosted = await alice.v1.statuses.$select(onA!.id).reblog();
      expect(boosted.reblog?.id).toBe(onA!.id);
      expect(boosted.reblog?.reblogged).toBe(true);

      const types = await waitFor("bob's notifications on B", async () => {
        const list = await bob.v1.notifications.list();
        const fromAlice = list.filter(
          (n) => n.account.acct === `alice@127.0.0.1:${a.port}` && n.status?.id === posted.id,
        );
        const seen = new Set(fromAlice.map((n) => n.type));
        return seen.has("favourite") && seen.has("reblog") ? [...seen].sort() : null;
      });
      expect(types).toEqual(["favourite", "reblog"]);
      const onB = await bob.v1.statuses.$select(posted.id).fetch();
      expect(onB.favouritesCount).toBe(1);
      expect(onB.reblogsCount).toBe(1);
    } finally {
      subscription.unsubscribe();
      streaming.close();
    }
  }, 90_000);

  it("resolves a status URL and a profile URL it has never seen", async () => {
    const carol = await localUser(b, "carol");
    const carolClient = createRestAPIClient({ url: b.url, accessToken: carol.token });
    const post = await carolClient.v1.statuses.create({ status: "Nobody on A follows me" });
    const doraToken = (await localUser(a, "dora")).token;
    const dora = createRestAPIClient({ url: a.url, accessToken: doraToken });

    const byUri = await dora.v2.search.list({ q: post.uri, resolve: true });
    expect(byUri.statuses.map((s) => s.uri)).toEqual([post.uri]);
    expect(byUri.statuses[0]!.account.acct).toBe(`carol@127.0.0.1:${b.port}`);
    E.expectEntity(E.Status, (await rawSearch(doraToken, post.uri)).statuses[0]);

    const byProfile = await dora.v2.search.list({ q: `${b.url}/users/carol`, resolve: true });
    expect(byProfile.accounts.map((x) => x.acct)).toEqual([`carol@127.0.0.1:${b.port}`]);
    // A URL B does not know (404 there) resolves to nothing, and the answer is A's stored results.
    const stored = await dora.v2.search.list({ q: `${b.url}/users/nobody`, resolve: true });
    expect(stored.accounts).toEqual([]);
  }, 60_000);
});

async function rawSearch(token: string, q: string): Promise<{ statuses: unknown[] }> {
  const res = await fetch(`${a.url}/api/v2/search?q=${encodeURIComponent(q)}&resolve=true`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await res.json()) as { statuses: unknown[] };
}
