import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { accounts } from "../../src/db/schema/index.ts";
import { localUser, PASSWORD } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

describe("deleting one's account from settings", () => {
  it("needs the CSRF token, the confirmation and the password, then signs out and shows 410", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    await localUser(i, "boss", { admin: true });
    const alice = (await localUser(i, "alice")).account;
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const settings = await client.get("/settings");
    expect(settings.body).toContain("Delete account");
    expect(settings.body).toContain("cannot be undone");
    const csrf = await client.csrfFrom("/settings");

    const noToken = await client.post("/settings/delete", {
      password: PASSWORD,
      confirm: "1",
    });
    expect(noToken.status).toBe(403);
    const unconfirmed = await client.post("/settings/delete", { csrf, password: PASSWORD });
    expect(unconfirmed.status).toBe(400);
    const wrong = await client.post("/settings/delete", { csrf, password: "wrong", confirm: "1" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("was not deleted");
    const alive = (
      await i.deps.db.select().from(accounts).where(eq(accounts.id, alice.id)).limit(1)
    )[0]!;
    expect(alive.deletedAt).toBeNull();

    const done = await client.post("/settings/delete", {
      csrf,
      password: PASSWORD,
      confirm: "1",
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Your account was deleted");
    expect((await client.get("/settings")).res.status).toBe(303);
    expect((await client.get("/@alice")).res.status).toBe(410);
    expect((await client.signIn("alice")).status).toBe(401);
  });
});
