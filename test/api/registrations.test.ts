// Joining through the API: the registration modes as the instance entities and NodeInfo tell them,
// POST /api/v1/accounts as Mastodon answers it (Token, 422 details, 403 when closed), the confirmation
// e-mail written as an .eml file, and a new account's token that cannot post until confirmed and
// approved.
import { afterEach, describe, expect, it } from "vitest";
import { setRegistrationMode } from "../../src/domain/registrations.ts";
import { cliOn } from "../helpers/cli-in-process.ts";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { appToken, confirmationToken, mailFiles } from "../helpers/sign-up.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const signUp = (instance: TestInstance, token: string, body: Record<string, unknown>) =>
  call(instance, "POST", "/api/v1/accounts", { token, body });

const alice = {
  username: "alice",
  email: "alice@example.com",
  password: "a long enough password",
  agreement: true,
  locale: "en",
};

describe("registration modes", () => {
  it("each mode is told the same by /api/v1/instance, /api/v2/instance and NodeInfo", async () => {
    i = await createTestInstance();
    const expected = {
      open: [true, false],
      approval: [true, true],
      invite: [false, false],
      closed: [false, false],
    } as const;
    // REGISTRATIONS's default is approval; each mode set at runtime then wins.
    for (const mode of ["approval", "open", "invite", "closed"] as const) {
      if (mode !== "approval") await setRegistrationMode(i.deps.db, mode);
      const [enabled, approval] = expected[mode];
      const v1 = (await call(i, "GET", "/api/v1/instance")).json;
      expect([mode, v1.registrations, v1.approval_required]).toEqual([mode, enabled, approval]);
      const v2 = (await call(i, "GET", "/api/v2/instance")).json.registrations;
      expect([mode, v2.enabled, v2.approval_required]).toEqual([mode, enabled, approval]);
      expect(v2.message === null).toBe(enabled);
      const nodeinfo = await i.app.request("/nodeinfo/2.1");
      expect((await nodeinfo.json()).openRegistrations).toBe(enabled);
    }
  });

  it("REGISTRATIONS sets the default mode", async () => {
    i = await createTestInstance({ REGISTRATIONS: "closed" });
    expect((await call(i, "GET", "/api/v1/instance")).json.registrations).toBe(false);
  });
});

describe("POST /api/v1/accounts", () => {
  it("in open mode answers a Token that works once the e-mail link is followed", async () => {
    i = await createTestInstance({ REGISTRATIONS: "open", INSTANCE_NAME: "Pixel Garden" });
    const app = await appToken(i);
    const res = await signUp(i, app, alice);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: "Bearer", scope: "read write follow" });
    expect(res.json.created_at).toEqual(expect.any(Number));
    const token = res.json.access_token as string;

    // Not confirmed: Mastodon's 403 for every user action.
    const early = await call(i, "POST", "/api/v1/statuses", { token, body: { status: "hi" } });
    expect(early.status).toBe(403);
    expect(early.json.error).toBe("Your login is missing a confirmed e-mail address");
    const stream = await call(i, "GET", "/api/v1/streaming/user", { token });
    expect(stream.status).toBe(403);

    const [eml, ...others] = mailFiles(i);
    expect(others).toHaveLength(0);
    expect(eml).toContain("To: alice@example.com");
    expect(eml).toContain("Subject: Confirm your e-mail address for Pixel Garden");
    expect(eml).toContain("Content-Type: text/plain");
    expect(eml).toContain("Content-Type: text/html");
    const web = new PageClient(i.app);
    // Signing in on the web waits for the confirmation too.
    const refused = await web.signIn("alice", alice.password);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain("not confirmed yet");

    const confirm = await web.get(`/auth/confirmation?token=${confirmationToken(eml!)}`);
    expect(confirm.res.status).toBe(200);
    expect(confirm.body).toContain("Address confirmed");
    // Single use.
    const again = await web.get(`/auth/confirmation?token=${confirmationToken(eml!)}`);
    expect(again.res.status).toBe(404);

    const posted = await call(i, "POST", "/api/v1/statuses", { token, body: { status: "hi" } });
    expect(posted.status).toBe(200);
    const me = await call(i, "GET", "/api/v1/accounts/verify_credentials", { token });
    expect(me.json.username).toBe("alice");
    expect((await web.signIn("alice", alice.password)).status).toBe(303);
  });

  it("answers 422 with Mastodon's details for a taken, a reserved and a malformed sign-up", async () => {
    i = await createTestInstance({ REGISTRATIONS: "open" });
    await localUser(i, "bob");
    const app = await appToken(i);
    const taken = await signUp(i, app, { ...alice, username: "BOB" });
    expect(taken.status).toBe(422);
    expect(taken.json.error).toMatch(/^Validation failed: /);
    expect(taken.json.details).toEqual({
      username: [{ error: "ERR_TAKEN", description: 'Username "BOB" is already taken' }],
    });
    for (const name of ["admin", "root", "support", "instance"]) {
      const reserved = await signUp(i, app, { ...alice, username: name });
      expect([name, reserved.json.details.username[0].error]).toEqual([name, "ERR_RESERVED"]);
    }
    const bad = await signUp(i, app, {
      username: "x".repeat(31),
      email: "not an address",
      password: "short",
      agreement: false,
    });
    expect(bad.status).toBe(422);
    const codes = Object.fromEntries(
      Object.entries(bad.json.details as Record<string, { error: string }[]>).map(([k, v]) => [
        k,
        v.map((p) => p.error),
      ]),
    );
    expect(codes).toEqual({
      username: ["ERR_TOO_LONG"],
      email: ["ERR_INVALID"],
      password: ["ERR_TOO_SHORT"],
      agreement: ["ERR_ACCEPTED"],
    });
    const blank = await signUp(i, app, {});
    expect(Object.keys(blank.json.details).sort()).toEqual([
      "agreement",
      "email",
      "password",
      "username",
    ]);
    expect(blank.json.details.username[0].error).toBe("ERR_BLANK");
    // The e-mail address is taken once used.
    expect((await signUp(i, app, alice)).status).toBe(200);
    const sameEmail = await signUp(i, app, {
      ...alice,
      username: "alice2",
      email: "ALICE@example.com",
    });
    expect(sameEmail.json.details).toEqual({
      email: [{ error: "ERR_TAKEN", description: "This e-mail address is already in use" }],
    });
    // Nothing was made for the refused ones.
    expect(mailFiles(i)).toHaveLength(1);
  });

  it("is refused with 403 in closed and invite modes, and to a user's token", async () => {
    i = await createTestInstance({ REGISTRATIONS: "closed" });
    const app = await appToken(i);
    const closed = await signUp(i, app, alice);
    expect(closed.status).toBe(403);
    expect(closed.json).toEqual({ error: "This action is not allowed" });
    await setRegistrationMode(i.deps.db, "invite");
    expect((await signUp(i, app, alice)).status).toBe(403);
    await setRegistrationMode(i.deps.db, "open");
    const { token: userToken } = await localUser(i, "carol");
    expect((await signUp(i, userToken, alice)).status).toBe(403);
    expect((await call(i, "POST", "/api/v1/accounts", { body: alice })).status).toBe(401);
    expect(mailFiles(i)).toHaveLength(0);
  });

  it("in approval mode waits for an administrator: user approve lets it act, user reject deletes it", async () => {
    i = await createTestInstance();
    const boss = ["--password", "a long enough password", "--admin", "--email", "boss@example.com"];
    expect((await cliOn(i, "user", "create", "boss", ...boss)).code).toBe(0);
    const app = await appToken(i);
    const noReason = await signUp(i, app, alice);
    expect(noReason.json.details.reason[0].error).toBe("ERR_BLANK");
    const res = await signUp(i, app, { ...alice, reason: "I draw with prompts." });
    expect(res.status).toBe(200);
    const token = res.json.access_token as string;
    const sent = () => mailFiles(i!);
    const about = (subject: string) => sent().filter((m) => m.includes(`Subject: ${subject}`));
    await new PageClient(i.app).get(
      `/auth/confirmation?token=${confirmationToken(about("Confirm your")[0]!)}`,
    );
    // The administrator was told, with the reason.
    const [notice] = about("New sign-up waiting for approval on Atelier: @alice");
    expect(notice).toContain("To: boss@example.com");
    expect(notice).toContain("I draw with prompts.");
    const waiting = await call(i, "POST", "/api/v1/statuses", { token, body: { status: "hi" } });
    expect(waiting.status).toBe(403);
    expect(waiting.json.error).toBe("Your login is currently pending approval");

    expect((await cliOn(i, "user", "list")).stdout).toMatch(/alice .* waiting for approval/);
    const approved = await cliOn(i, "user", "approve", "alice");
    expect(approved.stdout).toContain("Approved @alice;");
    expect(about("Your account on Atelier is approved")[0]).toContain("To: alice@example.com");
    expect((await cliOn(i, "user", "approve", "alice")).stderr).toContain("not waiting");
    const posted = await call(i, "POST", "/api/v1/statuses", { token, body: { status: "hi" } });
    expect(posted.status).toBe(200);
    expect((await cliOn(i, "user", "list")).stdout).toMatch(/alice .* active/);

    const dave = await signUp(i, app, {
      ...alice,
      username: "dave",
      email: "dave@example.com",
      reason: "Spam, honestly.",
    });
    expect((await cliOn(i, "user", "reject", "dave")).stdout).toContain("Rejected @dave");
    expect(about("Your sign-up on Atelier was not approved")[0]).toContain("To: dave@example.com");
    // The token went with the account, and the name is free again.
    const gone = await call(i, "GET", "/api/v1/accounts/verify_credentials", {
      token: dave.json.access_token,
    });
    expect(gone.status).toBe(401);
    const lookup = await call(i, "GET", "/api/v1/accounts/lookup?acct=dave");
    expect(lookup.status).toBe(404);
  });
});

describe("invites", () => {
  it("an invite link lets people in while registrations are invite-only, up to its uses", async () => {
    i = await createTestInstance({ REGISTRATIONS: "invite" });
    expect((await call(i, "GET", "/api/v1/instance")).json.invites_enabled).toBe(true);
    const made = await cliOn(i, "invite", "create", "--uses", "1", "--days", "7");
    expect(made.code).toBe(0);
    const link = made.stdout.split("\n")[0]!;
    expect(link).toMatch(/^http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]{16}$/);
    expect(made.stdout).toMatch(/1 use\(s\), until \d{4}-/);
    const code = link.split("/").pop()!;
    const app = await appToken(i);

    expect((await signUp(i, app, alice)).status).toBe(403);
    expect((await signUp(i, app, { ...alice, invite_code: "wrong" })).status).toBe(403);
    const res = await signUp(i, app, { ...alice, invite_code: code });
    expect(res.status).toBe(200);
    // Invited accounts need no approval: confirming the address is enough.
    await new PageClient(i.app).get(
      `/auth/confirmation?token=${confirmationToken(mailFiles(i)[0]!)}`,
    );
    const posted = await call(i, "POST", "/api/v1/statuses", {
      token: res.json.access_token,
      body: { status: "hi" },
    });
    expect(posted.status).toBe(200);

    // Used up.
    const second = await signUp(i, app, {
      ...alice,
      username: "bea",
      email: "bea@example.com",
      invite_code: code,
    });
    expect(second.status).toBe(403);
    expect((await cliOn(i, "invite", "list")).stdout).toContain(`${link}\t1/1 used`);
    expect((await cliOn(i, "invite", "create", "--uses", "many")).code).toBe(2);
  });

  it("the invite link opens the web sign-up form, which asks no reason in approval mode", async () => {
    i = await createTestInstance();
    const link = (await cliOn(i, "invite", "create")).stdout.split("\n")[0]!;
    const web = new PageClient(i.app);
    const path = new URL(link).pathname;
    const opened = await web.request(path);
    expect(opened.status).toBe(303);
    const form = await web.get(opened.headers.get("location")!);
    expect(form.body).toContain('name="invite"');
    expect(form.body).not.toContain('name="reason"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const done = await web.post("/auth/sign_up", {
      csrf,
      invite: path.split("/").pop()!,
      username: "hana",
      email: "hana@example.com",
      password: "a long enough password",
      agreement: "1",
    });
    expect(done.status).toBe(200);
    expect(await done.text()).not.toContain("An administrator also reviews");
    await web.get(`/auth/confirmation?token=${confirmationToken(mailFiles(i)[0]!)}`);
    expect((await web.signIn("hana", "a long enough password")).status).toBe(303);
  });
});
