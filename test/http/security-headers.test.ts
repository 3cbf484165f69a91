// Defence in depth: every answer that is not a page (API, OAuth JSON, errors, /health, WebFinger,
// NodeInfo, ActivityPub, cached or not) says nosniff and a CSP of nothing; pages keep their own CSP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTHING_POLICY } from "../../src/http/security-headers.ts";
import { localUser, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

const ORIGIN = "https://atelier.example";
const AP = { accept: "application/activity+json" };
let instance: TestInstance;
let statusPath: string;

beforeAll(async () => {
  instance = await createTestInstance({ ORIGIN });
  const { account } = await localUser(instance, "alice");
  statusPath = new URL((await status(instance, account, { visibility: "public" })).iri).pathname;
});
afterAll(() => instance?.close());

const request = (path: string, init: RequestInit = {}) =>
  instance.app.request(new URL(path, ORIGIN).href, init);

function expectLocked(res: Response, what: string) {
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("content-security-policy"), what).toBe(NOTHING_POLICY);
}

describe("security headers of answers that are not pages", () => {
  it.each([
    ["/api/v1/instance", 200],
    ["/api/v2/instance", 200],
    ["/api/v1/timelines/public", 200],
    ["/api/v1/accounts/verify_credentials", 401],
    ["/api/v1/statuses/not-an-id", 404],
    ["/api/v1/no-such-endpoint", 404],
    ["/api/v1/statuses?__proto__[x]=1", 400],
    ["/health", 200],
    ["/.well-known/oauth-authorization-server", 200],
    ["/.well-known/nodeinfo", 200],
    ["/nodeinfo/2.1", 200],
    ["/.well-known/host-meta", 200],
    ["/.well-known/webfinger?resource=acct:alice@atelier.example", 200],
    ["/.well-known/webfinger?resource=acct:nobody@atelier.example", 404],
    ["/no/such/page.json", 404],
  ])("GET %s (%i)", async (path, status) => {
    const res = await request(path);
    expect(res.status).toBe(status);
    expectLocked(res, path);
  });

  it("covers the ActivityPub documents, a cached hit and its 304 included", async () => {
    for (const path of [
      "/users/alice",
      "/users/alice/outbox",
      "/users/alice/followers",
      statusPath,
    ]) {
      const res = await request(path, { headers: AP });
      expect(res.status, path).toBe(200);
      expectLocked(res, path);
    }
    // The actor document and WebFinger are answered from the cache once Fedify made them.
    const miss = await request("/users/alice", { headers: AP });
    const hit = await request("/users/alice", { headers: AP });
    expectLocked(hit, "cached actor");
    expect(hit.headers.get("etag")).toBe(miss.headers.get("etag"));
    const again = await request("/.well-known/webfinger?resource=acct:alice@atelier.example");
    expectLocked(again, "cached WebFinger");
    const notModified = await request("/users/alice", {
      headers: { ...AP, "if-none-match": hit.headers.get("etag")! },
    });
    expect(notModified.status).toBe(304);
    expectLocked(notModified, "304");
  });

  it("covers refusals at the inbox and OAuth's JSON errors", async () => {
    const inbox = await request("/users/alice/inbox", {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: "not json",
    });
    expect(inbox.status).toBe(400);
    expectLocked(inbox, "inbox");
    const token = await request("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "password" }),
    });
    expect(token.status).toBeGreaterThanOrEqual(400);
    expect(token.headers.get("content-type")).toMatch(/json/);
    expectLocked(token, "oauth token");
  });

  it("leaves a page's own CSP as it is and adds nosniff", async () => {
    const page = await request("/explore");
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'nonce-/);
    const authorize = await request("/oauth/authorize?client_id=nope");
    expect(authorize.headers.get("content-type")).toMatch(/text\/html/);
    expect(authorize.headers.get("content-security-policy")).toContain("style-src 'unsafe-inline'");
    expect(authorize.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
