// Two-factor sign-in through the pages: set up with the secret the page shows, confirmed by a code the
// test computes with otpauth; then the web sign-in and the OAuth authorize sign-in ask for a code after
// the password, refuse a code used already, take a recovery code once, and throttle wrong codes.
import { Secret, TOTP } from "otpauth";
import { afterEach, describe, expect, it } from "vitest";
import { registerApplication } from "../../src/domain/oauth.ts";
import { formFields } from "../api/oauth-flow.ts";
import { localUser, PASSWORD } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

/** The code the authenticator app shows `offsetS` seconds from now. */
const codeOf = (secret: string, offsetS = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetS * 1000,
  });

const field = (body: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1] ?? "";

/** alice, signed in on `web`, turns two-factor sign-in on through the settings pages. */
async function enable(web: PageClient) {
  expect((await web.signIn("alice")).status).toBe(303);
  const off = await web.get("/settings/two_factor");
  expect(off.body).toContain("Set up two-factor sign-in");
  const csrf = await web.csrfFrom("/settings/two_factor");
  const setup = await (await web.post("/settings/two_factor/setup", { csrf })).text();
  const secret = /id="otp-secret">([A-Z2-7]+)</.exec(setup)?.[1] ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(setup).toMatch(/id="otp-uri">otpauth:\/\/totp\/[^<]*secret=/);
  expect(setup).toContain("<svg");
  // Reloading the page shows the same secret until it is confirmed.
  expect((await web.get("/settings/two_factor")).body).toContain(secret);
  const wrong = await web.post("/settings/two_factor/confirm", { csrf, code: "000000" });
  expect(wrong.status).toBe(401);
  const confirmed = await web.post("/settings/two_factor/confirm", { csrf, code: codeOf(secret) });
  expect(confirmed.status).toBe(200);
  const page = await confirmed.text();
  const codes = [...page.matchAll(/<li><code>([0-9a-f-]+)<\/code><\/li>/g)].map((m) => m[1]!);
  expect(codes).toHaveLength(10);
  // From now on the secret is not shown again.
  const on = await web.get("/settings/two_factor");
  expect(on.body).not.toContain(secret);
  expect(on.body).toContain("10 recovery codes left");
  return { secret, codes };
}

async function signOut(web: PageClient) {
  const csrf = await web.csrfFrom("/settings/two_factor");
  expect((await web.post("/auth/sign_out", { csrf })).status).toBe(303);
}

/** Password first; returns the code page's ticket. */
async function password(web: PageClient) {
  const res = await web.signIn("alice");
  expect(res.status).toBe(200);
  const body = await res.text();
  expect(body).toContain('autocomplete="one-time-code"');
  expect(web.cookies.has("atelier_session")).toBe(false);
  return { csrf: field(body, "csrf"), ticket: field(body, "ticket") };
}

describe("two-factor sign-in on the web", () => {
  it("asks for the code after the password, refuses a used one and takes a recovery code once", async () => {
    i = await createTestInstance();
    await localUser(i, "alice");
    const web = new PageClient(i.app);
    const { secret, codes } = await enable(web);
    await signOut(web);
    expect((await web.get("/home")).res.status).toBe(303);

    const step = await password(web);
    // The code that confirmed the setup is used up for its window.
    const replay = await web.post("/auth/sign_in/two_factor", { ...step, code: codeOf(secret) });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain("not right (or was used already)");
    const forged = await web.post("/auth/sign_in/two_factor", {
      csrf: step.csrf,
      ticket: `${step.ticket}x`,
      code: codeOf(secret, 30),
    });
    expect(forged.status).toBe(403);
    const ok = await web.post("/auth/sign_in/two_factor", { ...step, code: codeOf(secret, 30) });
    expect(ok.status).toBe(303);
    expect((await web.get("/home")).res.status).toBe(200);
    await signOut(web);

    const again = await password(web);
    expect((await web.post("/auth/sign_in/two_factor", { ...again, code: codes[0]! })).status).toBe(
      303,
    );
    await signOut(web);
    const third = await password(web);
    expect((await web.post("/auth/sign_in/two_factor", { ...third, code: codes[0]! })).status).toBe(
      401,
    );
  });

  it("throttles wrong codes like wrong passwords", async () => {
    i = await createTestInstance();
    await localUser(i, "alice");
    const web = new PageClient(i.app);
    const { secret } = await enable(web);
    await signOut(web);
    const step = await password(web);
    // The wrong code typed while setting up counted already: four more make the five allowed.
    for (let n = 0; n < 4; n++) {
      const res = await web.post("/auth/sign_in/two_factor", { ...step, code: "111111" });
      expect(res.status).toBe(401);
    }
    const held = await web.post("/auth/sign_in/two_factor", { ...step, code: codeOf(secret, 30) });
    expect(held.status).toBe(429);
    expect(Number(held.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("turns off with the password and a code, and signing in asks for the password only again", async () => {
    i = await createTestInstance();
    await localUser(i, "alice");
    const web = new PageClient(i.app);
    const { secret, codes } = await enable(web);
    const csrf = await web.csrfFrom("/settings/two_factor");
    const regenerated = await web.post("/settings/two_factor/recovery_codes", {
      csrf,
      code: codeOf(secret, 30),
    });
    const fresh = [...(await regenerated.text()).matchAll(/<li><code>([0-9a-f-]+)<\/code>/g)];
    expect(fresh).toHaveLength(10);
    expect(fresh.map((m) => m[1])).not.toContain(codes[0]);
    const refused = await web.post("/settings/two_factor/disable", {
      csrf,
      password: "not the password",
      code: fresh[0]![1]!,
    });
    expect(refused.status).toBe(401);
    const oldCode = await web.post("/settings/two_factor/disable", {
      csrf,
      password: PASSWORD,
      code: codes[1]!,
    });
    expect(oldCode.status).toBe(401);
    const off = await web.post("/settings/two_factor/disable", {
      csrf,
      password: PASSWORD,
      code: fresh[0]![1]!,
    });
    expect(off.status).toBe(303);
    await signOut(web);
    expect((await web.signIn("alice")).status).toBe(303);
  });
});

describe("two-factor sign-in on the OAuth authorize page", () => {
  it("asks for the code before the consent page", async () => {
    i = await createTestInstance();
    await localUser(i, "alice");
    const web = new PageClient(i.app);
    const { secret } = await enable(web);
    const { application } = await registerApplication(i.deps.db, {
      name: "Pinafore",
      redirectUris: ["urn:ietf:wg:oauth:2.0:oob"],
      scopes: "read",
    });
    const query = new URLSearchParams({
      response_type: "code",
      client_id: application.clientId,
      redirect_uri: "urn:ietf:wg:oauth:2.0:oob",
      scope: "read",
    });
    const app = new PageClient(i.app);
    const page = await app.get(`/oauth/authorize?${query}`);
    const submit = (fields: Record<string, string>) => app.post("/oauth/authorize", fields);
    const signIn = await submit({
      ...formFields(page.body),
      username: "alice",
      password: PASSWORD,
    });
    const codePage = await signIn.text();
    expect(signIn.status).toBe(200);
    expect(codePage).toContain('name="step" value="second_factor"');
    expect(codePage).not.toContain("Authorize Pinafore?");
    const wrong = await submit({ ...formFields(codePage), code: "000000" });
    expect(wrong.status).toBe(401);
    const right = await submit({ ...formFields(codePage), code: codeOf(secret, 30) });
    const consent = await right.text();
    expect(right.status).toBe(200);
    expect(consent).toContain("Authorize Pinafore?");
    const decided = await submit({ ...formFields(consent), decision: "authorize" });
    expect(await decided.text()).toMatch(/<code id="authorization-code">[^<]+<\/code>/);
    // The same code again is refused.
    const replay = await submit({ ...formFields(codePage), code: codeOf(secret, 30) });
    expect(replay.status).toBe(401);
  });
});
