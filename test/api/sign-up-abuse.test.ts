// Sign-up's defences against abuse: blocked e-mail domains (CLI and admin page) refused with Mastodon's
// ERR_BLOCKED, per-address throttling behind a trusted proxy (through a real listener, as a proxy on the
// same machine looks), and two sign-ups with one address at once answering "taken", not a 500.
import type { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { cliOn } from "../helpers/cli-in-process.ts";
import { call, localUser } from "../helpers/factories.ts";
import {
  createTestInstance,
  type ServedInstance,
  serveTestInstance,
  type TestInstance,
} from "../helpers/instance.ts";
import { appToken } from "../helpers/sign-up.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | ServedInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const person = (n: string, email = `${n}@example.com`) => ({
  username: n,
  email,
  password: "a long enough password",
  agreement: true,
});

describe("blocked e-mail domains", () => {
  it("refuses addresses at a blocked domain and its subdomains, and lets them in once unblocked", async () => {
    i = await createTestInstance({ REGISTRATIONS: "open" });
    const app = await appToken(i);
    const blocked = await cliOn(i, "email-domain", "block", "@Trash-Mail.example.");
    expect(blocked).toMatchObject({ code: 0, stdout: "Blocked trash-mail.example" });
    expect((await cliOn(i, "email-domain", "block", "trash-mail.example")).stdout).toBe(
      "Already blocked: trash-mail.example",
    );
    expect((await cliOn(i, "email-domain", "list")).stdout).toMatch(/^trash-mail\.example\t\d{4}-/);

    for (const email of ["ann@trash-mail.example", "ann@eu.TRASH-mail.example"]) {
      const res = await call(i, "POST", "/api/v1/accounts", {
        token: app,
        body: person("ann", email),
      });
      expect(res.status).toBe(422);
      expect(res.json.details).toEqual({
        email: [{ error: "ERR_BLOCKED", description: "This e-mail provider is not allowed" }],
      });
    }
    // A domain that merely ends the same way is another domain.
    const other = await call(i, "POST", "/api/v1/accounts", {
      token: app,
      body: person("ann", "ann@nottrash-mail.example"),
    });
    expect(other.status).toBe(200);

    expect((await cliOn(i, "email-domain", "unblock", "trash-mail.example")).stdout).toBe(
      "Unblocked trash-mail.example",
    );
    const after = await call(i, "POST", "/api/v1/accounts", {
      token: app,
      body: person("bea", "bea@trash-mail.example"),
    });
    expect(after.status).toBe(200);
  });

  it("explains a bad domain and a usage mistake with exit codes 1 and 2", async () => {
    i = await createTestInstance();
    expect(await cliOn(i, "email-domain", "block", "not a domain")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("Not an e-mail domain"),
    });
    expect((await cliOn(i, "email-domain", "block", "localhost")).code).toBe(1);
    expect((await cliOn(i, "email-domain", "block")).code).toBe(2);
    expect((await cliOn(i, "email-domain", "list", "extra")).code).toBe(2);
    expect((await cliOn(i, "email-domain", "list")).stdout).toBe("No blocked e-mail domains.");
  });

  it("is managed on the admin Sign-up tab, and the web sign-up shows the error beside the field", async () => {
    i = await createTestInstance({ REGISTRATIONS: "open" });
    await localUser(i, "boss", { admin: true });
    const admin = new PageClient(i.app);
    await admin.signIn("boss");
    const csrf = await admin.csrfFrom("/admin/registrations");
    const added = await admin.post("/admin/email-domain-blocks", { csrf, domain: "spam.example" });
    expect(added.status).toBe(303);
    const tab = await admin.get("/admin/registrations?done=email-blocked");
    expect(tab.body).toContain("The e-mail domain is blocked.");
    expect(tab.body).toContain("<code>spam.example</code>");

    const visitor = new PageClient(i.app);
    const refused = await visitor.post("/auth/sign_up", {
      csrf: await visitor.csrfFrom("/auth/sign_up"),
      ...person("cleo", "cleo@spam.example"),
      agreement: "1",
    });
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toContain("This e-mail provider is not allowed");
    expect(page).toContain('id="email-error"');

    const removed = await admin.post("/admin/email-domain-blocks/spam.example/remove", { csrf });
    expect(removed.status).toBe(303);
    expect((await cliOn(i, "email-domain", "list")).stdout).toBe("No blocked e-mail domains.");
  });
});

/** A browser-like client of the served instance whose every request carries X-Forwarded-For. */
function browserBehind(served: ServedInstance, forwardedFor: string): PageClient {
  const server = {
    request: (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("x-forwarded-for", forwardedFor);
      return fetch(`${served.url}${path}`, { ...init, headers });
    },
  };
  return new PageClient(server as unknown as Hono);
}

describe("sign-up throttling", () => {
  const signUpFrom = async (instance: ServedInstance, app: string, address: string, n: string) => {
    const res = await fetch(`${instance.url}/api/v1/accounts`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${app}`,
        "content-type": "application/json",
        "x-forwarded-for": address,
      },
      body: JSON.stringify(person(n)),
    });
    return { status: res.status, retryAfter: res.headers.get("retry-after") };
  };

  it("lets one address make 5 accounts in 30 minutes, then answers 429 with Retry-After", async () => {
    const served = await serveTestInstance({ REGISTRATIONS: "open" });
    i = served;
    const app = await appToken(served);
    for (let n = 0; n < 5; n++) {
      expect((await signUpFrom(served, app, "203.0.113.9", `user${n}`)).status).toBe(200);
    }
    const sixth = await signUpFrom(served, app, "203.0.113.9", "user5");
    expect(sixth.status).toBe(429);
    expect(Number(sixth.retryAfter)).toBeGreaterThan(25 * 60);
    // Another visitor behind the same proxy is not held.
    expect((await signUpFrom(served, app, "198.51.100.4", "user6")).status).toBe(200);
  });

  it("counts refused attempts too: 25 in 5 minutes, on the web form and the API alike", async () => {
    const served = await serveTestInstance({ REGISTRATIONS: "open" });
    i = served;
    const app = await appToken(served);
    // Taken names: each attempt is refused with 422 and counted.
    await localUser(served, "taken");
    for (let n = 0; n < 20; n++) {
      expect((await signUpFrom(served, app, "203.0.113.50", "taken")).status).toBe(422);
    }
    const browser = browserBehind(served, "203.0.113.50");
    const csrf = await browser.csrfFrom("/auth/sign_up");
    const form = { csrf, ...person("taken"), agreement: "1" };
    for (let n = 0; n < 5; n++)
      expect((await browser.post("/auth/sign_up", form)).status).toBe(422);
    expect((await signUpFrom(served, app, "203.0.113.50", "fresh")).status).toBe(429);
    const page = await browser.post("/auth/sign_up", { ...form, username: "fresh" });
    expect(page.status).toBe(429);
    expect(page.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await page.text()).toContain("Too many sign-ups from your address");
  });
});

describe("two sign-ups with one e-mail address at once", () => {
  it("makes one account and answers the other ERR_TAKEN", async () => {
    i = await createTestInstance({ REGISTRATIONS: "open" });
    const app = await appToken(i);
    const [a, b] = await Promise.all([
      call(i, "POST", "/api/v1/accounts", { token: app, body: person("dora", "same@example.com") }),
      call(i, "POST", "/api/v1/accounts", { token: app, body: person("emil", "same@example.com") }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 422]);
    const refused = a.status === 422 ? a : b;
    expect(refused.json.details.email[0].error).toBe("ERR_TAKEN");
  });
});
