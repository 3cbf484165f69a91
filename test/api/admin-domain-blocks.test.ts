// Mastodon's admin API for server and e-mail domain blocks: who may call it, Admin::DomainBlock and
// Admin::EmailDomainBlock as Mastodon shapes them, paging, a block that already exists named in the 422,
// what a block does (the domain's accounts suspended, sign-ups from the e-mail domain refused and counted
// in its history) and what removing it undoes.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { call, localUser, remoteAccount } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { appToken } from "../helpers/sign-up.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const pathOf = (link: string | null, rel: string) => {
  const url = new RegExp(`<([^>]+)>; rel="${rel}"`).exec(link ?? "")?.[1];
  return url === undefined ? undefined : new URL(url).pathname + new URL(url).search;
};

describe("admin domain blocks", () => {
  it("needs its own admin scope and an administrator", async () => {
    i = await createTestInstance();
    const { token: granular } = await localUser(i, "boss", {
      admin: true,
      scopes: "admin:read:domain_blocks",
    });
    const { token: notAdmin } = await localUser(i, "bob", "admin:read admin:write");
    expect((await call(i, "GET", "/api/v1/admin/domain_blocks", { token: granular })).status).toBe(
      200,
    );
    const other = await call(i, "GET", "/api/v1/admin/email_domain_blocks", { token: granular });
    expect(other.status).toBe(403);
    const write = await call(i, "POST", "/api/v1/admin/domain_blocks", {
      token: granular,
      body: { domain: "spam.example", severity: "suspend" },
    });
    expect(write.status).toBe(403);
    const denied = await call(i, "GET", "/api/v1/admin/domain_blocks", { token: notAdmin });
    expect([denied.status, denied.json.error]).toEqual([403, "This action is not allowed"]);
    expect((await call(i, "GET", "/api/v1/admin/domain_blocks")).status).toBe(401);
  });

  it("blocks a domain as Admin::DomainBlock, suspending its accounts, and unblocks it", async () => {
    i = await createTestInstance();
    const { token } = await localUser(i, "boss", { admin: true, scopes: "admin:read admin:write" });
    const zoe = await remoteAccount(i, "zoe", "spam.example");
    const created = await call(i, "POST", "/api/v1/admin/domain_blocks", {
      token,
      body: {
        domain: "Spam.Example.",
        severity: "suspend",
        public_comment: "Spam waves",
        private_comment: "Reported three times",
        obfuscate: true,
        reject_media: true,
      },
    });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      id: expect.stringMatching(/^\d{18}$/),
      domain: "spam.example",
      digest: createHash("sha256").update("spam.example").digest("hex"),
      created_at: expect.any(String),
      severity: "suspend",
      reject_media: true,
      reject_reports: true,
      private_comment: "Reported three times",
      public_comment: "Spam waves",
      obfuscate: true,
    });
    const id = created.json.id as string;
    // Its accounts are suspended: the admin API says so, and the public API no longer shows them.
    const zoeAdmin = await call(i, "GET", `/api/v1/admin/accounts/${zoe.id}`, { token });
    expect(zoeAdmin.json.suspended).toBe(true);
    // The public list hides an obfuscated domain's middle but keeps its digest.
    const published = await call(i, "GET", "/api/v1/instance/domain_blocks", { token });
    expect(published.json).toEqual([
      expect.objectContaining({ domain: "spa*.****ple", digest: created.json.digest }),
    ]);

    expect((await call(i, "GET", `/api/v1/admin/domain_blocks/${id}`, { token })).json).toEqual(
      created.json,
    );
    const updated = await call(i, "PUT", `/api/v1/admin/domain_blocks/${id}`, {
      token,
      form: { public_comment: "Spam", obfuscate: "false" },
    });
    expect(updated.json).toMatchObject({
      id,
      public_comment: "Spam",
      private_comment: "Reported three times",
      obfuscate: false,
    });
    expect((await call(i, "GET", "/api/v1/instance/domain_blocks", { token })).json[0].domain).toBe(
      "spam.example",
    );

    const removed = await call(i, "DELETE", `/api/v1/admin/domain_blocks/${id}`, { token });
    expect([removed.status, removed.json]).toEqual([200, {}]);
    expect((await call(i, "GET", `/api/v1/admin/domain_blocks/${id}`, { token })).status).toBe(404);
    expect((await call(i, "DELETE", `/api/v1/admin/domain_blocks/${id}`, { token })).status).toBe(
      404,
    );
    const lifted = await call(i, "GET", `/api/v1/admin/accounts/${zoe.id}`, { token });
    expect(lifted.json.suspended).toBe(false);
  });

  it("names the block that already covers a domain, and refuses milder severities and bad input", async () => {
    i = await createTestInstance();
    const { token } = await localUser(i, "boss", { admin: true, scopes: "admin:write admin:read" });
    const post = (body: Record<string, unknown>) =>
      call(i!, "POST", "/api/v1/admin/domain_blocks", { token, body });
    const first = await post({ domain: "bad.example", severity: "suspend" });
    expect(first.status).toBe(200);
    for (const domain of ["bad.example", "sub.bad.example"]) {
      const again = await post({ domain, severity: "suspend" });
      expect(again.status).toBe(422);
      expect(again.json.existing_domain_block).toEqual(first.json);
      expect(again.json.error).toContain("bad.example");
    }
    // Mastodon reads no severity as "silence", which this server does not do: refused, not made harsher.
    for (const severity of [undefined, "silence", "noop"]) {
      const milder = await post({ domain: "other.example", severity });
      expect(milder.status).toBe(422);
      expect(milder.json.error).toContain("severity");
    }
    expect((await post({ severity: "suspend" })).status).toBe(422);
    const notHost = await post({ domain: "not a host", severity: "suspend" });
    expect([notHost.status, notHost.json.error]).toEqual([422, "Not a host name: not a host"]);
    const long = await post({
      domain: "x.example",
      severity: "suspend",
      public_comment: "a".repeat(1001),
    });
    expect(long.status).toBe(422);
    const list = await call(i, "GET", "/api/v1/admin/domain_blocks", { token });
    expect(list.json.map((b: { domain: string }) => b.domain)).toEqual(["bad.example"]);
    const badEdit = await call(i, "PUT", `/api/v1/admin/domain_blocks/${first.json.id}`, {
      token,
      body: { severity: "silence" },
    });
    expect(badEdit.status).toBe(422);
    expect(
      (await call(i, "PUT", "/api/v1/admin/domain_blocks/123", { token, body: {} })).status,
    ).toBe(404);
  });

  it("pages newest first with Link headers", async () => {
    i = await createTestInstance();
    const { token } = await localUser(i, "boss", { admin: true, scopes: "admin:read admin:write" });
    const ids: string[] = [];
    for (const domain of ["a.example", "b.example", "c.example"]) {
      const res = await call(i, "POST", "/api/v1/admin/domain_blocks", {
        token,
        body: { domain, severity: "suspend" },
      });
      ids.push(res.json.id);
    }
    const first = await call(i, "GET", "/api/v1/admin/domain_blocks?limit=2", { token });
    expect(first.json.map((b: { domain: string }) => b.domain)).toEqual(["c.example", "b.example"]);
    const next = pathOf(first.headers.get("link"), "next");
    expect(next).toContain(`max_id=${ids[1]}`);
    const second = await call(i, "GET", next!, { token });
    expect(second.json.map((b: { domain: string }) => b.domain)).toEqual(["a.example"]);
    const prev = pathOf(second.headers.get("link"), "prev");
    const back = await call(i, "GET", prev!, { token });
    expect(back.json.map((b: { domain: string }) => b.domain)).toEqual(["c.example", "b.example"]);
  });
});

describe("admin e-mail domain blocks", () => {
  it("blocks an e-mail domain, counts the sign-ups it refuses, and unblocks it", async () => {
    i = await createTestInstance();
    const { token } = await localUser(i, "boss", {
      admin: true,
      scopes: "admin:read:email_domain_blocks admin:write:email_domain_blocks",
    });
    const created = await call(i, "POST", "/api/v1/admin/email_domain_blocks", {
      token,
      form: { domain: "Throwaway.Example" },
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      id: expect.stringMatching(/^\d{18}$/),
      domain: "throwaway.example",
      created_at: expect.any(String),
    });
    expect(created.json.history).toHaveLength(7);
    const today = String(Math.floor(Date.now() / 86_400_000) * 86_400);
    expect(created.json.history[0]).toEqual({ day: today, accounts: "0", uses: "0" });

    const again = await call(i, "POST", "/api/v1/admin/email_domain_blocks", {
      token,
      form: { domain: "throwaway.example" },
    });
    expect(again.status).toBe(422);
    expect(
      (await call(i, "POST", "/api/v1/admin/email_domain_blocks", { token, form: {} })).status,
    ).toBe(422);

    // Sign-ups at the domain and at its subdomains are refused, and each refusal is counted.
    const app = await appToken(i);
    for (const email of ["ann@throwaway.example", "ben@mx.throwaway.example"]) {
      const res = await call(i, "POST", "/api/v1/accounts", {
        token: app,
        body: {
          username: email.slice(0, 3),
          email,
          password: "a long enough password",
          agreement: true,
        },
      });
      expect(res.status).toBe(422);
      expect(res.json.details.email[0].error).toBe("ERR_BLOCKED");
    }
    const shown = await call(i, "GET", `/api/v1/admin/email_domain_blocks/${created.json.id}`, {
      token,
    });
    // Both came from the same address: two uses, one distinct client.
    expect(shown.json.history[0]).toEqual({ day: today, accounts: "1", uses: "2" });
    expect(shown.json.history.slice(1).every((d: { uses: string }) => d.uses === "0")).toBe(true);

    const list = await call(i, "GET", "/api/v1/admin/email_domain_blocks", { token });
    expect(list.json.map((b: { id: string }) => b.id)).toEqual([created.json.id]);
    const removed = await call(
      i,
      "DELETE",
      `/api/v1/admin/email_domain_blocks/${created.json.id}`,
      {
        token,
      },
    );
    expect([removed.status, removed.json]).toEqual([200, {}]);
    expect((await call(i, "GET", "/api/v1/admin/email_domain_blocks", { token })).json).toEqual([]);
    const welcome = await call(i, "POST", "/api/v1/accounts", {
      token: app,
      body: {
        username: "ann",
        email: "ann@throwaway.example",
        password: "a long enough password",
        agreement: true,
        reason: "I paint harbours.",
      },
    });
    expect(welcome.status).toBe(200);
  });
});
