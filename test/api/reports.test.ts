// POST /api/v1/reports: the Report entity answered, the 404/422/403 refusals, what is stored, and the
// administrators' notification (shared with reports received as Flags).

import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { domainBlocks, notifications, reports, users } from "../../src/db/schema/index.ts";
import { watchEvents } from "../helpers/events.ts";
import { call, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

const storedReports = async () => await instance.deps.db.select().from(reports);

describe("POST /api/v1/reports", () => {
  it("reports a remote account's statuses, forwards them, and tells the administrators", async () => {
    const { token, account: alice } = await localUser(instance, "alice");
    const { account: admin } = await localUser(instance, "moderator");
    await instance.deps.db.update(users).set({ admin: true }).where(eq(users.accountId, admin.id));
    const troll = await remoteAccount(instance, "troll");
    const [one, two] = [await status(instance, troll), await status(instance, troll)];
    const seen = watchEvents(instance.deps.events, "report.created");

    const res = await call(instance, "POST", "/api/v1/reports", {
      token,
      body: {
        account_id: troll.id,
        status_ids: [one.id, two.id],
        comment: "Spam in every reply",
        forward: true,
        category: "spam",
        rule_ids: ["1", "2"],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      action_taken: false,
      action_taken_at: null,
      category: "spam",
      comment: "Spam in every reply",
      forwarded: true,
      status_ids: [one.id, two.id],
      rule_ids: null,
    });
    expect(typeof res.json.id).toBe("string");
    expect(new Date(res.json.created_at).toISOString()).toBe(res.json.created_at);
    const target = E.expectEntity(E.Account, res.json.target_account);
    expect(target).toMatchObject({ id: troll.id, acct: "troll@remote.example" });

    const [stored] = await storedReports();
    expect(stored).toMatchObject({
      id: res.json.id,
      iri: null,
      accountId: alice.id,
      targetAccountId: troll.id,
      statusIds: [one.id, two.id],
      category: "spam",
      forwarded: true,
    });
    const notified = await instance.deps.db
      .select()
      .from(notifications)
      .where(eq(notifications.type, "admin.report"));
    expect(notified).toHaveLength(1);
    expect(notified[0]).toMatchObject({
      accountId: admin.id,
      fromAccountId: alice.id,
      reportId: stored!.id,
    });
    await instance.deps.events.drain();
    expect(seen.map((e) => e.type)).toEqual(["report.created"]);
  });

  it("takes a form body with defaults: category other, no statuses, never forwarded for a local target", async () => {
    const { token } = await localUser(instance, "alice");
    const { account: bob } = await localUser(instance, "bob");
    const res = await call(instance, "POST", "/api/v1/reports", {
      token,
      form: { account_id: bob.id, forward: "true", "rule_ids[]": "7" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      category: "other",
      comment: "",
      forwarded: false,
      status_ids: null,
      target_account: { id: bob.id, acct: "bob" },
    });
  });

  it("does not forward to a blocked domain", async () => {
    const { token } = await localUser(instance, "alice");
    const troll = await remoteAccount(instance, "troll", "blocked.example");
    await instance.deps.db
      .insert(domainBlocks)
      .values({ domain: "blocked.example", blockId: newId() });
    const res = await call(instance, "POST", "/api/v1/reports", {
      token,
      body: { account_id: troll.id, forward: true },
    });
    expect(res.status).toBe(200);
    expect(res.json.forwarded).toBe(false);
    expect((await storedReports())[0]!.forwarded).toBe(false);
  });

  it("answers 404 for an unknown account and 422 for what Mastodon refuses", async () => {
    const { token, account: alice } = await localUser(instance, "alice");
    const troll = await remoteAccount(instance, "troll");
    const other = await remoteAccount(instance, "other");
    const theirs = await status(instance, other);
    // A followers-only status of the troll that alice does not follow: she cannot see it, so it
    // cannot be reported (nor its existence learnt through a report).
    const hidden = await status(instance, troll, { visibility: "private" });
    const post = (body: unknown) => call(instance, "POST", "/api/v1/reports", { token, body });

    const unknown = await post({ account_id: "nope" });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe("Record not found");

    const cases: [unknown, RegExp][] = [
      [{}, /account_id/],
      [{ account_id: alice.id }, /cannot report yourself/],
      [{ account_id: troll.id, status_ids: [theirs.id] }, /Statuses not found.*/],
      [{ account_id: troll.id, status_ids: ["missing"] }, /missing/],
      [{ account_id: troll.id, status_ids: [hidden.id] }, /Statuses not found/],
      [{ account_id: troll.id, comment: "x".repeat(1001) }, /too long/],
      [{ account_id: troll.id, category: "rudeness" }, /category/],
      [
        { account_id: troll.id, status_ids: Array.from({ length: 101 }, (_, i) => String(i)) },
        /at most 100/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(res.json.error).toMatch(message);
    }
    expect(await storedReports()).toEqual([]);
  });

  it("needs write:reports: a read-only token gets 403, a granular one passes", async () => {
    const { token: readOnly } = await localUser(instance, "reader", "read");
    const { token: granular } = await localUser(instance, "writer", "write:reports");
    const troll = await remoteAccount(instance, "troll");
    const body = { account_id: troll.id };
    const denied = await call(instance, "POST", "/api/v1/reports", { token: readOnly, body });
    expect(denied.status).toBe(403);
    const anonymous = await call(instance, "POST", "/api/v1/reports", { body });
    expect(anonymous.status).toBe(401);
    const allowed = await call(instance, "POST", "/api/v1/reports", { token: granular, body });
    expect(allowed.status).toBe(200);
    expect(await storedReports()).toHaveLength(1);
  });
});
