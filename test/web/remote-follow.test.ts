import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { accounts } from "../../src/db/schema/index.ts";
import {
  fetchRemoteFollowResolver,
  parseHandle,
  type WebServices,
} from "../../src/web/services.ts";
import { localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A fake fediverse server on loopback answering WebFinger the way Mastodon does. */
async function fakeRemote(
  answer: (resource: string) => { status: number; body: string },
): Promise<{ host: string; requests: string[] }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(url.pathname + url.search);
    const { status, body } = answer(url.searchParams.get("resource") ?? "");
    res.writeHead(status, { "content-type": "application/jrd+json" });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const mastodonJrd = (host: string) =>
  JSON.stringify({
    subject: `acct:me@${host}`,
    links: [
      { rel: "self", type: "application/activity+json", href: `http://${host}/users/me` },
      {
        rel: "http://ostatus.org/schema/1.0/subscribe",
        template: `http://${host}/authorize_interaction?uri={uri}`,
      },
    ],
  });

describe("following from another server", () => {
  it("asks the visitor's server over WebFinger and sends them to its interaction page", async () => {
    const remote = await fakeRemote(() => ({ status: 200, body: "" }));
    const real = await fakeRemote((resource) => ({
      status: resource.startsWith("acct:me@") ? 200 : 404,
      body: mastodonJrd(remote.host),
    }));
    const i = await createTestInstance({ FEDERATION_ALLOW_PRIVATE_ADDRESS: "true" });
    cleanups.push(() => i.close());
    const { account } = await localUser(i, "alice");
    const client = new PageClient(i.app);
    const form = await client.get("/@alice/remote_follow");
    expect(form.body).toContain('<label for="handle">Your handle</label>');
    const csrf = await client.csrfFrom("/@alice/remote_follow");
    const res = await client.post("/@alice/remote_follow", {
      csrf,
      handle: `@me@${real.host}`,
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    const target = `http://${remote.host}/authorize_interaction?uri=${encodeURIComponent(account.iri)}`;
    expect(body).toContain(`href="${target.replaceAll("&", "&amp;")}"`);
    expect(real.requests).toEqual([
      `/.well-known/webfinger?resource=${encodeURIComponent(`acct:me@${real.host}`)}`,
    ]);
  });

  it("explains a malformed handle and a server without a subscribe template", async () => {
    const noTemplate = await fakeRemote(() => ({
      status: 200,
      body: JSON.stringify({ links: [{ rel: "self", href: "http://x/users/me" }] }),
    }));
    const i = await createTestInstance({ FEDERATION_ALLOW_PRIVATE_ADDRESS: "true" });
    cleanups.push(() => i.close());
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    const csrf = await client.csrfFrom("/@alice/remote_follow");
    const bad = await client.post("/@alice/remote_follow", { csrf, handle: "just-a-name" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter your full fediverse handle");
    const none = await client.post("/@alice/remote_follow", {
      csrf,
      handle: `me@${noTemplate.host}`,
    });
    expect(none.status).toBe(422);
    expect(await none.text()).toContain("does not offer following from elsewhere");
    const noCsrf = await client.post("/@alice/remote_follow", { handle: `me@${noTemplate.host}` });
    expect(noCsrf.status).toBe(403);
  });

  it("bounds the WebFinger lookup: private hosts refused, oversized and malformed answers rejected", async () => {
    await expect(
      fetchRemoteFollowResolver().subscribeTemplate({ username: "me", host: "127.0.0.1:9" }),
    ).rejects.toThrow("not allowed");
    // Other spellings of a loopback address are the same address once parsed.
    for (const host of ["2130706433", "0x7f.1", "[::ffff:127.0.0.1]"]) {
      await expect(
        fetchRemoteFollowResolver().subscribeTemplate({ username: "me", host }),
      ).rejects.toThrow("not allowed");
    }
    const huge = await fakeRemote(() => ({ status: 200, body: "x".repeat(200_000) }));
    const resolver = fetchRemoteFollowResolver({ allowPrivateAddress: true });
    await expect(resolver.subscribeTemplate({ username: "me", host: huge.host })).rejects.toThrow(
      /too much/,
    );
    const garbage = await fakeRemote(() => ({ status: 200, body: "{not json" }));
    await expect(
      resolver.subscribeTemplate({ username: "me", host: garbage.host }),
    ).rejects.toThrow("cannot read");
    const evil = await fakeRemote(() => ({
      status: 200,
      body: JSON.stringify({
        links: [
          {
            rel: "http://ostatus.org/schema/1.0/subscribe",
            template: "javascript:alert(1)//{uri}",
          },
        ],
      }),
    }));
    expect(await resolver.subscribeTemplate({ username: "me", host: evil.host })).toBeNull();
    expect(parseHandle("@Me@Mastodon.Social")).toEqual({ username: "Me", host: "mastodon.social" });
  });
});

describe("/authorize_interaction", () => {
  it("shows a remote account to a signed-in user and follows it through the federation service", async () => {
    const base = await createTestInstance();
    cleanups.push(() => base.close());
    const bob = await remoteAccount(base, "bob", "remote.example");
    const followed: [string, string][] = [];
    const services: WebServices = {
      remoteFollow: base.deps.web.remoteFollow,
      resolveAccount: base.deps.web.resolveAccount,
      interactions: {
        // Stands in for federation's lookup: the stored remote account by its IRI or its handle.
        async resolve(uri) {
          const known = uri === bob.iri || uri === "acct:bob@remote.example";
          return known ? { type: "account", accountId: bob.id } : null;
        },
        async followAccount(followerId, targetId) {
          followed.push([followerId, targetId]);
        },
      },
    };
    const app = createApp({ ...base.deps, web: services });
    const { account: alice } = await localUser(base, "alice");
    const client = new PageClient(app);
    const uri = encodeURIComponent(bob.iri);
    const anonymous = await client.request(`/authorize_interaction?uri=${uri}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toContain("/auth/sign_in?return_to=");
    await client.signIn("alice");
    const page = await client.get(`/authorize_interaction?uri=${uri}`);
    expect(page.res.status).toBe(200);
    expect(page.body).toContain("@bob@remote.example");
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const done = await client.post("/authorize_interaction", { csrf, uri: bob.iri });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Follow request sent.");
    expect(followed).toEqual([[alice.id, bob.id]]);
    const byHandle = await client.get("/authorize_interaction?uri=acct:bob@remote.example");
    expect(byHandle.body).toContain("@bob@remote.example");
    const missing = await client.get("/authorize_interaction?uri=https://nowhere.example/x");
    expect(missing.res.status).toBe(404);
  });

  it("shows a stored status only if the user may see it", async () => {
    const i = await createTestInstance();
    cleanups.push(() => i.close());
    await localUser(i, "alice");
    const bob = await remoteAccount(i, "bob", "remote.example");
    const hidden = await status(i, bob.id, {
      local: false,
      visibility: "private",
      content: "<p>hidden words</p>",
    });
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const res = await client.get(`/authorize_interaction?uri=${encodeURIComponent(hidden.iri)}`);
    expect(res.res.status).toBe(404);
    expect(res.body).not.toContain("hidden words");
  });

  it("following a locked account sends a request the follower can cancel", async () => {
    const i = await createTestInstance();
    cleanups.push(() => i.close());
    await localUser(i, "alice");
    const bob = await localUser(i, "bob");
    await i.deps.db.update(accounts).set({ locked: true }).where(eq(accounts.id, bob.account.id));
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const csrf = await client.csrfFrom("/@bob");
    const res = await client.post("/@bob/follow", { csrf });
    expect(res.status).toBe(303);
    const profile = await client.get("/@bob");
    expect(profile.body).toContain("Follow requested");
    expect(profile.body).toContain("Cancel request");
  });
});
