import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Status } from "../../src/db/schema/index.ts";
import { followAccount } from "../../src/domain/follows.ts";
import { localUser, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
let client: PageClient;
let bobPost: Status;
let ownPost: Status;

beforeAll(async () => {
  i = await createTestInstance();
  const { db, urls } = i.deps;
  const alice = (await localUser({ db, urls }, "alice")).account;
  const bob = (await localUser({ db, urls }, "bob")).account;
  await followAccount(db, urls, alice, bob);
  bobPost = await status({ db, urls }, bob.id, { images: 1, content: "<p>Bob's picture</p>" });
  ownPost = await status({ db, urls }, alice.id, { content: "<p>Alice's note</p>" });
  client = new PageClient(i.app);
  await client.signIn("alice");
});
afterAll(() => i.close());

const likeForm = (body: string, id: string) =>
  new RegExp(
    `formaction="/statuses/${id}/(un)?favourite" class="action" data-toggle="favourite" aria-pressed="(true|false)">Like <span class="count">(\\d+)</span>`,
  ).exec(body);

describe("action buttons on timeline, profile and explore cards", () => {
  it("shows reply, boost and like with counts on home cards, and delete only on one's own", async () => {
    const { body } = await client.get("/home");
    const like = likeForm(body, bobPost.id)!;
    expect(like[2]).toBe("false");
    expect(like[3]).toBe("0");
    expect(body).toContain(`href="/@bob/${bobPost.id}#reply-text"`);
    expect(body).toContain(`action="/statuses/${bobPost.id}/reblog"`);
    expect(body).toContain(`action="/statuses/${ownPost.id}/delete"`);
    expect(body).not.toContain(`action="/statuses/${bobPost.id}/delete"`);
  });

  it("likes from a card without JavaScript: back to the card, pressed, counted", async () => {
    const csrf = await client.csrfFrom("/home");
    const res = await client.post(`/statuses/${bobPost.id}/favourite`, {
      csrf,
      return_to: `/home#c-${bobPost.id}`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/home#c-${bobPost.id}`);
    const like = likeForm((await client.get("/home")).body, bobPost.id)!;
    expect(like[1]).toBe("un");
    expect([like[2], like[3]]).toEqual(["true", "1"]);
    const profile = (await client.get("/@bob")).body;
    expect(likeForm(profile, bobPost.id)?.[2]).toBe("true");
  });

  it("answers app.js with the new state as JSON", async () => {
    const csrf = await client.csrfFrom("/home");
    const res = await client.request(`/statuses/${bobPost.id}/reblog`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: bobPost.id,
      reblogged: true,
      favourited: true,
      reblogsCount: 1,
      favouritesCount: 1,
    });
  });

  it("shows like and boost on explore tiles to signed-in viewers only", async () => {
    const signedIn = (await client.get("/explore")).body;
    expect(signedIn).toContain(`formaction="/statuses/${bobPost.id}/unfavourite"`);
    const anonymous = (await new PageClient(i.app).get("/explore")).body;
    expect(anonymous).toContain(`/@bob/${bobPost.id}`);
    expect(anonymous).not.toContain("data-toggle");
  });

  it("deletes one's own post from a card and returns to the list", async () => {
    const csrf = await client.csrfFrom("/home");
    const res = await client.post(`/statuses/${ownPost.id}/delete`, {
      csrf,
      return_to: `/home#c-${ownPost.id}`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/home#c-${ownPost.id}`);
    expect((await client.get("/home")).body).not.toContain(`id="c-${ownPost.id}"`);
  });
});
