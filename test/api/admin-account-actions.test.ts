// Mastodon's account actions through the admin API, seen as clients see them: a warning reaches the user
// as a moderation_warning notification (and by e-mail); a limited account leaves public timelines and
// search for those who do not follow it; a sensitized one's new posts are sensitive; a suspended remote
// account is hidden and its follows end; each can be undone, an action on a report resolves it, and
// everything is in the audit log.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { users } from "../../src/db/schema/index.ts";
import { fileReport } from "../../src/domain/reports.ts";
import { call, follow, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { mailFiles } from "../helpers/sign-up.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const ids = (list: { id: string }[]) => list.map((x) => x.id);

async function setUp() {
  i = await createTestInstance();
  const boss = await localUser(i, "boss", { admin: true, scopes: "admin:read admin:write read" });
  const alice = await localUser(i, "alice", "read write follow");
  const fan = await localUser(i, "fan", "read write follow");
  const stranger = await localUser(i, "stranger", "read write follow");
  return { boss, alice, fan, stranger };
}

const act = (token: string, id: string, body: Record<string, unknown>) =>
  call(i!, "POST", `/api/v1/admin/accounts/${id}/action`, { token, body });

describe("admin account actions", () => {
  it("warns a user with a note: a moderation_warning notification and an e-mail", async () => {
    const { boss, alice } = await setUp();
    await i!.deps.db
      .update(users)
      .set({ email: "alice@example.com" })
      .where(eq(users.accountId, alice.account.id));
    const res = await act(boss.token, alice.account.id, {
      type: "none",
      text: "Please add alt text to your images.",
    });
    expect([res.status, res.json]).toEqual([200, {}]);
    const list = await call(i!, "GET", "/api/v1/notifications", { token: alice.token });
    const warned = list.json.find((n: { type: string }) => n.type === "moderation_warning");
    expect(warned).toMatchObject({
      account: { id: boss.account.id },
      moderation_warning: {
        id: expect.stringMatching(/^\d+$/),
        action: "none",
        text: "Please add alt text to your images.",
        status_ids: [],
        target_account: { id: alice.account.id },
        appeal: null,
      },
    });
    const grouped = await call(i!, "GET", "/api/v2/notifications", { token: alice.token });
    expect(grouped.json.notification_groups[0]).toMatchObject({
      type: "moderation_warning",
      moderation_warning: { text: "Please add alt text to your images." },
    });
    const mail = mailFiles(i!).find((m) => m.includes("To: alice@example.com"));
    expect(mail).toContain("sent you a warning");
    expect(mail).toContain("Please add alt text to your images.");
    // send_email_notification=false keeps it to the record and the log.
    await act(boss.token, alice.account.id, { type: "none", send_email_notification: false });
    const after = await call(i!, "GET", "/api/v1/notifications", { token: alice.token });
    expect(
      after.json.filter((n: { type: string }) => n.type === "moderation_warning"),
    ).toHaveLength(1);
  });

  it("limits an account: out of public timelines and search for non-followers, until unsilenced", async () => {
    const { boss, alice, fan, stranger } = await setUp();
    await follow(i!, fan.account, alice.account);
    const post = await status(i!, alice.account, {
      content: "<p>lighthouse at dusk</p>",
      images: 1,
    });
    const inExplore = async (as?: string) => {
      const client = new PageClient(i!.app);
      if (as) await client.signIn(as);
      return (await client.get("/explore")).body.includes(`/@alice/${post.id}`);
    };
    expect(await inExplore()).toBe(true);
    const inPublic = async (token?: string) =>
      ids((await call(i!, "GET", "/api/v1/timelines/public", token ? { token } : {})).json);
    expect(await inPublic()).toContain(post.id);

    await act(boss.token, alice.account.id, { type: "silence", text: "Spam replies" });
    expect(await inPublic()).not.toContain(post.id);
    expect(await inPublic(stranger.token)).not.toContain(post.id);
    expect(await inPublic(fan.token)).toContain(post.id);
    expect(await inPublic(alice.token)).toContain(post.id);
    // The explore gallery is the public timeline's images: the same rule.
    expect([await inExplore(), await inExplore("stranger"), await inExplore("fan")]).toEqual([
      false,
      false,
      true,
    ]);
    const search = async (token: string) =>
      ids((await call(i!, "GET", "/api/v1/accounts/search?q=alice", { token })).json);
    expect(await search(stranger.token)).not.toContain(alice.account.id);
    expect(await search(fan.token)).toContain(alice.account.id);
    const shown = await call(i!, "GET", `/api/v1/accounts/${alice.account.id}`, {
      token: stranger.token,
    });
    expect(shown.json.limited).toBe(true);
    const admin = await call(i!, "GET", `/api/v1/admin/accounts/${alice.account.id}`, {
      token: boss.token,
    });
    expect(admin.json.silenced).toBe(true);

    const undone = await call(i!, "POST", `/api/v1/admin/accounts/${alice.account.id}/unsilence`, {
      token: boss.token,
    });
    expect([undone.status, undone.json.silenced]).toEqual([200, false]);
    expect(await inPublic()).toContain(post.id);
    const again = await call(i!, "POST", `/api/v1/admin/accounts/${alice.account.id}/unsilence`, {
      token: boss.token,
    });
    expect(again.status).toBe(409);
  });

  it("marks an account sensitive: its new posts are sensitive, until unsensitive", async () => {
    const { boss, alice } = await setUp();
    await act(boss.token, alice.account.id, { type: "sensitive" });
    const admin = await call(i!, "GET", `/api/v1/admin/accounts/${alice.account.id}`, {
      token: boss.token,
    });
    expect(admin.json.sensitized).toBe(true);
    const marked = await call(i!, "POST", "/api/v1/statuses", {
      token: alice.token,
      body: { status: "a storm over the harbour", sensitive: false },
    });
    expect(marked.json.sensitive).toBe(true);
    const edited = await call(i!, "PUT", `/api/v1/statuses/${marked.json.id}`, {
      token: alice.token,
      body: { status: "a storm over the harbour, edited", sensitive: false },
    });
    expect(edited.json.sensitive).toBe(true);
    await call(i!, "POST", `/api/v1/admin/accounts/${alice.account.id}/unsensitive`, {
      token: boss.token,
    });
    const plain = await call(i!, "POST", "/api/v1/statuses", {
      token: alice.token,
      body: { status: "calm again" },
    });
    expect(plain.json.sensitive).toBe(false);
  });

  it("suspends a remote account: hidden, its follows ended; unsuspending brings it back", async () => {
    const { boss, alice } = await setUp();
    const zoe = await remoteAccount(i!, "zoe", "remote.example");
    await follow(i!, alice.account, zoe);
    await follow(i!, zoe, alice.account);
    const res = await act(boss.token, zoe.id, { type: "suspend", text: "Harassment" });
    expect(res.status).toBe(200);
    const seen = await call(i!, "GET", `/api/v1/accounts/${zoe.id}`, { token: alice.token });
    // Shown as Mastodon shows a suspended account: its name and nothing of its profile.
    expect(seen.json.suspended).toBe(true);
    const me = await call(i!, "GET", "/api/v1/accounts/verify_credentials", { token: alice.token });
    expect([me.json.following_count, me.json.followers_count]).toEqual([0, 0]);
    expect((await act(boss.token, zoe.id, { type: "suspend" })).status).toBe(409);
    // Disabling sign-in is for local accounts only.
    expect((await act(boss.token, zoe.id, { type: "disable" })).status).toBe(422);
    const back = await call(i!, "POST", `/api/v1/admin/accounts/${zoe.id}/unsuspend`, {
      token: boss.token,
    });
    expect([back.status, back.json.suspended]).toEqual([200, false]);
    expect(
      (await call(i!, "GET", `/api/v1/accounts/${zoe.id}`, { token: alice.token })).status,
    ).toBe(200);
  });

  it("resolves the report an action answers, refuses bad input, and logs every action", async () => {
    const { boss, alice, stranger } = await setUp();
    const report = await fileReport(i!.deps.db, {
      reporter: stranger.account,
      target: alice.account,
      statusIds: [],
      comment: "spam",
      forward: false,
    });
    expect((await act(boss.token, alice.account.id, { type: "shout" })).status).toBe(422);
    expect(
      (await act(boss.token, alice.account.id, { type: "none", report_id: "999" })).status,
    ).toBe(422);
    expect((await act(boss.token, "123", { type: "none" })).status).toBe(404);
    expect((await act(boss.token, boss.account.id, { type: "suspend" })).status).toBe(422);
    const res = await act(boss.token, alice.account.id, {
      type: "disable",
      text: "Sign-in paused",
      report_id: report.id,
    });
    expect(res.status).toBe(200);
    const shown = await call(i!, "GET", `/api/v1/admin/reports/${report.id}`, {
      token: boss.token,
    });
    expect(shown.json).toMatchObject({
      action_taken: true,
      action_taken_by_account: { id: boss.account.id },
    });
    await call(i!, "POST", `/api/v1/admin/accounts/${alice.account.id}/enable`, {
      token: boss.token,
    });

    const web = new PageClient(i!.app);
    expect((await web.signIn("boss")).status).toBe(303);
    const log = (await web.get("/admin/audit")).body;
    for (const action of ["account.disable", "account.enable", "report.resolve"]) {
      expect(log).toContain(action);
    }
    expect(log).toContain("Sign-in paused");
    expect(log).toContain("@alice");
    expect(log).toContain("@boss");
  });
});
