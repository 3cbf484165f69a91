// The lists pages through the real HTTP surface: create, rename and delete a list, add and remove a
// followed account, read the list's timeline, the refusals shown on the page, and someone else's list
// answering 404. Changes are checked through the API, which reads the same rows.
import { afterEach, describe, expect, it } from "vitest";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { call, follow, localUser, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const i: TestInstance = await createTestInstance();
  cleanups.push(() => i.close());
  const { account: alice } = await localUser(i, "alice");
  const { account: bob } = await localUser(i, "bob");
  const { account: carol } = await localUser(i, "carol");
  await follow(i, alice.id, bob.id);
  await follow(i, alice.id, carol.id);
  const client = new PageClient(i.app);
  await client.signIn("alice");
  const csrf = await client.csrfFrom("/lists");
  return { i, alice, bob, carol, client, csrf };
}

describe("lists pages", () => {
  it("creates a list, adds a followed account, shows its timeline, removes it and deletes the list", async () => {
    const { i, alice, bob, carol, client, csrf } = await setup();
    const created = await client.post("/lists", {
      csrf,
      title: "Painters",
      replies_policy: "list",
    });
    expect(created.status).toBe(303);
    const path = created.headers.get("location")!;
    expect(path).toMatch(/^\/lists\/\d+$/);
    const listId = path.split("/").pop()!;

    const empty = await client.get(path);
    expect(empty.res.status).toBe(200);
    expect(empty.body).toContain("Painters");
    // The menu offers the accounts alice follows.
    expect(empty.body).toContain(`<option value="${bob.id}">`);
    expect(empty.body).toContain(`<option value="${carol.id}">`);

    expect((await client.post(`${path}/accounts`, { csrf, account_id: bob.id })).status).toBe(303);
    await status(i, bob.id, { content: "<p>bob paints the sea</p>" });
    await status(i, carol.id, { content: "<p>carol is not listed</p>" });
    const withMember = await client.get(path);
    expect(withMember.body).toContain("bob paints the sea");
    expect(withMember.body).not.toContain("carol is not listed");
    expect(withMember.body).not.toContain(`<option value="${bob.id}">`);

    const token = await issueToken(i, alice.id);
    const members = await call(i, "GET", `/api/v1/lists/${listId}/accounts`, { token });
    expect(members.json.map((a: { id: string }) => a.id)).toEqual([bob.id]);

    const renamed = await client.post(path, {
      csrf,
      title: "Sea painters",
      replies_policy: "none",
      exclusive: "1",
    });
    expect(renamed.status).toBe(303);
    const api = await call(i, "GET", `/api/v1/lists/${listId}`, { token });
    expect(api.json).toMatchObject({
      title: "Sea painters",
      replies_policy: "none",
      exclusive: true,
    });

    expect(
      (await client.post(`${path}/accounts/remove`, { csrf, account_id: bob.id })).status,
    ).toBe(303);
    expect((await call(i, "GET", `/api/v1/lists/${listId}/accounts`, { token })).json).toEqual([]);

    const deleted = await client.post(`${path}/delete`, { csrf });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get("location")).toBe("/lists");
    expect((await call(i, "GET", `/api/v1/lists/${listId}`, { token })).status).toBe(404);
    expect((await client.get("/lists")).body).not.toContain("Sea painters");
  });

  it("shows refusals on the page: a blank title, an account alice does not follow", async () => {
    const { i, client, csrf } = await setup();
    const blank = await client.post("/lists", { csrf, title: "   " });
    expect(blank.status).toBe(400);
    expect(await blank.text()).toContain("Title can&#39;t be blank");

    const path = (await client.post("/lists", { csrf, title: "Friends" })).headers.get("location")!;
    const { account: dave } = await localUser(i, "dave");
    const refused = await client.post(`${path}/accounts`, { csrf, account_id: dave.id });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("follow relationship missing");
    expect((await client.post(`${path}/accounts`, { csrf, account_id: "99999" })).status).toBe(404);
    // Without the form's token nothing changes.
    expect((await client.post(`${path}/delete`, { csrf: "forged" })).status).toBe(403);
    expect((await client.get(path)).res.status).toBe(200);
  });

  it("answers 404 for someone else's list and sends visitors to sign in", async () => {
    const { i, client, csrf } = await setup();
    const path = (await client.post("/lists", { csrf, title: "Mine" })).headers.get("location")!;
    const other = new PageClient(i.app);
    await other.signIn("bob");
    expect((await other.get(path)).res.status).toBe(404);
    const otherCsrf = await other.csrfFrom("/lists");
    expect((await other.post(`${path}/delete`, { csrf: otherCsrf })).status).toBe(404);
    expect((await client.get(path)).res.status).toBe(200);
    const visitor = await new PageClient(i.app).get("/lists");
    expect(visitor.res.status).toBe(303);
  });
});

async function issueToken(i: TestInstance, accountId: string): Promise<string> {
  return (await issueAccessToken(i.deps.db, { applicationId: null, accountId, scopes: ["read"] }))
    .accessToken;
}
