// Polls on the pages: the compose page's question form publishes a poll, a post shows its vote form to
// someone who may vote and its results (share per option, one's own vote) after voting, without
// JavaScript; checkboxes send several choices; hidden totals stay hidden from voters.
import { afterEach, describe, expect, it } from "vitest";
import { pollVotes, statuses } from "../../src/db/schema/index.ts";
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

const vote = (client: PageClient, id: string, csrf: string, choices: string[]) => {
  const body = new URLSearchParams({ csrf });
  for (const c of choices) body.append("choices", c);
  return client.request(`/statuses/${id}/vote`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
};

describe("polls on the pages", () => {
  it("asks a question from the compose page", async () => {
    const { i, alice, client } = await setup();
    const page = await client.get("/compose");
    expect(page.body).toContain('action="/compose/poll"');
    expect(page.body).toContain('name="option_3"');
    const csrf = await client.csrfFrom("/compose");
    const res = await client.post("/compose/poll", {
      csrf,
      text: "Tea or coffee?",
      option_0: "Tea",
      option_1: "Coffee",
      option_2: "",
      option_3: "",
      expires_in: "3600",
      multiple: "true",
      visibility: "public",
    });
    expect(res.status).toBe(303);
    const [row] = await i.deps.db.select().from(statuses);
    expect(row!.accountId).toBe(alice.account.id);
    expect(row!.poll?.options.map((o) => o.title)).toEqual(["Tea", "Coffee"]);
    expect(row!.poll?.multiple).toBe(true);
    expect(res.headers.get("location")).toBe(`/@alice/${row!.id}`);
    // One answer is refused, and nothing is posted.
    const refused = await client.post("/compose/poll", {
      csrf,
      text: "Only one?",
      option_0: "Yes",
      expires_in: "3600",
    });
    expect(refused.status).toBe(422);
    expect(await i.deps.db.select().from(statuses)).toHaveLength(1);
  });

  it("shows the vote form, takes several choices, then shows the results with one's own", async () => {
    const { i, alice, bob, client } = await setup();
    const post = await publishStatus(i.deps, bob.account.id, {
      text: "Pick colours",
      poll: { options: ["Red", "Green", "Blue"], expiresIn: 3600, multiple: true },
    });
    const page = await client.get(`/@bob/${post.id}`);
    expect(page.body).toContain(`action="/statuses/${post.id}/vote"`);
    expect(page.body).toContain('type="checkbox" name="choices" value="2"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await vote(client, post.id, csrf, ["0", "2"]);
    expect(res.status).toBe(303);
    expect((await i.deps.db.select().from(pollVotes)).map((v) => [v.accountId, v.choice])).toEqual([
      [alice.account.id, 0],
      [alice.account.id, 2],
    ]);
    const after = await client.get(`/@bob/${post.id}`);
    expect(after.body).not.toContain(`action="/statuses/${post.id}/vote"`);
    expect(after.body).toContain('<meter min="0" max="100" value="50">');
    expect(after.body.match(/Your vote/g)).toHaveLength(2);
    // A second vote is refused.
    expect((await vote(client, post.id, csrf, ["1"])).status).toBe(422);
    // The author's own profile card shows results, not a form.
    const author = new PageClient(i.app);
    await author.signIn("bob");
    const own = await author.get("/@bob?tab=posts");
    expect(own.body).toContain("Poll results");
    expect(own.body).not.toContain(`action="/statuses/${post.id}/vote"`);
  });

  it("keeps hidden totals hidden from a voter", async () => {
    const { i, bob, client } = await setup();
    const post = await publishStatus(i.deps, bob.account.id, {
      text: "Secret ballot",
      poll: { options: ["Yes", "No"], expiresIn: 3600, hideTotals: true },
    });
    const csrf = await client.csrfFrom(`/@bob/${post.id}`);
    expect((await vote(client, post.id, csrf, ["1"])).status).toBe(303);
    const after = await client.get(`/@bob/${post.id}`);
    expect(after.body).toContain("Results are shown when the poll closes.");
    expect(after.body).not.toContain("<meter");
  });
});
