// Joining on the web: the sign-in page links to sign-up while anyone may ask, the sign-up form shows
// each field's problem beside it (the same rule as POST /api/v1/accounts), and in approval mode an
// administrator approves the applicant on the admin page, where the mode is changed too.
import { afterEach, describe, expect, it } from "vitest";
import { addInstanceRule } from "../../src/domain/instance-rules.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { confirmationToken, mailFiles } from "../helpers/sign-up.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const PASSWORD = "a long enough password";

async function submit(web: PageClient, fields: Record<string, string>) {
  const csrf = await web.csrfFrom("/auth/sign_up");
  const res = await web.post("/auth/sign_up", { csrf, ...fields });
  return { status: res.status, body: await res.text() };
}

describe("web sign-up", () => {
  it("shows each field's problem beside it, then signs up and confirms by the e-mail's link", async () => {
    i = await createTestInstance({ REGISTRATIONS: "open" });
    await addInstanceRule(i.deps.db, { text: "Label AI images" });
    await localUser(i, "bob");
    const web = new PageClient(i.app);
    const signIn = await web.get("/auth/sign_in");
    expect(signIn.body).toContain('href="/auth/sign_up"');
    const form = await web.get("/auth/sign_up");
    expect(form.body).toContain("<strong>Label AI images</strong>");

    const refused = await submit(web, {
      username: "bob",
      email: "nope",
      password: "short",
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatch(/id="username-error">Username &quot;bob&quot; is already taken/);
    expect(refused.body).toContain('id="email-error">This is not an e-mail address');
    expect(refused.body).toContain('id="password-error">Password is too short');
    expect(refused.body).toContain('id="agreement-error">The rules must be accepted');
    // What was typed stays, except the password.
    expect(refused.body).toContain('value="bob"');
    const reserved = await submit(web, {
      username: "admin",
      email: "a@b.example",
      password: PASSWORD,
      agreement: "1",
    });
    expect(reserved.body).toContain('id="username-error">Username &quot;admin&quot; is reserved');

    const done = await submit(web, {
      username: "erin",
      email: "erin@example.com",
      password: PASSWORD,
      agreement: "1",
    });
    expect(done.status).toBe(200);
    expect(done.body).toContain("Check your e-mail");
    const [eml] = mailFiles(i);
    expect(eml).toContain("To: erin@example.com");
    expect((await web.signIn("erin", PASSWORD)).status).toBe(401);

    // A lost e-mail is sent again from the sign-in page; the new link replaces the old one, and an
    // unknown address gets the same answer and no e-mail.
    expect((await web.get("/auth/sign_in")).body).toContain('href="/auth/confirmation/new"');
    const csrf = await web.csrfFrom("/auth/confirmation/new");
    const unknown = await web.post("/auth/confirmation/new", { csrf, email: "who@example.com" });
    const resent = await web.post("/auth/confirmation/new", { csrf, email: "ERIN@example.com" });
    const answer = async (res: Response) =>
      [res.status, /<p role="status">([^<]*)<\/p>/.exec(await res.text())?.[1]] as const;
    const [known, stranger] = [await answer(resent), await answer(unknown)];
    expect(known).toEqual(stranger);
    expect(known[1]).toContain("a new link is on its way");
    const mails = mailFiles(i);
    expect(mails).toHaveLength(2);
    const fresh = mails.find((m) => confirmationToken(m) !== confirmationToken(eml!))!;
    expect((await web.get(`/auth/confirmation?token=${confirmationToken(eml!)}`)).res.status).toBe(
      404,
    );
    await web.get(`/auth/confirmation?token=${confirmationToken(fresh)}`);
    expect((await web.signIn("erin", PASSWORD)).status).toBe(303);
  });

  it("in approval mode an administrator approves the sign-up on the admin page", async () => {
    i = await createTestInstance();
    await localUser(i, "boss", { admin: true });
    const applicant = new PageClient(i.app);
    const done = await submit(applicant, {
      username: "frank",
      email: "frank@example.com",
      password: PASSWORD,
      agreement: "1",
      reason: "I paint with prompts.",
    });
    expect(done.body).toContain("An administrator also reviews your sign-up");
    await applicant.get(`/auth/confirmation?token=${confirmationToken(mailFiles(i)[0]!)}`);
    const waiting = await applicant.signIn("frank", PASSWORD);
    expect(await waiting.text()).toContain("waiting for an administrator");

    const admin = new PageClient(i.app);
    await admin.signIn("boss");
    const page = await admin.get("/admin/registrations");
    expect(page.body).toContain("@frank");
    expect(page.body).toContain("I paint with prompts.");
    const csrf = await admin.csrfFrom("/admin/registrations");
    const approved = await admin.post("/admin/registrations/frank/approve", { csrf });
    expect(approved.headers.get("location")).toBe("/admin/registrations?done=approved");
    expect((await admin.get("/admin/registrations")).body).toContain("No sign-up is waiting.");
    expect((await applicant.signIn("frank", PASSWORD)).status).toBe(303);
  });

  it("an administrator closes sign-up on the admin page: the form and the link go away", async () => {
    i = await createTestInstance();
    await localUser(i, "boss", { admin: true });
    const admin = new PageClient(i.app);
    await admin.signIn("boss");
    const csrf = await admin.csrfFrom("/admin/registrations");
    const saved = await admin.post("/admin/registrations", { csrf, mode: "closed" });
    expect(saved.status).toBe(303);
    expect((await admin.get("/admin/registrations")).body).toMatch(/value="closed" checked/);
    const bad = await admin.post("/admin/registrations", { csrf, mode: "whatever" });
    expect(bad.status).toBe(400);

    const visitor = new PageClient(i.app);
    expect((await visitor.get("/auth/sign_up")).res.status).toBe(403);
    expect((await visitor.get("/auth/sign_in")).body).not.toContain('href="/auth/sign_up"');
    expect((await visitor.get("/about")).body).toContain("not taking new accounts");
  });

  it("an administrator makes an invite link on the admin page that lets one person in", async () => {
    i = await createTestInstance({ REGISTRATIONS: "invite" });
    await localUser(i, "boss", { admin: true });
    const admin = new PageClient(i.app);
    await admin.signIn("boss");
    const csrf = await admin.csrfFrom("/admin/registrations");
    const bad = await admin.post("/admin/invites", { csrf, uses: "0", days: "" });
    expect(bad.status).toBe(400);
    const made = await admin.post("/admin/invites", { csrf, uses: "1", days: "3" });
    expect(made.headers.get("location")).toBe("/admin/registrations?done=invited");
    const page = (await admin.get("/admin/registrations")).body;
    const link =
      /<code>(http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]+)<\/code> · 0\/1 used · until/.exec(
        page,
      )?.[1];
    expect(link).toBeDefined();

    const visitor = new PageClient(i.app);
    expect((await visitor.get("/auth/sign_up")).res.status).toBe(403);
    const opened = await visitor.request(new URL(link!).pathname);
    const form = await visitor.get(opened.headers.get("location")!);
    expect(form.res.status).toBe(200);
    const formCsrf = /name="csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const done = await visitor.post("/auth/sign_up", {
      csrf: formCsrf,
      invite: link!.split("/").pop()!,
      username: "ivy",
      email: "ivy@example.com",
      password: PASSWORD,
      agreement: "1",
    });
    expect(done.status).toBe(200);
    expect((await admin.get("/admin/registrations")).body).toContain("1/1 used");
    // Used up: the link no longer opens the form.
    const again = await visitor.get(opened.headers.get("location")!);
    expect(again.res.status).toBe(403);
    expect(again.body).toContain("used up, expired or wrong");
  });

  it("asks the AI-data question plainly, off by default, and the language, which settings then show", async () => {
    i = await createTestInstance({ REGISTRATIONS: "open" });
    const web = new PageClient(i.app);
    const form = (await web.get("/auth/sign_up")).body;
    expect(form).toContain("May your images and prompts go into AI datasets?");
    expect(form).toMatch(/id="ai-data-no" name="ai_data_consent" value="0" checked/);
    expect(form).not.toMatch(/id="ai-data-yes"[^>]* checked/);
    expect(form).toContain('<option value="fr" lang="fr">Français</option>');

    // Unanswered means no; a language outside the list is refused beside its field.
    const odd = await submit(web, {
      username: "fanny",
      email: "fanny@example.com",
      password: PASSWORD,
      agreement: "1",
      locale: "not a language",
    });
    expect(odd.status).toBe(422);
    expect(odd.body).toContain('id="locale-error">Not a known language');
    const done = await submit(web, {
      username: "fanny",
      email: "fanny@example.com",
      password: PASSWORD,
      agreement: "1",
      locale: "fr",
      ai_data_consent: "1",
    });
    expect(done.status).toBe(200);
    const quiet = await submit(web, {
      username: "gus",
      email: "gus@example.com",
      password: PASSWORD,
      agreement: "1",
    });
    expect(quiet.status).toBe(200);

    const settingsOf = async (username: string, eml: string) => {
      const client = new PageClient(i!.app);
      await client.get(`/auth/confirmation?token=${confirmationToken(eml)}`);
      expect((await client.signIn(username, PASSWORD)).status).toBe(303);
      return (await client.get("/settings")).body;
    };
    const [fanny, gus] = mailFiles(i);
    const fannySettings = await settingsOf("fanny", fanny!);
    expect(fannySettings).toMatch(/id="ai_data_consent" name="ai_data_consent" value="1" checked/);
    expect(fannySettings).toMatch(/id="default_language"[^>]*value="fr"/);
    const gusSettings = await settingsOf("gus", gus!);
    expect(gusSettings).not.toMatch(/id="ai_data_consent"[^>]* checked/);
    expect(gusSettings).toMatch(/id="default_language"[^>]*value="en"/);
  });
});
