import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  oauthAccessTokens,
  oauthApplications,
  oauthAuthorizationCodes,
} from "../../src/db/schema/index.ts";
import { call, localUser, PASSWORD } from "../helpers/factories.ts";
import {
  createTestInstance,
  newStoreVariables,
  type TestInstance,
  tempDir,
} from "../helpers/instance.ts";
import { runScript } from "../helpers/process.ts";
import * as E from "./entities.ts";
import { authorize, pkcePair } from "./oauth-flow.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

const REDIRECT = "https://client.example/callback";

async function registerApp(scopes = "read write follow") {
  const res = await call(instance, "POST", "/api/v1/apps", {
    body: {
      client_name: "Test client",
      redirect_uris: `${REDIRECT}\nurn:ietf:wg:oauth:2.0:oob`,
      scopes,
      website: "https://client.example",
    },
  });
  expect(res.status).toBe(200);
  return E.expectEntity(E.CredentialApplication, res.json);
}

const fetcher = (path: string, init?: RequestInit) => instance.app.request(path, init);

async function token(form: Record<string, string>) {
  return call(instance, "POST", "/oauth/token", { form });
}

describe("OAuth applications", () => {
  it("registers an app and stores only a hash of its secret", async () => {
    const app = await registerApp();
    expect(app.scopes).toEqual(["read", "write", "follow"]);
    expect(app.redirect_uris).toEqual([REDIRECT, "urn:ietf:wg:oauth:2.0:oob"]);
    const row = (await instance.deps.db.select().from(oauthApplications).limit(1))[0]!;
    expect(row.clientSecretHash).not.toContain(app.client_secret);
    expect(row.clientSecretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers 422 with details for a missing name, bad redirect URI or unknown scope", async () => {
    const missing = await call(instance, "POST", "/api/v1/apps", {
      body: { redirect_uris: REDIRECT },
    });
    expect(missing.status).toBe(422);
    E.expectEntity(E.ApiError, missing.json);
    const badUri = await call(instance, "POST", "/api/v1/apps", {
      form: { client_name: "x", redirect_uris: "not a uri" },
    });
    expect(badUri.status).toBe(422);
    expect(badUri.json.error).toMatch(/redirect_uris/);
    const badScope = await call(instance, "POST", "/api/v1/apps", {
      form: { client_name: "x", redirect_uris: REDIRECT, scopes: "read admin:everything" },
    });
    expect(badScope.status).toBe(422);
    expect(badScope.json.error).toMatch(/admin:everything/);
  });

  it("publishes the authorization server metadata", async () => {
    const res = await call(instance, "GET", "/.well-known/oauth-authorization-server");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      issuer: `${instance.config.origin}/`,
      authorization_endpoint: `${instance.config.origin}/oauth/authorize`,
      token_endpoint: `${instance.config.origin}/oauth/token`,
      code_challenge_methods_supported: ["S256"],
    });
    expect(res.json.scopes_supported).toContain("write:media");
  });
});

describe("authorization code flow", () => {
  it("signs in, consents, exchanges a PKCE code for a token that verifies credentials, then refreshes", async () => {
    const { account } = await localUser(instance, "alice");
    const app = await registerApp();
    const { verifier, challenge } = pkcePair();
    const result = await authorize(
      fetcher,
      {
        response_type: "code",
        client_id: app.client_id,
        redirect_uri: REDIRECT,
        scope: "read write",
        state: "xyz",
        code_challenge: challenge,
        code_challenge_method: "S256",
      },
      { username: "alice", password: PASSWORD },
    );
    expect(result.response.status).toBe(302);
    const location = new URL(result.response.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("xyz");
    expect(result.code).toMatch(/^[\w-]{43}$/);

    // A wrong verifier fails and burns the code.
    const wrong = await token({
      grant_type: "authorization_code",
      client_id: app.client_id,
      redirect_uri: REDIRECT,
      code: result.code!,
      code_verifier: pkcePair().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe("invalid_grant");
    const codes = await instance.deps.db.select().from(oauthAuthorizationCodes);
    expect(codes).toEqual([]);

    const again = await authorize(
      fetcher,
      {
        client_id: app.client_id,
        redirect_uri: REDIRECT,
        scope: "read write",
        code_challenge: challenge,
        code_challenge_method: "S256",
      },
      { username: "alice", password: PASSWORD },
    );
    const ok = await token({
      grant_type: "authorization_code",
      client_id: app.client_id,
      redirect_uri: REDIRECT,
      code: again.code!,
      code_verifier: verifier,
    });
    expect(ok.status).toBe(200);
    const issued = E.expectEntity(E.Token, ok.json);
    expect(issued.scope).toBe("read write");
    expect(ok.json.refresh_token).toEqual(expect.any(String));
    const stored = await instance.deps.db.select().from(oauthAccessTokens);
    expect(JSON.stringify(stored)).not.toContain(issued.access_token);

    const me = await call(instance, "GET", "/api/v1/accounts/verify_credentials", {
      token: issued.access_token,
    });
    expect(me.status).toBe(200);
    expect(E.expectEntity(E.CredentialAccount, me.json).id).toBe(account.id);

    // The code is single use.
    const replay = await token({
      grant_type: "authorization_code",
      client_id: app.client_id,
      client_secret: app.client_secret,
      redirect_uri: REDIRECT,
      code: again.code!,
      code_verifier: verifier,
    });
    expect(replay.json.error).toBe("invalid_grant");

    const refreshed = await token({
      grant_type: "refresh_token",
      client_id: app.client_id,
      client_secret: app.client_secret,
      refresh_token: ok.json.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const old = await call(instance, "GET", "/api/v1/accounts/verify_credentials", {
      token: issued.access_token,
    });
    expect(old.status).toBe(401);
    expect(old.json).toEqual({ error: "The access token is invalid" });
    const fresh = await call(instance, "GET", "/api/v1/accounts/verify_credentials", {
      token: refreshed.json.access_token,
    });
    expect(fresh.status).toBe(200);
  });

  it("shows the code on the page for the out-of-band redirect URI and requires the secret without PKCE", async () => {
    await localUser(instance, "bob");
    const app = await registerApp();
    const result = await authorize(
      fetcher,
      { client_id: app.client_id, redirect_uri: "urn:ietf:wg:oauth:2.0:oob", scope: "read" },
      { username: "bob", password: PASSWORD },
    );
    expect(result.response.status).toBe(200);
    expect(result.code).toMatch(/^[\w-]{43}$/);
    const noSecret = await token({
      grant_type: "authorization_code",
      client_id: app.client_id,
      redirect_uri: "urn:ietf:wg:oauth:2.0:oob",
      code: result.code!,
    });
    expect(noSecret.status).toBe(401);
    expect(noSecret.json.error).toBe("invalid_client");
  });

  it("redirects with access_denied when the user denies, and refuses a wrong password", async () => {
    await localUser(instance, "carol");
    const app = await registerApp();
    const query = { client_id: app.client_id, redirect_uri: REDIRECT, state: "s1" };
    const denied = await authorize(
      fetcher,
      query,
      { username: "carol", password: PASSWORD },
      "deny",
    );
    const location = new URL(denied.response.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("s1");
    expect(denied.code).toBeNull();

    const wrong = await authorize(fetcher, query, {
      username: "carol",
      password: "not the password",
    });
    expect(wrong.response.status).toBe(401);
    expect(wrong.body).toContain("Invalid username or password");
    expect(wrong.code).toBeNull();
  });

  it("refuses an unregistered redirect URI, excess scopes and a plain PKCE challenge without redirecting", async () => {
    const app = await registerApp("read");
    const queries: Record<string, string>[] = [
      { client_id: app.client_id, redirect_uri: "https://evil.example/cb" },
      { client_id: app.client_id, redirect_uri: REDIRECT, scope: "read write" },
      {
        client_id: app.client_id,
        redirect_uri: REDIRECT,
        code_challenge: "abc",
        code_challenge_method: "plain",
      },
      { client_id: "unknown", redirect_uri: REDIRECT },
    ];
    for (const query of queries) {
      const res = await instance.app.request(`/oauth/authorize?${new URLSearchParams(query)}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
    }
  });

  it("rejects a sign-in form posted without the CSRF cookie", async () => {
    await localUser(instance, "dave");
    const app = await registerApp();
    const res = await instance.app.request("/oauth/authorize", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: app.client_id,
        redirect_uri: REDIRECT,
        step: "sign_in",
        username: "dave",
        password: PASSWORD,
        csrf_token: "forged",
      }).toString(),
    });
    expect(res.status).toBe(403);
  });
});

describe("tokens and scopes", () => {
  it("issues client_credentials tokens that verify the app but are not a user", async () => {
    const app = await registerApp();
    const res = await token({
      grant_type: "client_credentials",
      client_id: app.client_id,
      client_secret: app.client_secret,
      scope: "read",
    });
    expect(res.status).toBe(200);
    const appToken = res.json.access_token as string;
    expect(res.json.refresh_token).toBeUndefined();
    const verify = await call(instance, "GET", "/api/v1/apps/verify_credentials", {
      token: appToken,
    });
    expect(verify.status).toBe(200);
    E.expectEntity(E.Application, verify.json);
    expect(verify.json.name).toBe("Test client");
    const me = await call(instance, "GET", "/api/v1/accounts/verify_credentials", {
      token: appToken,
    });
    expect(me.status).toBe(422);
    const wrongSecret = await token({
      grant_type: "client_credentials",
      client_id: app.client_id,
      client_secret: "nope",
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json.error).toBe("invalid_client");
    const unsupported = await token({
      grant_type: "password",
      client_id: app.client_id,
      client_secret: app.client_secret,
    });
    expect(unsupported.json.error).toBe("unsupported_grant_type");
  });

  it("revokes a token so it stops working", async () => {
    const app = await registerApp();
    const res = await token({
      grant_type: "client_credentials",
      client_id: app.client_id,
      client_secret: app.client_secret,
    });
    const revoke = await call(instance, "POST", "/oauth/revoke", {
      form: {
        client_id: app.client_id,
        client_secret: app.client_secret,
        token: res.json.access_token,
      },
    });
    expect(revoke.status).toBe(200);
    expect(revoke.json).toEqual({});
    const after = await call(instance, "GET", "/api/v1/apps/verify_credentials", {
      token: res.json.access_token,
    });
    expect(after.status).toBe(401);
  });

  it("enforces scopes per endpoint: granular scopes, their parents and the legacy follow scope", async () => {
    const readStatuses = (await localUser(instance, "erin", "read:statuses")).token;
    const writeOnly = (await localUser(instance, "frank", "write")).token;
    const follow = (await localUser(instance, "gina", "follow")).token;
    const home = await call(instance, "GET", "/api/v1/timelines/home", { token: readStatuses });
    expect(home.status).toBe(200);
    const notifications = await call(instance, "GET", "/api/v1/notifications", {
      token: readStatuses,
    });
    expect(notifications.status).toBe(403);
    expect(notifications.json).toEqual({ error: "This action is outside the authorized scopes" });
    expect(
      (await call(instance, "GET", "/api/v1/timelines/home", { token: writeOnly })).status,
    ).toBe(403);
    expect((await call(instance, "GET", "/api/v1/blocks", { token: follow })).status).toBe(200);
    expect((await call(instance, "GET", "/api/v1/bookmarks", { token: follow })).status).toBe(403);
    expect((await call(instance, "GET", "/api/v1/timelines/home")).status).toBe(401);
    expect(
      (await call(instance, "GET", "/api/v1/timelines/home", { token: "garbage" })).json,
    ).toEqual({
      error: "The access token is invalid",
    });
  });
});

describe("token create (CLI)", () => {
  it("prints a working token with the asked scopes as its last line", async () => {
    const dir = tempDir();
    try {
      // The CLI and the instance share the store (a database of its own on PostgreSQL).
      const env = newStoreVariables(dir.path);
      const created = await runScript(
        "src/cli/main.ts",
        ["user", "create", "henry", "--password", PASSWORD],
        env,
        60_000,
      );
      expect(created.code).toBe(0);
      const result = await runScript(
        "src/cli/main.ts",
        ["token", "create", "henry", "--scopes", "read write"],
        env,
        60_000,
      );
      expect(result.code).toBe(0);
      const lastLine = result.stdout.trim().split("\n").at(-1)!;
      expect(lastLine).toMatch(/^[\w-]{43}$/);
      const served = await createTestInstance(env);
      try {
        const me = await served.app.request("/api/v1/accounts/verify_credentials", {
          headers: { Authorization: `Bearer ${lastLine}` },
        });
        expect(me.status).toBe(200);
        expect((await me.json()).username).toBe("henry");
      } finally {
        await served.deps.close();
      }
      const bad = await runScript("src/cli/main.ts", ["token", "create", "nobody"], env, 60_000);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('No local user named "nobody"');
    } finally {
      dir.remove();
    }
  }, 120_000);
});
