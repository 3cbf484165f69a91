// Settings → Blocked domains in the browser's way (in-process requests with cookies and CSRF): block a
// domain, see it listed (and in the client API's list, the same data), its posts leave the web home
// timeline and its follows end; a bad domain is refused on the page; unblocking removes it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { follows } from "../../src/db/schema/index.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { follow, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
beforeAll(async () => {
  i = await createTestInstance();
});
afterAll(() => i.close());

describe("the blocked domains settings page", () => {
  it("blocks and unblocks a domain through the same rules as the API", async () => {
    const { db, urls } = i.deps;
    const { account: alice } = await localUser({ db, urls }, "alice");
    const bob = await remoteAccount({ db, urls }, "bob", "blocked.example");
    const dave = await remoteAccount({ db, urls }, "dave", "other.example");
    await follow({ db, urls }, alice.id, bob.id);
    await follow({ db, urls }, bob.id, alice.id);
    await follow({ db, urls }, alice.id, dave.id);
    await status({ db, urls }, bob.id, { local: false, content: "<p>from the blocked server</p>" });
    await status({ db, urls }, dave.id, { local: false, content: "<p>from the other server</p>" });

    const client = new PageClient(i.app);
    expect((await client.signIn("alice")).status).toBe(303);
    expect((await client.get("/settings")).body).toContain('href="/settings/domain_blocks"');
    const before = await client.get("/home");
    expect(before.body).toContain("from the blocked server");

    const csrf = await client.csrfFrom("/settings/domain_blocks");
    // Without the CSRF token nothing happens.
    expect(
      (await client.post("/settings/domain_blocks", { domain: "blocked.example" })).status,
    ).toBe(403);
    const added = await client.post("/settings/domain_blocks", {
      csrf,
      domain: "https://BLOCKED.example/",
    });
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toBe("/settings/domain_blocks?done=blocked");
    const listed = (await client.get("/settings/domain_blocks?done=blocked")).body;
    expect(listed).toContain("Domain blocked.");
    expect(listed).toContain("<strong>blocked.example</strong>");

    const token = (
      await issueAccessToken(db, {
        applicationId: null,
        accountId: alice.id,
        scopes: ["read"],
      })
    ).accessToken;
    const api = await i.app.request("/api/v1/domain_blocks", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await api.json()).toEqual(["blocked.example"]);

    const home = (await client.get("/home")).body;
    expect(home).not.toContain("from the blocked server");
    expect(home).toContain("from the other server");
    const left = (await db.select().from(follows)).map(
      (f) => `${f.accountId}>${f.targetAccountId}`,
    );
    expect(left).toEqual([`${alice.id}>${dave.id}`]);

    const bad = await client.post("/settings/domain_blocks", { csrf, domain: "not a host" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("not a valid domain name");

    const removed = await client.post("/settings/domain_blocks/delete", {
      csrf,
      domain: "blocked.example",
    });
    expect(removed.headers.get("location")).toBe("/settings/domain_blocks?done=unblocked");
    const after = (await client.get("/settings/domain_blocks")).body;
    expect(after).not.toContain("<strong>blocked.example</strong>");
    expect(after).toContain("You have not blocked any domain.");
    // Unblocking does not bring the ended follow back, so bob's post stays out of home.
    expect((await client.get("/home")).body).not.toContain("from the blocked server");
  });
});
