import { afterEach, describe, expect, it } from "vitest";
import { localUser, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

describe("suspending from the admin users page", () => {
  it("suspends and unsuspends with CSRF-checked buttons, administrators only", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    await localUser(i, "boss", { admin: true });
    const erin = (await localUser(i, "erin")).account;
    await status(i, erin.id, { content: "<p>visible</p>" });
    const admin = new PageClient(i.app);
    await admin.signIn("boss");
    const user = new PageClient(i.app);
    await user.signIn("erin");

    const page = await admin.get("/admin");
    expect(page.body).toContain('action="/admin/users/erin/suspend"');
    expect(page.body).not.toContain('action="/admin/users/boss/suspend"');
    const csrf = await admin.csrfFrom("/admin");
    expect((await admin.post("/admin/users/erin/suspend", {})).status).toBe(403);
    const userCsrf = await user.csrfFrom("/settings");
    expect((await user.post("/admin/users/erin/suspend", { csrf: userCsrf })).status).toBe(403);

    const done = await admin.post("/admin/users/erin/suspend", { csrf });
    expect(done.status).toBe(303);
    expect((await admin.get("/admin?done=suspended")).body).toContain("Suspended");
    expect((await user.get("/settings")).res.status).toBe(303);
    expect((await i.app.request("/@erin")).status).toBe(404);
    expect((await admin.post("/admin/users/erin/suspend", { csrf })).status).toBe(409);
    expect((await admin.post("/admin/users/boss/suspend", { csrf })).status).toBe(400);

    expect((await admin.post("/admin/users/erin/unsuspend", { csrf })).status).toBe(303);
    expect((await i.app.request("/@erin")).status).toBe(200);
    expect((await new PageClient(i.app).signIn("erin")).status).toBe(303);
  });
});
