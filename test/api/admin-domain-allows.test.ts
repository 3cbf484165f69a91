// Mastodon's admin API for domain allows (Admin::DomainAllow), and what LIMITED_FEDERATION_MODE does to
// the client API: who may call the allow list, its shape and paging, an invalid domain refused with 422,
// every change in the moderation log, removing an allow ending the follows with that server, and the
// anonymous refused (401) everywhere but app registration and sign-up, and the web's content pages
// behind sign-in.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { follows, moderationLogs } from "../../src/db/schema/index.ts";
import { cliOn } from "../helpers/cli-in-process.ts";
import { call, follow, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const pathOf = (link: string | null, rel: string) => {
  const url = new RegExp(`<([^>]+)>; rel="${rel}"`).exec(link ?? "")?.[1];
  return url === undefined ? undefined : new URL(url).pathname + new URL(url).search;
};

describe("admin domain allows", () => {
  it("needs its own admin scope and an administrator", async () => {
    i = await createTestInstance();
    const { token: reader } = await localUser(i, "boss", {
      admin: true,
      scopes: "admin:read:domain_allows",
    });
    const { token: blocksOnly } = await localUser(i, "mod", {
      admin: true,
      scopes: "admin:read:domain_blocks admin:write:domain_blocks",
    });
    const { token: notAdmin } = await localUser(i, "bob", "admin:read admin:write");
    expect((await call(i, "GET", "/api/v1/admin/domain_allows", { token: reader })).status).toBe(
      200,
    );
    const write = await call(i, "POST", "/api/v1/admin/domain_allows", {
      token: reader,
      body: { domain: "friends.example" },
    });
    expect([write.status, write.json.error]).toEqual([
      403,
      "This action is outside the authorized scopes",
    ]);
    const other = await call(i, "GET", "/api/v1/admin/domain_allows", { token: blocksOnly });
    expect(other.status).toBe(403);
    const denied = await call(i, "GET", "/api/v1/admin/domain_allows", { token: notAdmin });
    expect([denied.status, denied.json.error]).toEqual([403, "This action is not allowed"]);
    expect((await call(i, "GET", "/api/v1/admin/domain_allows")).status).toBe(401);
    expect(await i.deps.db.select().from(moderationLogs)).toEqual([]);
  });

  it("allows, shows, pages and removes domains as Admin::DomainAllow, each in the audit log", async () => {
    i = await createTestInstance();
    const { token, account: boss } = await localUser(i, "boss", {
      admin: true,
      scopes: "admin:read admin:write",
    });
    const created = await call(i, "POST", "/api/v1/admin/domain_allows", {
      token,
      body: { domain: "Friends.Example." },
    });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      id: expect.stringMatching(/^\d{18}$/),
      domain: "friends.example",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // Allowing it again (any spelling) answers the same entry.
    const again = await call(i, "POST", "/api/v1/admin/domain_allows", {
      token,
      body: { domain: "https://FRIENDS.example/" },
    });
    expect([again.status, again.json]).toEqual([200, created.json]);
    const second = await call(i, "POST", "/api/v1/admin/domain_allows", {
      token,
      body: { domain: "pals.example:8443" },
    });
    expect(second.json.domain).toBe("pals.example:8443");

    const one = await call(i, "GET", `/api/v1/admin/domain_allows/${created.json.id}`, { token });
    expect(one.json).toEqual(created.json);
    expect((await call(i, "GET", "/api/v1/admin/domain_allows/123", { token })).status).toBe(404);

    // Newest first, one per page, with Mastodon's Link header.
    const page1 = await call(i, "GET", "/api/v1/admin/domain_allows?limit=1", { token });
    expect(page1.json.map((a: { domain: string }) => a.domain)).toEqual(["pals.example:8443"]);
    const next = pathOf(page1.headers.get("link"), "next");
    expect(next).toBe(`/api/v1/admin/domain_allows?limit=1&max_id=${second.json.id}`);
    const page2 = await call(i, "GET", next!, { token });
    expect(page2.json).toEqual([created.json]);

    const removed = await call(i, "DELETE", `/api/v1/admin/domain_allows/${created.json.id}`, {
      token,
    });
    expect([removed.status, removed.json]).toEqual([200, {}]);
    const left = await call(i, "GET", "/api/v1/admin/domain_allows", { token });
    expect(left.json).toEqual([second.json]);
    expect(
      (await call(i, "DELETE", `/api/v1/admin/domain_allows/${created.json.id}`, { token })).status,
    ).toBe(404);

    const log = await i.deps.db.select().from(moderationLogs).orderBy(moderationLogs.id);
    expect(
      log.map((e) => [e.action, e.targetType, e.targetId, e.targetLabel, e.accountId]),
    ).toEqual([
      ["domain_allow.create", "domain_allow", created.json.id, "friends.example", boss.id],
      ["domain_allow.create", "domain_allow", second.json.id, "pals.example:8443", boss.id],
      ["domain_allow.destroy", "domain_allow", created.json.id, "friends.example", boss.id],
    ]);
  });

  it("refuses a domain that is not a host with 422, storing nothing", async () => {
    i = await createTestInstance();
    const { token } = await localUser(i, "boss", { admin: true, scopes: "admin:write" });
    for (const domain of ["not a host!", ""]) {
      const res = await call(i, "POST", "/api/v1/admin/domain_allows", { token, body: { domain } });
      expect(res.status).toBe(422);
      expect(res.json.error).toMatch(/Not a host name|can't be blank/);
    }
    const { token: reader } = await localUser(i, "r", { admin: true, scopes: "admin:read" });
    expect((await call(i, "GET", "/api/v1/admin/domain_allows", { token: reader })).json).toEqual(
      [],
    );
  });

  it("in limited federation mode, removing an allow ends the follows with that server", async () => {
    i = await createTestInstance({ LIMITED_FEDERATION_MODE: "true" });
    const { token, account: boss } = await localUser(i, "boss", {
      admin: true,
      scopes: "admin:read admin:write",
    });
    const allowed = await call(i, "POST", "/api/v1/admin/domain_allows", {
      token,
      body: { domain: "friends.example" },
    });
    const zoe = await remoteAccount(i, "zoe", "friends.example");
    await follow(i, boss, zoe);
    await follow(i, zoe, boss);
    expect(await i.deps.db.select().from(follows)).toHaveLength(2);
    await call(i, "DELETE", `/api/v1/admin/domain_allows/${allowed.json.id}`, { token });
    expect(
      await i.deps.db.select().from(follows).where(eq(follows.targetAccountId, zoe.id)),
    ).toEqual([]);
    expect(await i.deps.db.select().from(follows).where(eq(follows.accountId, zoe.id))).toEqual([]);
  });
});

describe("the client API in limited federation mode", () => {
  it("answers the anonymous 401 but for app registration, and signed-in users as usual", async () => {
    i = await createTestInstance({ LIMITED_FEDERATION_MODE: "true" });
    const { token } = await localUser(i, "alice");
    for (const path of [
      "/api/v1/timelines/public",
      "/api/v1/timelines/tag/nebula",
      "/api/v1/instance",
      "/api/v2/instance",
      "/api/v1/accounts/lookup?acct=alice",
    ]) {
      const anonymous = await call(i, "GET", path);
      expect([path, anonymous.status, anonymous.json.error]).toEqual([
        path,
        401,
        "This method requires an authenticated user",
      ]);
    }
    expect((await call(i, "GET", "/api/v1/timelines/public", { token })).status).toBe(200);
    expect((await call(i, "GET", "/api/v2/instance", { token })).status).toBe(200);
    const app = await call(i, "POST", "/api/v1/apps", {
      body: { client_name: "Client", redirect_uris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read" },
    });
    expect(app.status).toBe(200);
  });

  it("closes the web's posts, profiles, hashtags and explore to visitors, not the sign-in or about pages", async () => {
    i = await createTestInstance({ LIMITED_FEDERATION_MODE: "true" });
    const { account } = await localUser(i, "alice");
    const post = await status(i, account, { images: 1 });
    const visitor = new PageClient(i.app);
    for (const path of [
      "/",
      "/explore",
      "/explore/trending",
      "/@alice",
      `/@alice/${post.id}`,
      "/tags/sea",
    ]) {
      const res = await visitor.request(path);
      expect([path, res.status, res.headers.get("location")]).toEqual([
        path,
        303,
        `/auth/sign_in?return_to=${encodeURIComponent(path)}`,
      ]);
    }
    for (const path of ["/auth/sign_in", "/about"]) {
      expect([path, (await visitor.request(path)).status]).toEqual([path, 200]);
    }
    const member = new PageClient(i.app);
    expect((await member.signIn("alice")).status).toBe(303);
    const page = await member.get(`/@alice/${post.id}`);
    expect(page.res.status).toBe(200);
    expect(page.body).toContain("Test image 1");
  });

  it("leaves the public timeline open to the anonymous when the mode is off", async () => {
    i = await createTestInstance();
    expect((await call(i, "GET", "/api/v1/timelines/public")).status).toBe(200);
  });
});

describe("admin CLI: domain allows", () => {
  it("allows, lists and disallows hosts, logging each, and refuses a non-host", async () => {
    // The CLI's own environment has the mode off: it says the list is not used yet.
    i = await createTestInstance();
    const off = "(LIMITED_FEDERATION_MODE is off: the allow list is not used until it is on)";
    const allowed = await cliOn(i, "domain", "allow", "Friends.Example");
    expect([allowed.code, allowed.stdout]).toEqual([0, `Allowed friends.example ${off}`]);
    expect((await cliOn(i, "domain", "allow", "friends.example")).stdout).toBe(
      `Already allowed: friends.example ${off}`,
    );
    expect((await cliOn(i, "domain", "allows")).stdout).toMatch(
      /^friends\.example\t\d{4}-[^\n]+\n\(LIMITED_FEDERATION_MODE is off/,
    );
    expect((await cliOn(i, "domain", "disallow", "friends.example")).stdout).toBe(
      "Disallowed friends.example",
    );
    expect((await cliOn(i, "domain", "disallow", "friends.example")).stdout).toBe(
      "friends.example was not allowed",
    );
    expect((await cliOn(i, "domain", "allows")).stdout).toMatch(/^No allowed domains\.\n/);
    const bad = await cliOn(i, "domain", "allow", "not a host!");
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining("Not a host name")]);
    expect((await cliOn(i, "domain", "allow")).code).toBe(2);
    const log = await i.deps.db.select().from(moderationLogs).orderBy(moderationLogs.id);
    expect(log.map((e) => [e.action, e.targetLabel, e.accountId])).toEqual([
      ["domain_allow.create", "friends.example", null],
      ["domain_allow.destroy", "friends.example", null],
    ]);
  });
});
