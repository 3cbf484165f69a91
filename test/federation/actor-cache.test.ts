// The cache in front of actor documents and WebFinger: a hit is byte for byte what Fedify produced, and
// any change to the account (profile, avatar, suspension, deletion) shows on the very next fetch.

import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActorResponseCache } from "../../federation/actor-cache.ts";
import { splitUrl } from "../../federation/middleware.ts";
import { closeStore, openStore } from "../../src/db/dialect.ts";
import { newId } from "../../src/db/ids.ts";
import { type Account, accounts, mediaAttachments } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { updateProfile } from "../../src/domain/profiles.ts";
import {
  createTestInstance,
  type ServedInstance,
  serveTestInstance,
  type TestInstance,
} from "../helpers/instance.ts";

const ORIGIN = "https://atelier.example";
const AP = { accept: "application/activity+json" };
let instance: TestInstance;

beforeAll(async () => {
  instance = await createTestInstance({ ORIGIN });
});
afterAll(() => instance?.close());

async function newUser(username: string): Promise<Account> {
  const { account } = await createLocalUser(instance.deps.db, instance.deps.urls, {
    username,
    password: `${username}-password`,
    displayName: username,
  });
  return account;
}

const get = (path: string, headers: Record<string, string> = AP) =>
  instance.app.request(new URL(path, ORIGIN).href, { headers });

const webfinger = (username: string) =>
  `/.well-known/webfinger?resource=${encodeURIComponent(`acct:${username}@atelier.example`)}`;

describe("cached actor documents and WebFinger answers", () => {
  it("answers a repeated fetch with the same bytes, headers and an ETag", async () => {
    await newUser("carol");
    const first = await get("/users/carol");
    const firstBody = await first.text();
    const second = await get("/users/carol");
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(firstBody);
    expect(second.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(second.headers.get("content-type")).toMatch(/activity\+json|ld\+json/);
    expect(second.headers.get("vary")).toMatch(/accept/i);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(JSON.parse(firstBody)).toMatchObject({ type: "Person", preferredUsername: "carol" });

    const jrd = await get(webfinger("carol"), {});
    const jrdBody = await jrd.text();
    const jrdAgain = await get(webfinger("carol"), {});
    expect(await jrdAgain.text()).toBe(jrdBody);
    expect(jrdAgain.headers.get("content-type")).toBe(jrd.headers.get("content-type"));
  });

  it("answers 304 to a client that already has the current version", async () => {
    await newUser("erin");
    const first = await get("/users/erin");
    const etag = first.headers.get("etag")!;
    const again = await get("/users/erin", { ...AP, "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    await updateProfile(instance.deps.db, (await userRow("erin")).id, { displayName: "Erin E." });
    const changed = await get("/users/erin", { ...AP, "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ name: "Erin E." });
  });

  it("keeps variants of Accept apart, and still sends browsers to the profile page", async () => {
    await newUser("frank");
    const ld = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
    const asLd = await get("/users/frank", { accept: ld });
    const asAp = await get("/users/frank");
    expect(asLd.status).toBe(200);
    expect(asAp.status).toBe(200);
    const html = await get("/users/frank", { accept: "text/html" });
    expect(html.status).toBe(302);
    expect(html.headers.get("location")).toMatch(/\/@frank$/);
    expect((await get("/users/frank", { accept: ld })).headers.get("content-type")).toBe(
      asLd.headers.get("content-type"),
    );
  });

  it("shows a new display name and avatar on the next fetch of both documents", async () => {
    const dave = await newUser("dave");
    expect(await (await get("/users/dave")).json()).toMatchObject({ name: "dave" });
    await get(webfinger("dave"), {});

    await updateProfile(instance.deps.db, dave.id, { displayName: "Dave D." });
    expect(await (await get("/users/dave")).json()).toMatchObject({ name: "Dave D." });

    // A change made behind the services' back (the CLI, another process) is seen as well.
    // A local avatar is an uploaded attachment the account points at.
    const avatarId = newId();
    await instance.deps.db.insert(mediaAttachments).values({
      id: avatarId,
      accountId: dave.id,
      mediaType: "image/webp",
      displayKey: "avatar-dave.webp",
    });
    await instance.deps.db
      .update(accounts)
      .set({ avatarMediaId: avatarId })
      .where(eq(accounts.id, dave.id));
    const actor = await (await get("/users/dave")).json();
    expect(actor.icon).toMatchObject({
      type: "Image",
      mediaType: "image/webp",
      url: instance.deps.urls.media("avatar-dave.webp"),
    });
    const jrd = await (await get(webfinger("dave"), {})).json();
    expect(jrd.subject).toBe("acct:dave@atelier.example");

    await instance.deps.db
      .update(accounts)
      .set({ displayName: "Dave from elsewhere" })
      .where(eq(accounts.id, dave.id));
    expect(await (await get("/users/dave")).json()).toMatchObject({ name: "Dave from elsewhere" });
  });

  it("sees a change committed by another process within a quarter of a second", async () => {
    await newUser("ivan");
    expect(await (await get("/users/ivan")).json()).toMatchObject({ name: "ivan" });
    // The instance's store opened a second time, as the CLI does (SQLite file or PostgreSQL).
    const cli = await openStore(instance.config);
    try {
      await cli
        .update(accounts)
        .set({ displayName: "Ivan (CLI)" })
        .where(eq(accounts.username, "ivan"));
    } finally {
      await closeStore(cli);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await (await get("/users/ivan")).json()).toMatchObject({ name: "Ivan (CLI)" });
  });

  it("stops serving a suspended account's profile or a deleted account, and unknown users stay 404", async () => {
    const grace = await newUser("grace");
    expect((await get("/users/grace")).status).toBe(200);
    expect((await get(webfinger("grace"), {})).status).toBe(200);
    await instance.deps.db
      .update(accounts)
      .set({ suspendedAt: new Date() })
      .where(eq(accounts.id, grace.id));
    // As Mastodon: a suspended actor answers, minimal and marked `suspended`; the cached full one is not
    // served again.
    for (let n = 0; n < 2; n++) {
      const suspended = await get("/users/grace");
      expect(suspended.status).toBe(200);
      expect(await suspended.json()).toMatchObject({ suspended: true });
    }

    const heidi = await newUser("heidi");
    expect((await get("/users/heidi")).status).toBe(200);
    expect((await get(webfinger("heidi"), {})).status).toBe(200);
    await instance.deps.db.delete(accounts).where(eq(accounts.id, heidi.id));
    expect((await get("/users/heidi")).status).toBe(404);
    expect((await get(webfinger("heidi"), {})).status).toBe(404);

    expect((await get("/users/nobody")).status).toBe(404);
    expect((await get(webfinger("nobody"), {})).status).toBe(404);
  });
});

async function userRow(username: string): Promise<Account> {
  return (
    await instance.deps.db.select().from(accounts).where(eq(accounts.username, username)).limit(1)
  )[0]!;
}

describe("cache keys", () => {
  it("come from a small set per account, whatever query or Accept a client sends", () => {
    const cache = new ActorResponseCache(instance.deps.db, ORIGIN);
    const key = (path: string, accept?: string) =>
      cache.cacheable(new URL(path, ORIGIN), accept)?.key ?? null;
    const ld = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
    expect(key("/users/carol", AP.accept)).not.toBeNull();
    expect(key("/users/carol", `${AP.accept}, application/json;q=0.5`)).toBe(
      key("/users/carol", AP.accept),
    );
    expect(key("/users/carol", ld)).not.toBe(key("/users/carol", AP.accept));
    // Not cached: a query string, a browser's Accept, no JSON asked for, a huge header.
    expect(key("/users/carol?1", AP.accept)).toBeNull();
    expect(key("/users/carol", `text/html, ${AP.accept};q=0.1`)).toBeNull();
    expect(key("/users/carol", "*/*")).toBeNull();
    expect(key("/users/carol", `${AP.accept}, ${"x".repeat(600)}`)).toBeNull();
    expect(key(webfinger("carol"), "anything")).toBe(key(webfinger("carol")));
    expect(key(`${webfinger("carol")}&rel=self`)).toBeNull();
    // The unescaped query most servers send names the same entry as the escaped one.
    const plain = "/.well-known/webfinger?resource=acct:carol@atelier.example";
    expect(key(plain)).toBe(key(webfinger("carol")));
    expect(key(`${plain}&resource=acct:carol@atelier.example`)).toBeNull();
    expect(key(`${plain}&rel=self`)).toBeNull();
    expect(key("/.well-known/webfinger?resource=")).toBeNull();
    expect(key("/.well-known/webfinger?resource=acct:carol+x@atelier.example")).toBeNull();
  });

  it("keep the most recently served answers when the cache is full", async () => {
    for (const name of ["kim", "lee", "max"]) await newUser(name);
    const cache = new ActorResponseCache(instance.deps.db, ORIGIN, { maxEntries: 2 });
    const fetchThrough = async (name: string) => {
      const request = cache.cacheable(new URL(`/users/${name}`, ORIGIN), AP.accept)!;
      // A promise on PostgreSQL, where checking an entry is a query.
      if ((await cache.get(request, undefined)) !== null) return "hit";
      const answer = new Response(`{"name":"${name}"}`, {
        headers: { "content-type": "application/activity+json" },
      });
      await (await cache.store(request, answer, undefined)).text();
      return "miss";
    };
    expect(await fetchThrough("kim")).toBe("miss");
    expect(await fetchThrough("lee")).toBe("miss");
    expect(await fetchThrough("kim")).toBe("hit"); // lee is now the least recently served
    expect(await fetchThrough("max")).toBe("miss");
    expect(cache.size).toBe(2);
    expect(await fetchThrough("kim")).toBe("hit");
    expect(await fetchThrough("max")).toBe("hit");
    expect(await fetchThrough("lee")).toBe("miss");
  });

  it("read the path and query as the URL parser does", () => {
    for (const href of [
      "https://atelier.example/users/carol",
      "https://atelier.example/users/carol?",
      "https://atelier.example/users/carol?a=1#frag",
      "https://atelier.example/users/carol#frag?not-a-query",
      "https://atelier.example:8443/.well-known/webfinger?resource=acct:carol@atelier.example",
      "https://atelier.example/users/caf%C3%A9?x=%20",
      "http://127.0.0.1:3000/?",
      "http://127.0.0.1:3000",
    ]) {
      const url = new URL(href);
      expect(splitUrl(url.href)).toEqual({ pathname: url.pathname, search: url.search });
    }
  });
});

describe("cached answers over HTTP", () => {
  let served: ServedInstance;
  beforeAll(async () => {
    served = await serveTestInstance();
    await createLocalUser(served.deps.db, served.deps.urls, {
      username: "olga",
      password: "olga-password",
      displayName: "Olga",
    });
  });
  afterAll(() => served?.close());

  /** A GET with raw header pairs, so a header can be sent twice. */
  const rawGet = (path: string, headers: string[]) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        // Raw header pairs get no Host of Node's own.
        const raw = ["host", new URL(served.url).host, ...headers];
        const req = httpRequest(`${served.url}${path}`, { headers: raw }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (d) => {
            body += d;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on("error", reject);
        req.end();
      },
    );

  it("reads Accept and If-None-Match from the request as sent, repeated headers included", async () => {
    const first = await rawGet("/users/olga", ["accept", AP.accept]);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ preferredUsername: "olga" });
    const again = await rawGet("/users/olga", ["accept", AP.accept]);
    expect(again.body).toBe(first.body);
    const etag = String(first.headers.etag);
    const revalidated = await rawGet("/users/olga", [
      "accept",
      AP.accept,
      "if-none-match",
      '"other"',
      "if-none-match",
      etag,
    ]);
    expect(revalidated.status).toBe(304);
    // A browser's Accept in a second header line still gets the profile page, not the cached JSON.
    const browser = await rawGet("/users/olga", [
      "accept",
      "text/html",
      "accept",
      `${AP.accept};q=0.1`,
    ]);
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toMatch(/\/@olga$/);
    const host = new URL(served.url).host;
    const jrd = await rawGet(`/.well-known/webfinger?resource=acct:olga@${host}`, []);
    expect(jrd.status).toBe(200);
    expect(JSON.parse(jrd.body)).toMatchObject({ subject: `acct:olga@${host}` });
  });
});
