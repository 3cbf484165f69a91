// Account recovery through the pages and the e-mails the instance writes to DATA_DIR/mail: "forgot
// password" answers the same for every address and mails a single-use, expiring link that sets a new
// password and ends every session and token; a new e-mail address takes effect only once its link is
// followed, and the old address is told.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { users } from "../../src/db/schema/index.ts";
import { RESET_VALID_MS } from "../../src/domain/password-reset.ts";
import { localUser, PASSWORD } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { linkToken, mailFiles } from "../helpers/sign-up.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const NEW_PASSWORD = "a fresh and long passphrase";

async function aliceWithEmail(instance: TestInstance) {
  const alice = await localUser(instance, "alice");
  await instance.deps.db
    .update(users)
    .set({ email: "alice@example.com" })
    .where(eq(users.accountId, alice.account.id));
  return alice;
}

const verify = (instance: TestInstance, token: string) =>
  instance.app.request("/api/v1/accounts/verify_credentials", {
    headers: { authorization: `Bearer ${token}` },
  });

describe("password reset", () => {
  it("gives one answer for any address and mails a link that sets a new password once", async () => {
    i = await createTestInstance();
    const alice = await aliceWithEmail(i);
    const signedIn = new PageClient(i.app);
    expect((await signedIn.signIn("alice")).status).toBe(303);
    const web = new PageClient(i.app);
    expect((await web.get("/auth/sign_in")).body).toContain('href="/auth/password/new"');

    const csrf = await web.csrfFrom("/auth/password/new");
    const stranger = await web.post("/auth/password/new", { csrf, email: "who@example.com" });
    const known = await web.post("/auth/password/new", { csrf, email: "ALICE@example.com" });
    const answer = async (res: Response) =>
      [res.status, /<p role="status">([^<]*)<\/p>/.exec(await res.text())?.[1]] as const;
    const [a, b] = [await answer(stranger), await answer(known)];
    expect(a).toEqual(b);
    expect(a[1]).toContain("If an account has this address");
    const mails = mailFiles(i);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain("To: alice@example.com");
    expect(mails[0]).toContain("Content-Type: text/html");
    const token = linkToken(mails[0]!, "/auth/password/edit")!;
    expect(token).toBeTruthy();
    // Only a hash is stored.
    const row = (
      await i.deps.db.select().from(users).where(eq(users.accountId, alice.account.id))
    )[0]!;
    expect(row.resetPasswordTokenHash).not.toBe(token);

    const form = await web.get(`/auth/password/edit?token=${token}`);
    expect(form.res.status).toBe(200);
    const short = await web.post("/auth/password/edit", {
      csrf,
      token,
      password: "short",
      password_confirmation: "short",
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("Password is too short");
    const done = await web.post("/auth/password/edit", {
      csrf,
      token,
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    });
    expect(done.status).toBe(200);
    // Every browser and token of alice ended; the old password no longer signs in, the new one does.
    expect((await signedIn.get("/home")).res.status).toBe(303);
    expect((await verify(i, alice.token)).status).toBe(401);
    expect((await new PageClient(i.app).signIn("alice")).status).toBe(401);
    expect((await new PageClient(i.app).signIn("alice", NEW_PASSWORD)).status).toBe(303);
    // The link worked once.
    expect((await web.get(`/auth/password/edit?token=${token}`)).res.status).toBe(404);
    const reuse = await web.post("/auth/password/edit", {
      csrf,
      token,
      password: PASSWORD,
      password_confirmation: PASSWORD,
    });
    expect(reuse.status).toBe(404);
  });

  it("does not take a link older than an hour", async () => {
    i = await createTestInstance();
    const alice = await aliceWithEmail(i);
    const web = new PageClient(i.app);
    const csrf = await web.csrfFrom("/auth/password/new");
    await web.post("/auth/password/new", { csrf, email: "alice@example.com" });
    const token = linkToken(mailFiles(i)[0]!, "/auth/password/edit")!;
    await i.deps.db
      .update(users)
      .set({ resetPasswordSentAt: new Date(Date.now() - RESET_VALID_MS - 1000) })
      .where(eq(users.accountId, alice.account.id));
    expect((await web.get(`/auth/password/edit?token=${token}`)).res.status).toBe(404);
    const late = await web.post("/auth/password/edit", {
      csrf,
      token,
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    });
    expect(late.status).toBe(404);
    expect((await web.signIn("alice")).status).toBe(303);
  });
});

describe("changing the e-mail address", () => {
  it("keeps the old address until the new one's link is followed, and tells the old one", async () => {
    i = await createTestInstance();
    const alice = await aliceWithEmail(i);
    await localUser(i, "bob");
    const web = new PageClient(i.app);
    expect((await web.signIn("alice")).status).toBe(303);
    const csrf = await web.csrfFrom("/settings/security");
    const wrong = await web.post("/settings/email", {
      csrf,
      email: "new@example.com",
      current_password: "not it",
    });
    expect(wrong.status).toBe(401);
    const invalid = await web.post("/settings/email", {
      csrf,
      email: "not an address",
      current_password: PASSWORD,
    });
    expect(invalid.status).toBe(422);
    expect(mailFiles(i)).toHaveLength(0);

    const asked = await web.post("/settings/email", {
      csrf,
      email: "new@example.com",
      current_password: PASSWORD,
    });
    expect(asked.status).toBe(303);
    const mails = mailFiles(i);
    expect(mails).toHaveLength(2);
    const toNew = mails.find((m) => m.includes("To: new@example.com"))!;
    const toOld = mails.find((m) => m.includes("To: alice@example.com"))!;
    expect(toOld).toContain("new@example.com");
    expect(linkToken(toOld, "/auth/email_change")).toBeNull();
    const token = linkToken(toNew, "/auth/email_change")!;
    const email = async () =>
      (await i!.deps.db.select().from(users).where(eq(users.accountId, alice.account.id)))[0]!
        .email;
    expect(await email()).toBe("alice@example.com");
    expect((await web.get("/settings/security")).body).toContain("Waiting for confirmation");

    expect((await web.get("/auth/email_change?token=wrong")).res.status).toBe(404);
    const followed = await new PageClient(i.app).get(`/auth/email_change?token=${token}`);
    expect(followed.res.status).toBe(200);
    expect(await email()).toBe("new@example.com");
    expect((await web.get(`/auth/email_change?token=${token}`)).res.status).toBe(404);
    // A password reset now goes to the new address.
    const reset = new PageClient(i.app);
    const resetCsrf = await reset.csrfFrom("/auth/password/new");
    await reset.post("/auth/password/new", { csrf: resetCsrf, email: "new@example.com" });
    expect(mailFiles(i).at(-1)).toContain("To: new@example.com");
  });
});
