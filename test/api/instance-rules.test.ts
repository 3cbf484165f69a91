// Instance rules: added and removed by the CLI and the admin page, served as Mastodon's Rule entity at
// /api/v1/instance/rules and in both instance entities, listed on the about page.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliOn } from "../helpers/cli-in-process.ts";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
beforeEach(async () => {
  i = await createTestInstance();
});
afterEach(() => i.close());

describe("instance rules", () => {
  it("the CLI adds, lists and removes rules, and the API serves them in order", async () => {
    expect((await call(i, "GET", "/api/v1/instance/rules")).json).toEqual([]);
    const first = await cliOn(i, "rule", "add", "Label AI images", "--hint", "Say which model.");
    expect(first.code).toBe(0);
    const firstId = /Added rule (\d+)/.exec(first.stdout)?.[1];
    expect(firstId).toBeDefined();
    expect((await cliOn(i, "rule", "add", "No harassment")).code).toBe(0);
    const list = await cliOn(i, "rule", "list");
    expect(list.stdout).toContain(`${firstId}\tLabel AI images\t(Say which model.)`);

    const rules = (await call(i, "GET", "/api/v1/instance/rules")).json;
    expect(rules).toEqual([
      { id: firstId, text: "Label AI images", hint: "Say which model." },
      { id: expect.any(String), text: "No harassment", hint: "" },
    ]);
    expect((await call(i, "GET", "/api/v2/instance")).json.rules).toEqual(rules);
    expect((await call(i, "GET", "/api/v1/instance")).json.rules).toEqual(rules);

    expect((await cliOn(i, "rule", "remove", firstId!)).stdout).toContain(
      `Removed rule ${firstId}`,
    );
    expect((await call(i, "GET", "/api/v1/instance/rules")).json).toEqual([rules[1]]);
    const unknown = await cliOn(i, "rule", "remove", "42");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("There is no rule 42");
    expect((await cliOn(i, "rule", "add")).code).toBe(2);
    expect((await cliOn(i, "rule", "add", "  ")).code).toBe(1);
  });

  it("an administrator manages rules on the admin page and anyone reads them on the about page", async () => {
    await localUser(i, "boss", { admin: true });
    await localUser(i, "alice");
    const admin = new PageClient(i.app);
    await admin.signIn("boss");
    const csrf = await admin.csrfFrom("/admin/rules");
    const added = await admin.post("/admin/rules", { csrf, text: "Be kind", hint: "Really." });
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toBe("/admin/rules?done=added");
    const empty = await admin.post("/admin/rules", { csrf, text: "" });
    expect(empty.status).toBe(400);
    const [rule] = (await call(i, "GET", "/api/v1/instance/rules")).json;
    expect(rule).toEqual({ id: expect.any(String), text: "Be kind", hint: "Really." });

    const about = await new PageClient(i.app).get("/about");
    expect(about.res.status).toBe(200);
    expect(about.body).toContain("<strong>Be kind</strong>");
    expect(about.body).toContain("Really.");

    // Members cannot edit the rules.
    const alice = new PageClient(i.app);
    await alice.signIn("alice");
    const aliceCsrf = await alice.csrfFrom("/settings");
    expect((await alice.post("/admin/rules", { csrf: aliceCsrf, text: "Mine" })).status).toBe(403);

    const removed = await admin.post(`/admin/rules/${rule.id}/delete`, { csrf });
    expect(removed.status).toBe(303);
    expect((await call(i, "GET", "/api/v1/instance/rules")).json).toEqual([]);
    expect((await new PageClient(i.app).get("/about")).body).toContain("has not published rules");
  });
});
