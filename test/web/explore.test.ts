// The explore tabs as a browser without JavaScript sees them: Trending ranks images by distinct accounts'
// engagement and says why, Latest is the public timeline (this server's, or every server's), Tags the
// trending hashtags, Following the images of the accounts followed; every tile carries the AI label and
// the prompt, or the content warning in its place; "Who to follow" offers a follow form that comes back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { type Account, favourites } from "../../src/db/schema/index.ts";
import {
  follow,
  localUser,
  remoteAccount,
  type StatusOptions,
  status,
} from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const HOUR = 3600_000;
// A quarter to the hour before now: the rows written before it (the engagement and the tags' uses, five
// minutes before) fall on its UTC day, whenever the test runs.
const NOW = Math.floor(Date.now() / HOUR) * HOUR - 15 * 60_000;

let instance: TestInstance;
let painter: Account;
const fans: Account[] = [];
const trending: Record<"top" | "second" | "few", { id: string }> = {} as never;

const tileIds = (body: string) =>
  [...body.matchAll(/<li class="tile [^"]*" id="t-(\d+)"/g)].map((m) => m[1]);

/** An image post made `ageHours` before NOW and favourited by `likes` fans after it was posted. */
async function liked(
  author: Account,
  likes: number,
  ageHours: number,
  options: StatusOptions = {},
) {
  const made = NOW - ageHours * HOUR;
  const post = await status(instance, author, {
    id: newId(made),
    createdAt: new Date(made),
    images: 1,
    ...options,
  });
  for (let i = 0; i < likes; i++) {
    await instance.deps.db
      .insert(favourites)
      .values({ id: newId(made + (i + 1) * 60_000), accountId: fans[i]!.id, statusId: post.id });
  }
  return post;
}

beforeAll(async () => {
  instance = await createTestInstance({}, {}, { now: () => new Date(NOW) });
  painter = (await localUser(instance, "painter")).account;
  for (let i = 0; i < 6; i++) {
    fans.push(await remoteAccount(instance, `fan${i}`, "fans.example", { discoverable: true }));
  }
  // One refresh reads all the engagement (it reads forward from where the last one stopped). Scores
  // halve every two hours: 6 accounts two hours on (18) rank over 5 accounts three hours on (8.8).
  trending.top = await liked(painter, 6, 2, { prompt: "a red kite over dunes" });
  trending.second = await liked(painter, 5, 3);
  trending.few = await liked(painter, 4, 1);
  for (let i = 0; i < 5; i++) {
    const at = NOW - 5 * 60_000 + i * 1000;
    await status(instance, fans[i]!, { id: newId(at), createdAt: new Date(at), tags: ["Kites"] });
  }
  await instance.deps.trends.refresh(new Date(NOW));
});
afterAll(async () => {
  await instance.close();
});

describe("explore tabs", () => {
  it("Trending ranks images by distinct accounts and says who engaged and over what span", async () => {
    const { top, second, few } = trending;
    const { res, body } = await new PageClient(instance.app).get("/explore/trending");
    expect(res.status).toBe(200);
    const ids = tileIds(body);
    expect(ids.slice(0, 2)).toEqual([top.id, second.id]);
    expect(ids).not.toContain(few.id);
    expect(body).toContain("6 people liked, boosted or replied in the last 2 hours");
    expect(body).toContain("5 people liked, boosted or replied in the last 3 hours");
    // One link names this page; the header's Explore only says the page is within it.
    expect(body.match(/aria-current="page"/g)).toHaveLength(1);
    expect(body).toContain('href="/explore/trending" aria-current="page"');
    expect(body).toContain('href="/explore" aria-current="true"');
    expect((await new PageClient(instance.app).get("/explore/trending?offset=x")).res.status).toBe(
      400,
    );
  });

  it("puts the AI label and the prompt on every tile, and a sensitive tile's warning instead", async () => {
    const plain = await status(instance, painter, {
      images: 1,
      prompt: "a glass whale, studio light",
    });
    const warned = await status(instance, painter, {
      images: 1,
      prompt: "a secret the warning hides",
      spoilerText: "eye strain",
    });
    const { body } = await new PageClient(instance.app).get("/explore");
    const tileOf = (id: string) => {
      const start = body.indexOf(`id="t-${id}"`);
      return body.slice(start, body.indexOf("</li>", start));
    };
    expect(tileOf(plain.id)).toMatch(
      /class="tag tag-ai">AI<span class="visually-hidden">-generated:/,
    );
    expect(tileOf(plain.id)).toContain("a glass whale, studio light");
    expect(tileOf(warned.id)).toContain("eye strain");
    expect(tileOf(warned.id)).toContain("tag-ai");
    expect(body).not.toContain("a secret the warning hides");
  });

  it("Latest shows this server's public images, or every server's, and pages by id", async () => {
    const remote = await remoteAccount(instance, "sculptor", "remote.example");
    const away = await status(instance, remote, { images: 1 });
    const mine = await status(instance, painter, { images: 1 });
    const closed = await status(instance, painter, { images: 1, visibility: "private" });
    const client = new PageClient(instance.app);
    const local = (await client.get("/explore/latest")).body;
    expect(tileIds(local)[0]).toBe(mine.id);
    expect(tileIds(local)).not.toContain(away.id);
    expect(local).toContain('href="/explore/latest" aria-current="true"');
    const federated = (await client.get("/explore/latest?scope=federated")).body;
    expect(tileIds(federated)).toContain(away.id);
    for (const body of [local, federated]) expect(tileIds(body)).not.toContain(closed.id);

    for (let n = 0; n < 24; n++) await status(instance, painter, { images: 1 });
    const first = (await client.get("/explore/latest")).body;
    expect(tileIds(first)).toHaveLength(24);
    const next = /href="(\/explore\/latest\?max_id=\d+)"/.exec(first)![1]!;
    const second = tileIds((await client.get(next)).body);
    expect(second[0]).toBe(mine.id);
    expect(second.some((id) => tileIds(first).includes(id!))).toBe(false);
  });

  it("Tags lists the hashtags that trend today, with who used them", async () => {
    const { body } = await new PageClient(instance.app).get("/explore/tags");
    expect(body).toContain('href="/tags/kites">#Kites</a>');
    expect(body).toContain("5 people today, 0 people yesterday · 5 posts this week");
  });

  it("Following needs a session, shows the followed accounts' images, and Who to follow comes back here", async () => {
    const visitor = new PageClient(instance.app);
    expect((await visitor.request("/explore/following")).status).toBe(303);

    const readerAccount = (await localUser(instance, "reader")).account;
    const followed = await remoteAccount(instance, "etcher", "remote.example", {
      discoverable: true,
    });
    const reader = new PageClient(instance.app);
    expect((await reader.signIn("reader")).status).toBe(303);
    await follow(instance, readerAccount.id, followed.id);
    // Followed by someone the reader follows: fan0 is a friend of a friend.
    await follow(instance, followed.id, fans[0]!.id);
    const theirs = await status(instance, followed, { images: 1 });
    const other = await status(instance, painter, { images: 1 });
    const { body } = await reader.get("/explore/following");
    expect(tileIds(body)).toContain(theirs.id);
    expect(tileIds(body)).not.toContain(other.id);

    // The suggestions are discoverable accounts not yet followed; the form returns to this page.
    const from = body.indexOf('aria-labelledby="who-to-follow"');
    const panel = body.slice(from, body.indexOf("</aside>", from));
    expect(panel).toContain("Who to follow");
    expect(panel).toContain("@fan0@fans.example");
    expect(panel).not.toContain("@etcher@remote.example");
    expect(panel).toContain('name="return_to" value="/explore/following"');
  });
});
