import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { userPassword } from "../../src/cli/users.ts";
import { oauthAuthorizationCodes, users } from "../../src/db/schema/index.ts";
import {
  issueAccessToken,
  issueAuthorizationCode,
  registerApplication,
} from "../../src/domain/oauth.ts";
import { localUser, PASSWORD } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const NEW_PASSWORD = "a brand new passphrase";

/** An instance with alice signed in twice (two browsers) and holding a token of a registered app. */
async function setUp() {
  i = await createTestInstance();
  const { db, urls } = i.deps;
  const alice = (await localUser({ db, urls }, "alice")).account;
  const { application } = await registerApplication(db, {
    name: "Pinafore",
    redirectUris: ["urn:ietf:wg:oauth:2.0:oob"],
    scopes: "read write",
  });
  const token = (
    await issueAccessToken(db, {
      applicationId: application.id,
      accountId: alice.id,
      scopes: ["read", "write"],
    })
  ).accessToken;
  await issueAuthorizationCode(
    db,
    {
      application,
      redirectUri: "urn:ietf:wg:oauth:2.0:oob",
      scopes: ["read"],
      state: null,
      codeChallenge: null,
    },
    alice.id,
  );
  const here = new PageClient(i.app);
  const elsewhere = new PageClient(i.app);
  expect((await here.signIn("alice")).status).toBe(303);
  expect((await elsewhere.signIn("alice")).status).toBe(303);
  const app = i.app;
  const verify = (bearer: string) =>
    app.request("/api/v1/accounts/verify_credentials", {
      headers: { authorization: `Bearer ${bearer}` },
    });
  expect((await verify(token)).status).toBe(200);
  const codes = async () =>
    await db
      .select()
      .from(oauthAuthorizationCodes)
      .where(eq(oauthAuthorizationCodes.accountId, alice.id));
  expect(await codes()).toHaveLength(1);
  return { instance: i, alice, application, token, here, elsewhere, verify, codes };
}

describe("changing the password on the web", () => {
  it("ends the other sessions and revokes app tokens and codes; this browser stays signed in", async () => {
    expect.hasAssertions();
    const { here, elsewhere, token, verify, codes } = await setUp();
    const csrf = await here.csrfFrom("/settings/security");
    const noCsrf = await here.post("/settings/password", {
      current_password: PASSWORD,
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    });
    expect(noCsrf.status).toBe(403);
    const res = await here.post("/settings/password", {
      csrf,
      current_password: PASSWORD,
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    });
    expect(res.status).toBe(303);
    expect((await verify(token)).status).toBe(401);
    expect(await codes()).toHaveLength(0);
    expect((await elsewhere.get("/settings")).res.status).toBe(303);
    expect((await here.get("/settings")).res.status).toBe(200);
    expect((await new PageClient(i!.app).signIn("alice")).status).toBe(401);
    expect((await new PageClient(i!.app).signIn("alice", NEW_PASSWORD)).status).toBe(303);
  });

  it("refuses a wrong current password, a mismatch and a short password, changing nothing", async () => {
    expect.hasAssertions();
    const { instance, alice, here, elsewhere, token, verify } = await setUp();
    const before = (
      await instance.deps.db.select().from(users).where(eq(users.accountId, alice.id)).limit(1)
    )[0]!;
    const csrf = await here.csrfFrom("/settings/security");
    const wrong = await here.post("/settings/password", {
      csrf,
      current_password: "not my password",
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("current password is not right");
    const mismatch = await here.post("/settings/password", {
      csrf,
      current_password: PASSWORD,
      password: NEW_PASSWORD,
      password_confirmation: `${NEW_PASSWORD}!`,
    });
    expect(mismatch.status).toBe(400);
    const short = await here.post("/settings/password", {
      csrf,
      current_password: PASSWORD,
      password: "short",
      password_confirmation: "short",
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("too short");
    const after = (
      await instance.deps.db.select().from(users).where(eq(users.accountId, alice.id)).limit(1)
    )[0]!;
    expect(after.passwordHash).toBe(before.passwordHash);
    expect((await verify(token)).status).toBe(200);
    expect((await elsewhere.get("/settings")).res.status).toBe(200);
  });
});

describe("resetting the password with the CLI", () => {
  it("ends every web session and revokes every token", async () => {
    expect.hasAssertions();
    const { instance, here, elsewhere, token, verify, codes } = await setUp();
    const out: string[] = [];
    await userPassword.run(["alice", "--password", NEW_PASSWORD], {
      config: instance.config,
      db: instance.deps.db,
      urls: instance.deps.urls,
      out: (l) => out.push(l),
      err: () => {},
    });
    expect(out.join("\n")).toContain("Password changed for alice");
    expect((await verify(token)).status).toBe(401);
    expect(await codes()).toHaveLength(0);
    expect((await here.get("/settings")).res.status).toBe(303);
    expect((await elsewhere.get("/settings")).res.status).toBe(303);
  });
});

describe("the security settings page", () => {
  it("lists the sessions (this one marked) and ends another one", async () => {
    expect.hasAssertions();
    const { here, elsewhere } = await setUp();
    const { body } = await here.get("/settings/security");
    expect(body).toContain("(this browser)");
    const revoke = [...body.matchAll(/action="(\/settings\/sessions\/[0-9a-f]+\/revoke)"/g)];
    expect(revoke).toHaveLength(1);
    const csrf = await here.csrfFrom("/settings/security");
    const res = await here.post(revoke[0]![1]!, { csrf });
    expect(res.status).toBe(303);
    expect((await elsewhere.get("/settings")).res.status).toBe(303);
    expect((await here.get("/settings")).res.status).toBe(200);
    // Another account's session id, or one already ended, is not found.
    expect((await here.post(revoke[0]![1]!, { csrf })).status).toBe(404);
  });

  it("lists the authorized apps and revokes one's tokens", async () => {
    expect.hasAssertions();
    const { here, application, token, verify, codes } = await setUp();
    const { body } = await here.get("/settings/security");
    expect(body).toContain("Pinafore");
    expect(body).toContain("read write");
    const csrf = await here.csrfFrom("/settings/security");
    const res = await here.post(`/settings/applications/${application.id}/revoke`, { csrf });
    expect(res.status).toBe(303);
    expect((await verify(token)).status).toBe(401);
    expect(await codes()).toHaveLength(0);
    expect((await here.get("/settings/security")).body).not.toContain("Pinafore");
    expect((await here.get("/settings")).res.status).toBe(200);
  });
});
