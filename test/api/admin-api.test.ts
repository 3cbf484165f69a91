// Mastodon's admin API: who may call it (admin scopes and an administrator), accounts found and acted on
// (approve, reject, disable/enable, suspend/unsuspend, and a clear 422 for what is not done here), and
// the report queue (list, filter, show, assign, resolve, reopen), each answered as Mastodon's entities.
import { afterEach, describe, expect, it } from "vitest";
import { fileReport } from "../../src/domain/reports.ts";
import { call, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { appToken, confirmationToken, mailFiles } from "../helpers/sign-up.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

async function moderatorOf(instance: TestInstance, scopes = "admin:read admin:write") {
  return await localUser(instance, "boss", { admin: true, scopes });
}

describe("admin API access", () => {
  it("needs an admin scope and an administrator", async () => {
    i = await createTestInstance();
    const { token: plain } = await localUser(i, "alice", "read write follow");
    const { token: nonAdmin } = await localUser(i, "bob", "admin:read");
    const { token: adminRead } = await localUser(i, "boss", { admin: true, scopes: "read" });
    const { token: granular } = await localUser(i, "root2", {
      admin: true,
      scopes: "admin:read:accounts",
    });
    expect((await call(i, "GET", "/api/v1/admin/accounts")).status).toBe(401);
    const outside = await call(i, "GET", "/api/v1/admin/accounts", { token: plain });
    expect(outside.status).toBe(403);
    expect((await call(i, "GET", "/api/v1/admin/accounts", { token: adminRead })).status).toBe(403);
    const notAdmin = await call(i, "GET", "/api/v1/admin/accounts", { token: nonAdmin });
    expect([notAdmin.status, notAdmin.json.error]).toEqual([403, "This action is not allowed"]);
    expect((await call(i, "GET", "/api/v1/admin/accounts", { token: granular })).status).toBe(200);
    // admin:read:accounts does not reach reports, nor any write.
    expect((await call(i, "GET", "/api/v1/admin/reports", { token: granular })).status).toBe(403);
    const write = await call(i, "POST", "/api/v1/admin/accounts/1/enable", { token: granular });
    expect(write.status).toBe(403);
  });
});

describe("admin accounts", () => {
  it("lists local and remote accounts as Admin::Account, filtered and paged", async () => {
    i = await createTestInstance();
    const { token, account: boss } = await moderatorOf(i);
    const { account: alice } = await localUser(i, "alice");
    const zoe = await remoteAccount(i, "zoe", "remote.example");
    const all = await call(i, "GET", "/api/v1/admin/accounts", { token });
    expect(all.status).toBe(200);
    expect(all.json.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining([boss.id, alice.id, zoe.id]),
    );
    const entry = all.json.find((a: { id: string }) => a.id === alice.id);
    expect(entry).toMatchObject({
      username: "alice",
      domain: null,
      confirmed: true,
      approved: true,
      disabled: false,
      silenced: false,
      suspended: false,
      sensitized: false,
      role: { permissions: "0" },
      account: { id: alice.id, acct: "alice" },
    });
    expect(all.json.find((a: { id: string }) => a.id === boss.id).role.permissions).toBe("1");

    const remote = await call(i, "GET", "/api/v1/admin/accounts?remote=true", { token });
    expect(remote.json.map((a: { id: string }) => a.id)).toEqual([zoe.id]);
    expect(remote.json[0]).toMatchObject({ domain: "remote.example", email: null, role: null });
    const v2 = await call(i, "GET", "/api/v2/admin/accounts?origin=local&username=ali", { token });
    expect(v2.json.map((a: { id: string }) => a.id)).toEqual([alice.id]);
    const staff = await call(i, "GET", "/api/v2/admin/accounts?permissions=staff", { token });
    expect(staff.json.map((a: { id: string }) => a.id)).toEqual([boss.id]);
    const byDomain = await call(i, "GET", "/api/v1/admin/accounts?by_domain=remote", { token });
    expect(byDomain.json.map((a: { id: string }) => a.id)).toEqual([zoe.id]);

    const first = await call(i, "GET", "/api/v1/admin/accounts?limit=1", { token });
    expect(first.json).toHaveLength(1);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1];
    expect(next).toContain("max_id=");
    const second = await call(i, "GET", new URL(next!).pathname + new URL(next!).search, { token });
    expect(second.json).toHaveLength(1);
    expect(second.json[0].id < first.json[0].id).toBe(true);

    const one = await call(i, "GET", `/api/v1/admin/accounts/${zoe.id}`, { token });
    expect(one.json.username).toBe("zoe");
    expect((await call(i, "GET", "/api/v1/admin/accounts/404", { token })).status).toBe(404);
  });

  it("approves and rejects sign-ups waiting for approval, and tells the applicant", async () => {
    i = await createTestInstance({ REGISTRATIONS: "approval" });
    const { token } = await moderatorOf(i);
    const app = await appToken(i);
    for (const name of ["ann", "ben"]) {
      const res = await call(i, "POST", "/api/v1/accounts", {
        token: app,
        body: {
          username: name,
          email: `${name}@example.com`,
          password: "a long enough password",
          agreement: true,
          reason: "I make lighthouse images.",
        },
      });
      expect(res.status).toBe(200);
    }
    const pending = await call(i, "GET", "/api/v2/admin/accounts?status=pending", { token });
    expect(pending.json.map((a: { username: string }) => a.username).sort()).toEqual([
      "ann",
      "ben",
    ]);
    const ann = pending.json.find((a: { username: string }) => a.username === "ann");
    expect(ann).toMatchObject({
      approved: false,
      confirmed: false,
      email: "ann@example.com",
      invite_request: "I make lighthouse images.",
      locale: "en",
    });
    const approved = await call(i, "POST", `/api/v1/admin/accounts/${ann.id}/approve`, { token });
    expect([approved.status, approved.json.approved]).toEqual([200, true]);
    const again = await call(i, "POST", `/api/v1/admin/accounts/${ann.id}/approve`, { token });
    expect(again.status).toBe(409);

    const ben = pending.json.find((a: { username: string }) => a.username === "ben");
    const rejected = await call(i, "POST", `/api/v1/admin/accounts/${ben.id}/reject`, { token });
    expect([rejected.status, rejected.json.username]).toEqual([200, "ben"]);
    expect((await call(i, "GET", `/api/v1/admin/accounts/${ben.id}`, { token })).status).toBe(404);
    const subjects = mailFiles(i).map((m) => /^Subject: (.*)$/m.exec(m)?.[1]);
    expect(subjects).toContain("Your account on Atelier is approved");
    expect(subjects).toContain("Your sign-up on Atelier was not approved");

    // Ann confirms and signs in: approval let her in.
    const annMail = mailFiles(i).find((m) => m.includes("To: ann@example.com"))!;
    const web = new PageClient(i.app);
    await web.get(`/auth/confirmation?token=${confirmationToken(annMail)}`);
    expect((await web.signIn("ann", "a long enough password")).status).toBe(303);
  });

  it("disables and enables sign-in, suspends and unsuspends, and refuses what cannot be done", async () => {
    i = await createTestInstance();
    const { token } = await moderatorOf(i);
    const { account: alice, token: aliceToken } = await localUser(i, "alice");
    const zoe = await remoteAccount(i, "zoe");
    const act = (id: string, body: Record<string, unknown>) =>
      call(i!, "POST", `/api/v1/admin/accounts/${id}/action`, { token, body });
    const me = () => call(i!, "GET", "/api/v1/accounts/verify_credentials", { token: aliceToken });

    const disabled = await act(alice.id, { type: "disable" });
    expect([disabled.status, disabled.json]).toEqual([200, {}]);
    expect((await me()).status).toBe(401);
    const shown = await call(i, "GET", `/api/v1/admin/accounts/${alice.id}`, { token });
    expect(shown.json.disabled).toBe(true);
    const enabled = await call(i, "POST", `/api/v1/admin/accounts/${alice.id}/enable`, { token });
    expect([enabled.status, enabled.json.disabled]).toEqual([200, false]);
    expect((await me()).status).toBe(200);

    expect((await act(alice.id, { type: "suspend" })).status).toBe(200);
    expect((await me()).status).toBe(401);
    const listed = await call(i, "GET", "/api/v1/admin/accounts?suspended=true", { token });
    expect(listed.json.map((a: { id: string }) => a.id)).toEqual([alice.id]);
    const back = await call(i, "POST", `/api/v1/admin/accounts/${alice.id}/unsuspend`, { token });
    expect([back.status, back.json.suspended]).toEqual([200, false]);
    expect((await me()).status).toBe(200);

    // Disabling a remote account's sign-in makes no sense: refused. (The other actions are
    // test/api/admin-account-actions.test.ts's.)
    const remote = await act(zoe.id, { type: "disable" });
    expect([remote.status, remote.json.error]).toEqual([
      422,
      "Only a local account's sign-in can be disabled",
    ]);
    expect((await act(alice.id, { type: "ban" })).status).toBe(422);
    expect((await act("999", { type: "disable" })).status).toBe(404);
  });
});

describe("admin reports", () => {
  it("lists open reports, shows one, assigns, resolves and reopens it", async () => {
    i = await createTestInstance();
    const { token, account: boss } = await moderatorOf(i);
    const { account: alice } = await localUser(i, "alice");
    const troll = await remoteAccount(i, "troll");
    const post = await status(i, troll);
    const report = await fileReport(i.deps.db, {
      reporter: alice,
      target: troll,
      statusIds: [post.id],
      comment: "Spam in every reply",
      forward: false,
      category: "spam",
    });
    const list = await call(i, "GET", "/api/v1/admin/reports", { token });
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({
      id: report.id,
      action_taken: false,
      action_taken_at: null,
      category: "spam",
      comment: "Spam in every reply",
      forwarded: false,
      account: { id: alice.id, username: "alice", account: { acct: "alice" } },
      target_account: { id: troll.id, domain: "remote.example" },
      assigned_account: null,
      action_taken_by_account: null,
      rules: [],
    });
    expect(list.json[0].statuses.map((s: { id: string }) => s.id)).toEqual([post.id]);
    const byTarget = `/api/v1/admin/reports?target_account_id=${alice.id}`;
    expect((await call(i, "GET", byTarget, { token })).json).toEqual([]);

    const path = `/api/v1/admin/reports/${report.id}`;
    const assigned = await call(i, "POST", `${path}/assign_to_self`, { token });
    expect(assigned.json.assigned_account.id).toBe(boss.id);
    const unassigned = await call(i, "POST", `${path}/unassign`, { token });
    expect(unassigned.json.assigned_account).toBeNull();
    const resolved = await call(i, "POST", `${path}/resolve`, { token });
    expect(resolved.json).toMatchObject({
      action_taken: true,
      action_taken_by_account: { id: boss.id },
    });
    expect(new Date(resolved.json.action_taken_at).getTime()).toBeGreaterThan(0);
    expect((await call(i, "GET", "/api/v1/admin/reports", { token })).json).toEqual([]);
    const done = await call(i, "GET", "/api/v1/admin/reports?resolved=true", { token });
    expect(done.json.map((r: { id: string }) => r.id)).toEqual([report.id]);
    const reopened = await call(i, "POST", `${path}/reopen`, { token });
    expect([reopened.json.action_taken, reopened.json.action_taken_by_account]).toEqual([
      false,
      null,
    ]);
    expect((await call(i, "GET", path, { token })).json.id).toBe(report.id);
    expect((await call(i, "GET", "/api/v1/admin/reports/12345", { token })).status).toBe(404);
  });
});
