// The web search page runs the client API's status search (domain/search.ts): the viewer's own posts of
// any visibility and indexable public posts, never a followers-only post of someone they do not follow;
// a handle still goes to the interaction page.
import { afterEach, describe, expect, it } from "vitest";
import { publishStatus } from "../../src/domain/statuses.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const i: TestInstance = await createTestInstance();
  cleanups.push(() => i.close());
  const alice = await localUser(i, "alice");
  const bob = await localUser(i, "bob");
  const client = new PageClient(i.app);
  await client.signIn("alice");
  return { i, alice, bob, client };
}

describe("the search page", () => {
  it("lists what the search finds for the signed-in user, and nothing they may not see", async () => {
    const { i, alice, bob, client } = await setup();
    await publishStatus(i.deps, alice.account.id, {
      text: "My quiet orchid",
      visibility: "private",
    });
    await publishStatus(i.deps, bob.account.id, { text: "Bob's public orchid" });
    await publishStatus(i.deps, bob.account.id, {
      text: "Bob's secret orchid",
      visibility: "private",
    });
    const page = await client.get("/search?q=orchid");
    expect(page.res.status).toBe(200);
    expect(page.body).toContain("My quiet orchid");
    expect(page.body).toContain("Bob&#39;s public orchid");
    expect(page.body).not.toContain("secret orchid");
    const mine = await client.get("/search?q=orchid%20from:me");
    expect(mine.body).toContain("My quiet orchid");
    expect(mine.body).not.toContain("Bob&#39;s public orchid");
    expect(mine.body).toContain('value="orchid from:me"');
    const none = await client.get("/search?q=tulip");
    expect(none.body).toContain("No posts found.");
  });

  it("pages by offset and shows a bad query's message", async () => {
    const { i, alice, client } = await setup();
    for (let n = 0; n < 21; n++)
      await publishStatus(i.deps, alice.account.id, { text: `reed ${n}` });
    const first = await client.get("/search?q=reed");
    expect(first.body).toContain("reed 20");
    expect(first.body).not.toContain("reed 0<");
    expect(first.body).toContain('href="/search?q=reed&amp;offset=20"');
    const second = await client.get("/search?q=reed&offset=20");
    expect(second.body).toContain("reed 0");
    expect(second.body).not.toContain("More results");
    const bad = await client.get("/search?q=reed%20before:yesterday");
    expect(bad.res.status).toBe(422);
    expect(bad.body).toContain("YYYY-MM-DD");
  });

  it("sends a handle to the interaction page", async () => {
    const { client } = await setup();
    const res = await client.request(`/search?q=${encodeURIComponent("@bob@localhost:3000")}`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      `/authorize_interaction?uri=${encodeURIComponent("@bob@localhost:3000")}`,
    );
  });
});
