// Drives the API with masto.js, a third-party Mastodon client, against a real server on 127.0.0.1:
// register an app, sign in and consent through the HTML pages with PKCE, exchange the code, then use it.
import { createOAuthAPIClient, createRestAPIClient, type mastodon } from "masto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  boost,
  follow,
  localUser,
  media,
  notify,
  PASSWORD,
  remoteAccount,
  status,
} from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";
import { authorize, pkcePair } from "./oauth-flow.ts";

const REDIRECT = "http://127.0.0.1/masto-callback";
let instance: ServedInstance;
let client: mastodon.rest.Client;
let aliceId: string;
let accessToken: string;
let bobId: string;
let bobStatusId: string;

beforeAll(async () => {
  instance = await serveTestInstance();
  const alice = await localUser(instance, "alice");
  aliceId = alice.account.id;
  const bob = await remoteAccount(instance, "bob", "remote.example");
  await follow(instance, alice.account, bob);
  for (let i = 0; i < 5; i++) await status(instance, alice.account);
  const withImage = await status(instance, bob, { tags: ["dusk"] });
  await media(instance, bob, withImage.id);
  bobId = bob.id;
  bobStatusId = withImage.id;
  await boost(
    instance,
    bob,
    await status(instance, await remoteAccount(instance, "carol", "third.example")),
  );
  await notify(instance, alice.account, bob, "favourite", withImage.id);
  await notify(instance, alice.account, bob, "follow");
});
afterAll(() => instance.close());

describe("masto.js against a real server", () => {
  it("completes the authorization-code + PKCE flow and verifies credentials", async () => {
    const anonymous = createRestAPIClient({ url: instance.url });
    const app = await anonymous.v1.apps.create({
      clientName: "masto.js test",
      redirectUris: REDIRECT,
      scopes: "read write follow",
    });
    expect(app.clientId).toEqual(expect.any(String));

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
      { username: "alice", password: PASSWORD },
    );
    expect(flow.response.status).toBe(302);
    expect(flow.code).not.toBeNull();

    const oauth = createOAuthAPIClient({ url: instance.url });
    const token = await oauth.token.create({
      grantType: "authorization_code",
      clientId: app.clientId!,
      clientSecret: app.clientSecret!,
      redirectUri: REDIRECT,
      code: flow.code!,
      // masto.js sends extra params as given (snake-cased), which is how PKCE's verifier travels.
      ...({ codeVerifier: verifier } as object),
    });
    expect(token.scope).toBe("read write follow");
    accessToken = token.accessToken;
    client = createRestAPIClient({ url: instance.url, accessToken: token.accessToken });
    const me = await client.v1.accounts.verifyCredentials();
    expect(me.id).toBe(aliceId);
    expect(me.acct).toBe("alice");
    expect(me.source.privacy).toBe("public");
    const raw = await fetch(`${instance.url}/api/v1/accounts/verify_credentials`, {
      headers: { Authorization: `Bearer ${token.accessToken}` },
    });
    E.expectEntity(E.CredentialAccount, await raw.json());
    const instanceInfo = await client.v2.instance.fetch();
    expect(instanceInfo.domain).toBe(new URL(instance.url).host);
  });

  it("reads the home timeline page by page through the Link headers", async () => {
    const seen: string[] = [];
    const pages: number[] = [];
    for await (const page of client.v1.timelines.home.list({ limit: 3 })) {
      pages.push(page.length);
      seen.push(...page.map((s) => s.id));
      if (pages.length > 5) break;
    }
    // Like Mastodon, a short page has no rel="next", so the paginator stops there.
    expect(pages).toEqual([3, 3, 1]);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort().reverse()).toEqual(seen);
    const first = await client.v1.timelines.home.list({ limit: 1 });
    expect(first[0]!.reblog?.account.acct).toBe("carol@third.example");
    const publicMedia = await client.v1.timelines.public.list({ onlyMedia: true });
    expect(publicMedia.map((s) => s.account.acct)).toEqual(["bob@remote.example"]);
    expect(publicMedia[0]!.mediaAttachments[0]!.meta?.original?.width).toBe(1024);
    const tagged = await client.v1.timelines.tag.$select("dusk").list();
    expect(tagged).toHaveLength(1);
  });

  it("bookmarks a status and lists it", async () => {
    const [target] = await client.v1.timelines.public.list({ limit: 1 });
    const marked = await client.v1.statuses.$select(target!.id).bookmark();
    expect(marked.bookmarked).toBe(true);
    const bookmarks = await client.v1.bookmarks.list();
    expect(bookmarks.map((s) => s.id)).toEqual([target!.id]);
  });

  it("reads notifications with a type filter and the unread count", async () => {
    const all = await client.v1.notifications.list();
    expect(all.map((n) => n.type)).toEqual(["follow", "favourite"]);
    expect(all[1]!.status?.account.acct).toBe("bob@remote.example");
    const favourites = await client.v1.notifications.list({ types: ["favourite"] });
    expect(favourites).toHaveLength(1);
    await client.v1.markers.create({ notifications: { lastReadId: all[1]!.id } });
    const unread = await client.v1.notifications.unreadCount.fetch();
    expect(unread.count).toBe(1);
    const relationships = await client.v1.accounts.relationships.fetch({
      id: [all[0]!.account.id],
    });
    expect(relationships[0]!.following).toBe(true);
  });

  it("uploads an image, posts it, edits its alt text and deletes it for redraft", async () => {
    const png = await sharp({
      create: { width: 300, height: 200, channels: 3, background: "#246" },
    })
      .png()
      .toBuffer();
    const attachment = await client.v2.media.create({
      file: new Blob([new Uint8Array(png)], { type: "image/png" }),
      description: "a dark blue field",
      focus: "0,0.5",
    });
    expect(attachment.url).toMatch(/\/media\//);
    const updated = await client.v1.media.$select(attachment.id).update({ description: "navy" });
    expect(updated.description).toBe("navy");
    const posted = await client.v1.statuses.create({
      status: "an image from masto.js",
      mediaIds: [attachment.id],
      visibility: "public",
      spoilerText: "blue",
      language: "en",
    });
    expect(posted.mediaAttachments.map((m) => m.id)).toEqual([attachment.id]);
    expect(posted.sensitive).toBe(true);
    const edited = await client.v1.statuses.$select(posted.id).update({
      status: "an image from masto.js, edited",
      mediaIds: [attachment.id],
      mediaAttributes: [{ id: attachment.id, description: "midnight blue" }],
    });
    expect(edited.mediaAttachments[0]!.description).toBe("midnight blue");
    expect(edited.editedAt).not.toBeNull();
    const publicPage = await client.v1.timelines.public.list({ local: true, onlyMedia: true });
    expect(publicPage[0]!.id).toBe(posted.id);
    const removed = await client.v1.statuses.$select(posted.id).remove();
    expect(removed.text).toBe("an image from masto.js, edited");
  });

  it("generates an image through the AI extension and posts a candidate", async () => {
    await instance.deps.start();
    const headers = { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" };
    const created = await fetch(`${instance.url}/api/v1/atelier/generations`, {
      method: "POST",
      headers,
      body: JSON.stringify({ prompt: "a fox made of autumn leaves", size: "512x512" }),
    });
    expect(created.status).toBe(202);
    const job = (await created.json()) as { id: string };
    await instance.deps.generation.idle();
    const polled = await fetch(`${instance.url}/api/v1/atelier/generations/${job.id}`, { headers });
    const done = (await polled.json()) as { state: string; candidates: { id: string }[] };
    expect(done.state).toBe("succeeded");
    const posted = await client.v1.statuses.create({
      status: "generated",
      mediaIds: [done.candidates[0]!.id],
    });
    expect(posted.mediaAttachments[0]!.description).toMatch(/^A fox/);
    const raw = (await (
      await fetch(`${instance.url}/api/v1/statuses/${posted.id}`, { headers })
    ).json()) as { media_attachments: { atelier?: { provenance: { prompt: string } } }[] };
    expect(raw.media_attachments[0]!.atelier?.provenance.prompt).toBe(
      "a fox made of autumn leaves",
    );
  });

  it("reports an account and one of its statuses", async () => {
    const report = await client.v1.reports.create({
      accountId: bobId,
      statusIds: [bobStatusId],
      comment: "Spam",
      category: "spam",
      ruleIds: ["1"],
    });
    expect(report).toMatchObject({
      actionTaken: false,
      category: "spam",
      comment: "Spam",
      forwarded: false,
      statusIds: [bobStatusId],
      targetAccount: { id: bobId },
    });
  });

  it("refuses a revoked token with the error masto.js reports", async () => {
    const stranger = createRestAPIClient({ url: instance.url, accessToken: "not-a-token" });
    await expect(stranger.v1.accounts.verifyCredentials()).rejects.toMatchObject({
      statusCode: 401,
      message: "The access token is invalid",
    });
  });
});
