// A web client on another origin (as Phanpy or Elk are) signing in through the real pages in Chromium: it
// registers itself, sends the browser to /oauth/authorize with PKCE, exchanges the code at /oauth/token
// from its own page and reads verify_credentials. Every request the client page makes is cross-origin, so
// the browser lets it see an answer only when the server sent the CORS headers Mastodon sends.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../helpers/factories.ts";
import { type E2eInstance, launchChromium, serveE2eInstance } from "./browser.ts";

let browser: Browser;
let site: E2eInstance;
let client: Server;
let clientOrigin: string;

// The client's one page: without `?code` it registers and redirects to the authorize page; with one it
// finishes the exchange and shows what it read, or the error that stopped it.
const clientPage = (instance: string) => `<!doctype html><meta charset="utf-8"><title>Client</title>
<pre id="out">working</pre>
<script type="module">
const instance = ${JSON.stringify(instance)};
const out = document.getElementById("out");
const redirectUri = location.origin + "/callback";
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
try {
  const code = new URLSearchParams(location.search).get("code");
  if (code === null) {
    const app = await (await fetch(instance + "/api/v1/apps", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_name: "Cross-origin client", redirect_uris: redirectUri, scopes: "read write" }),
    })).json();
    const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
    const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    sessionStorage.setItem("oauth", JSON.stringify({ app, verifier }));
    location.href = instance + "/oauth/authorize?" + new URLSearchParams({
      response_type: "code", client_id: app.client_id, redirect_uri: redirectUri,
      scope: "read write", code_challenge: challenge, code_challenge_method: "S256",
    });
  } else {
    const { app, verifier } = JSON.parse(sessionStorage.getItem("oauth"));
    const token = await (await fetch(instance + "/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        grant_type: "authorization_code", code, client_id: app.client_id,
        client_secret: app.client_secret, redirect_uri: redirectUri, code_verifier: verifier,
      }),
    })).json();
    const me = await fetch(instance + "/api/v1/accounts/verify_credentials", {
      headers: { Authorization: "Bearer " + token.access_token },
    });
    const link = await fetch(instance + "/api/v1/timelines/public?limit=1");
    const revoke = await fetch(instance + "/oauth/revoke", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: token.access_token, client_id: app.client_id, client_secret: app.client_secret }),
    });
    const after = await fetch(instance + "/api/v1/accounts/verify_credentials", {
      headers: { Authorization: "Bearer " + token.access_token },
    });
    out.textContent = JSON.stringify({
      username: (await me.json()).username,
      linkHeaderVisible: link.headers.get("Link") !== null || link.headers.get("X-RateLimit-Limit") !== null,
      revoked: revoke.status,
      afterRevoke: after.status,
    });
  }
} catch (error) {
  out.textContent = "error: " + error;
}
</script>`;

beforeAll(async () => {
  site = await serveE2eInstance();
  browser = await launchChromium();
  client = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(clientPage(site.url));
  });
  // "localhost" rather than 127.0.0.1: another origin than the instance's, and still a secure context
  // (crypto.subtle, which PKCE needs in a browser).
  await new Promise<void>((r) => client.listen(0, "127.0.0.1", r));
  clientOrigin = `http://localhost:${(client.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await new Promise((r) => client?.close(r));
});

describe("a web client on another origin", () => {
  it("signs in with PKCE, exchanges the code, reads verify_credentials and revokes its token", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${clientOrigin}/`);
    await page.waitForURL(/\/oauth\/authorize/);
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Authorize" }).click();
    await page.waitForURL(new RegExp(`^${clientOrigin}/callback\\?code=`));
    await page.waitForFunction(() => document.getElementById("out")?.textContent !== "working");
    const result = (await page.locator("#out").textContent()) ?? "";
    // A blocked cross-origin answer surfaces in the page as "error: TypeError: Failed to fetch".
    expect(result).not.toMatch(/^error/);
    expect(JSON.parse(result)).toEqual({
      username: "alice",
      linkHeaderVisible: true,
      revoked: 200,
      afterRevoke: 401,
    });
    await context.close();
  });
});
