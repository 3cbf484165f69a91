// A local mention on the pages: bob posts through the API mentioning alice, and alice's web badge and
// notifications page show it, linking the post.
import { afterEach, describe, expect, it } from "vitest";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("local mentions on the pages", () => {
  it("badges and lists the mention of a local account", async () => {
    const i: TestInstance = await createTestInstance();
    cleanups.push(() => i.close());
    await localUser(i, "alice");
    const bob = await localUser(i, "bob");
    const token = (
      await issueAccessToken(i.deps.db, {
        applicationId: null,
        accountId: bob.account.id,
        scopes: ["write"],
      })
    ).accessToken;
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const before = await client.get("/home");
    expect(before.body).not.toMatch(/aria-label="\d+ unread"/);

    const posted = await call(i, "POST", "/api/v1/statuses", {
      token,
      body: { status: "@alice your lighthouse is lovely" },
    });
    expect(posted.status).toBe(200);
    const home = await client.get("/home");
    expect(/aria-label="(\d+) unread"/.exec(home.body)?.[1]).toBe("1");
    const page = await client.get("/notifications");
    expect(page.body).toContain("mentioned you");
    // The page links the post (it does not repeat its text).
    expect(page.body).toContain(`/@bob/${posted.json.id}`);
  });
});
