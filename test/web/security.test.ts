import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { accounts, users, webSessions } from "../../src/db/schema/index.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function instance(env: Record<string, string> = {}): Promise<TestInstance> {
  const i = await createTestInstance(env);
  cleanups.push(() => i.close());
  return i;
}

describe("sign-in and sessions", () => {
  it("refuses a sign-in form without a CSRF token and sets no session", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    await client.get("/auth/sign_in");
    const res = await client.post("/auth/sign_in", {
      username: "alice",
      password: "correct horse battery staple",
    });
    expect(res.status).toBe(403);
    expect(client.cookies.has("atelier_session")).toBe(false);
    expect(await i.deps.db.select().from(webSessions)).toHaveLength(0);
  });

  it("signs in with an HttpOnly SameSite=Lax cookie and stores only a hash of the token", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    const res = await client.signIn("alice");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/home");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("atelier_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const token = client.cookies.get("atelier_session")!;
    const rows = await i.deps.db.select().from(webSessions);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const home = await client.get("/home");
    expect(home.res.status).toBe(200);
    expect(home.body).toContain("Sign out");
  });

  it("marks the session cookie Secure and sends HSTS when the origin is https", async () => {
    const i = await instance({ ORIGIN: "https://atelier.example" });
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    const res = await client.signIn("alice");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("atelier_session="))!;
    expect(cookie).toMatch(/Secure/);
    const page = await client.get("/explore");
    expect(page.res.headers.get("strict-transport-security")).toMatch(/max-age=/);
  });

  it("answers a wrong password with 401 and one message for unknown names and wrong passwords", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    const wrong = await client.signIn("alice", "not the password");
    const unknown = await client.signIn("nobody", "not the password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toContain("Wrong username or password.");
    expect(await unknown.text()).toContain("Wrong username or password.");
    expect(client.cookies.has("atelier_session")).toBe(false);
  });

  it("refuses a disabled user", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    await i.deps.db
      .update(users)
      .set({ disabledAt: new Date() })
      .where(eq(users.accountId, account.id));
    const res = await new PageClient(i.app).signIn("alice");
    expect(res.status).toBe(401);
  });

  it("throttles an account after 5 failures with 429 and Retry-After, even with the right password", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    for (let n = 0; n < 5; n++) {
      expect((await client.signIn("alice", "wrong password")).status).toBe(401);
    }
    const blocked = await client.signIn("alice");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(client.cookies.has("atelier_session")).toBe(false);
  });

  it("throttles one client address after 20 failures across many names", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    for (let n = 0; n < 20; n++) {
      expect((await client.signIn(`guess${n}`, "wrong password")).status).toBe(401);
    }
    const blocked = await client.signIn("alice");
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("ends the session on the server when signing out, so the old cookie stops working", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const token = client.cookies.get("atelier_session")!;
    const csrf = await client.csrfFrom("/home");
    const out = await client.post("/auth/sign_out", { csrf });
    expect(out.status).toBe(303);
    expect(await i.deps.db.select().from(webSessions)).toHaveLength(0);
    const replay = new PageClient(i.app);
    replay.cookies.set("atelier_session", token);
    const home = await replay.request("/home");
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toMatch(/^\/auth\/sign_in\?return_to=%2Fhome/);
  });

  it("ignores a return_to pointing at another site", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    const csrf = await client.csrfFrom("/auth/sign_in");
    const res = await client.post("/auth/sign_in", {
      csrf,
      username: "alice",
      password: "correct horse battery staple",
      return_to: "//evil.example/steal",
    });
    expect(res.headers.get("location")).toBe("/home");
  });

  it("sends a return_to that browsers would read as another host (tab, backslash, dot-slash) to /home", async () => {
    const i = await instance();
    await localUser(i, "alice");
    for (const returnTo of [
      "/%09/evil.example",
      "/\t/evil.example",
      "/\\evil.example",
      "/.//evil.example",
    ]) {
      const client = new PageClient(i.app);
      const csrf = await client.csrfFrom("/auth/sign_in");
      const res = await client.post("/auth/sign_in", {
        csrf,
        username: "alice",
        password: "correct horse battery staple",
        return_to: returnTo,
      });
      expect(res.headers.get("location"), returnTo).toBe("/home");
    }
  });
});

describe("CSRF on signed-in forms", () => {
  async function signedIn() {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    const client = new PageClient(i.app);
    await client.signIn("alice");
    return { i, account, client };
  }

  it("refuses a settings form without a token and changes nothing", async () => {
    const { i, account, client } = await signedIn();
    const res = await client.post("/settings/profile", { display_name: "Mallory was here" });
    expect(res.status).toBe(403);
    const row = (
      await i.deps.db.select().from(accounts).where(eq(accounts.id, account.id)).limit(1)
    )[0]!;
    expect(row.displayName).toBe("");
  });

  it("refuses the token of another session", async () => {
    const { i, account, client } = await signedIn();
    await localUser(i, "mallory");
    const mallory = new PageClient(i.app);
    await mallory.signIn("mallory");
    const stolen = await mallory.csrfFrom("/settings");
    const res = await client.post("/settings/profile", {
      csrf: stolen,
      display_name: "Mallory was here",
    });
    expect(res.status).toBe(403);
    const row = (
      await i.deps.db.select().from(accounts).where(eq(accounts.id, account.id)).limit(1)
    )[0]!;
    expect(row.displayName).toBe("");
  });

  it("refuses a form posted from another origin even with a valid token", async () => {
    const { client } = await signedIn();
    const csrf = await client.csrfFrom("/settings");
    const res = await client.request("/settings/profile", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
      },
      body: new URLSearchParams({ csrf, display_name: "x" }).toString(),
    });
    expect(res.status).toBe(403);
  });

  it("refuses signing out without a token (a cross-site link cannot sign people out)", async () => {
    const { i, client } = await signedIn();
    const res = await client.post("/auth/sign_out", {});
    expect(res.status).toBe(403);
    expect(await i.deps.db.select().from(webSessions)).toHaveLength(1);
  });
});

describe("authorization", () => {
  it("sends anonymous visitors of signed-in pages to sign in, and refuses their posts", async () => {
    const i = await instance();
    const client = new PageClient(i.app);
    for (const path of ["/home", "/notifications", "/settings", "/admin", "/compose"]) {
      const res = await client.request(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toBe(
        `/auth/sign_in?return_to=${encodeURIComponent(path)}`,
      );
    }
    const csrf = await client.csrfFrom("/auth/sign_in");
    const res = await client.post("/settings/profile", { csrf, display_name: "x" });
    expect(res.status).toBe(401);
  });

  it("shows the admin page only to administrators", async () => {
    const i = await instance();
    await localUser(i, "root_user", { admin: true });
    await localUser(i, "bob");
    const bob = new PageClient(i.app);
    await bob.signIn("bob");
    expect((await bob.request("/admin")).status).toBe(403);
    const admin = new PageClient(i.app);
    await admin.signIn("root_user");
    const page = await admin.get("/admin");
    expect(page.res.status).toBe(200);
    expect(page.body).toContain("@bob");
    expect(page.body).toContain("Administrator");
  });
});

describe("security headers", () => {
  it("sends a strict CSP whose nonce is the one on the page's script and style tags", async () => {
    const i = await instance();
    const { res, body } = await new PageClient(i.app).get("/explore");
    const csp = res.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(body).toContain(`<script nonce="${nonce}"`);
    expect(body).not.toMatch(/\son[a-z]+="/i);
    expect(body).not.toMatch(/\sstyle="/i);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const again = await new PageClient(i.app).get("/explore");
    expect(again.res.headers.get("content-security-policy")).not.toBe(csp);
  });

  it("answers errors on pages as HTML with the same headers", async () => {
    const i = await instance();
    const { res, body } = await new PageClient(i.app).get("/@nobody");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(body).toContain("There is no account with that name here.");
  });
});
