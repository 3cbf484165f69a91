// CORS as Mastodon's rack-cors answers it, over real HTTP: a browser client (Phanpy, Elk) on another
// origin must be able to discover the server, get and revoke a token, and call the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

const ORIGIN = "https://phanpy.example";
let instance: ServedInstance;

beforeAll(async () => {
  instance = await serveTestInstance();
  await localUser(instance, "alice");
});
afterAll(() => instance.close());

const preflight = (path: string, method: string, headers = "authorization, content-type") =>
  fetch(`${instance.url}${path}`, {
    method: "OPTIONS",
    headers: {
      Origin: ORIGIN,
      "Access-Control-Request-Method": method,
      "Access-Control-Request-Headers": headers,
    },
  });

describe("CORS", () => {
  it("answers preflights for the token, revoke and API endpoints", async () => {
    for (const [path, method] of [
      ["/oauth/token", "POST"],
      ["/oauth/revoke", "POST"],
      ["/api/v1/accounts/verify_credentials", "GET"],
      ["/api/v1/statuses", "POST"],
    ] as const) {
      const res = await preflight(path, method, "authorization, content-type, idempotency-key");
      expect(res.status, path).toBeGreaterThanOrEqual(200);
      expect(res.status, path).toBeLessThan(300);
      expect(res.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(res.headers.get("access-control-allow-methods"), path).toContain(method);
      const allowed = res.headers.get("access-control-allow-headers")?.toLowerCase() ?? "";
      for (const h of ["authorization", "content-type", "idempotency-key"]) {
        expect(allowed, path).toContain(h);
      }
      expect(res.headers.get("access-control-allow-credentials"), path).toBeNull();
    }
  });

  it("lets another origin get a token, call the API and revoke the token", async () => {
    const app = await fetch(`${instance.url}/api/v1/apps`, {
      method: "POST",
      headers: { Origin: ORIGIN, "Content-Type": "application/json" },
      body: JSON.stringify({ client_name: "phanpy", redirect_uris: "urn:ietf:wg:oauth:2.0:oob" }),
    });
    expect(app.headers.get("access-control-allow-origin")).toBe("*");
    const { client_id, client_secret } = (await app.json()) as Record<string, string>;
    const form = { client_id: client_id!, client_secret: client_secret! };
    const token = await fetch(`${instance.url}/oauth/token`, {
      method: "POST",
      headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...form, grant_type: "client_credentials" }),
    });
    expect(token.status).toBe(200);
    expect(token.headers.get("access-control-allow-origin")).toBe("*");
    const { access_token } = (await token.json()) as Record<string, string>;

    const api = await fetch(`${instance.url}/api/v1/apps/verify_credentials`, {
      headers: { Origin: ORIGIN, Authorization: `Bearer ${access_token}` },
    });
    expect(api.status).toBe(200);
    expect(api.headers.get("access-control-allow-origin")).toBe("*");
    const exposed = api.headers.get("access-control-expose-headers") ?? "";
    for (const h of ["Link", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"]) {
      expect(exposed).toContain(h);
    }

    const revoke = await fetch(`${instance.url}/oauth/revoke`, {
      method: "POST",
      headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...form, token: access_token! }),
    });
    expect(revoke.status).toBe(200);
    expect(revoke.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("opens discovery (NodeInfo, WebFinger, host-meta, OAuth metadata) to every origin", async () => {
    const host = new URL(instance.url).host;
    for (const path of [
      "/.well-known/nodeinfo",
      "/nodeinfo/2.1",
      `/.well-known/webfinger?resource=acct:alice@${host}`,
      "/.well-known/host-meta",
      "/.well-known/oauth-authorization-server",
    ]) {
      const res = await fetch(`${instance.url}${path}`, { headers: { Origin: ORIGIN } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("access-control-allow-origin"), path).toBe("*");
    }
    // Twice: the second WebFinger answer comes from the cache.
    const again = await fetch(`${instance.url}/.well-known/webfinger?resource=acct:alice@${host}`, {
      headers: { Origin: ORIGIN },
    });
    expect(again.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("leaves the pages and the sign-in form same-origin only", async () => {
    for (const path of ["/oauth/authorize", "/auth/sign_in", "/@alice/1"]) {
      const res = await fetch(`${instance.url}${path}`, { headers: { Origin: ORIGIN } });
      expect(res.headers.get("access-control-allow-origin"), path).toBeNull();
    }
  });
});
