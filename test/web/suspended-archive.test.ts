// A suspended account's owner can still download the archive until the account is deleted: the sign-in
// page offers it after the right password, the download asks for the password again, and nobody else
// (a wrong password, an account that is not suspended) gets anything but the sign-in page's refusal.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts } from "../../src/db/schema/index.ts";
import { localUser, PASSWORD, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
beforeAll(async () => {
  i = await createTestInstance();
});
afterAll(async () => {
  await i.close();
});

async function download(client: PageClient, username: string, password: string) {
  const csrf = await client.csrfFrom("/auth/sign_in");
  return await client.post("/auth/suspended/archive", { csrf, username, password });
}

describe("a suspended owner's archive", () => {
  it("is offered after the right password and downloaded with it", async () => {
    const { account } = await localUser(i, "paused");
    await status(i, account, { content: "<p>kept until deletion</p>" });
    await i.deps.db
      .update(accounts)
      .set({ suspendedAt: new Date() })
      .where(eq(accounts.id, account.id));

    const client = new PageClient(i.app);
    const wrong = await client.post("/auth/sign_in", {
      csrf: await client.csrfFrom("/auth/sign_in"),
      username: "paused",
      password: "not the password",
    });
    expect(await wrong.text()).not.toContain("Download your archive");
    const refused = await client.post("/auth/sign_in", {
      csrf: await client.csrfFrom("/auth/sign_in"),
      username: "paused",
      password: PASSWORD,
    });
    expect(refused.status).toBe(401);
    const page = await refused.text();
    expect(page).toContain("Your account has been suspended");
    expect(page).toContain('action="/auth/suspended/archive"');

    const tar = await download(client, "paused", PASSWORD);
    expect(tar.status).toBe(200);
    expect(tar.headers.get("content-type")).toBe("application/x-tar");
    expect(tar.headers.get("content-disposition")).toMatch(/atelier-paused-\d{4}-\d{2}-\d{2}\.tar/);
    const bytes = Buffer.from(await tar.arrayBuffer());
    expect(bytes.toString("latin1")).toContain("kept until deletion");

    expect((await download(client, "paused", "not the password")).status).toBe(401);
  });

  it("is not given for an account that is not suspended", async () => {
    await localUser(i, "active");
    const res = await download(new PageClient(i.app), "active", PASSWORD);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  });
});
