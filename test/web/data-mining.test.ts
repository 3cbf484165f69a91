import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Account,
  type MediaAttachment,
  mediaAttachments,
  statuses,
} from "../../src/db/schema/index.ts";
import {
  DEFAULT_AI_CRAWLERS,
  resetAiCrawlers,
  setAiCrawlers,
  setInstancePagesReserved,
} from "../../src/domain/data-mining.ts";
import { setConsent } from "../helpers/consent.ts";
import { localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
let visitor: PageClient;
let alice: Account;
let remote: Account;
let aliceImage: MediaAttachment;
let alicePost: string;

const image = (background: string) =>
  sharp({ create: { width: 40, height: 30, channels: 3, background } })
    .png()
    .toBuffer();

beforeAll(async () => {
  i = await createTestInstance();
  const { db, urls } = i.deps;
  await localUser({ db, urls }, "boss", { admin: true });
  alice = (await localUser({ db, urls }, "alice")).account;
  remote = await remoteAccount({ db, urls }, "far", "remote.example");
  alicePost = (await status({ db, urls }, alice.id, { content: "<p>Sea</p>" })).id;
  aliceImage = await i.deps.media.ingest(alice.id, await image("#0af"));
  visitor = new PageClient(i.app);
});
afterAll(() => i.close());

const mediaPath = (key: string) => `/media/${key}`;

async function declared(path: string) {
  const { res, body } = await visitor.get(path);
  expect(res.status).toBe(200);
  return {
    header: res.headers.get("tdm-reservation"),
    meta: /<meta name="tdm-reservation" content="([01])">/.exec(body)?.[1] ?? null,
    robots: /<meta name="robots" content="([^"]*)">/.exec(body)?.[1] ?? null,
  };
}

describe("pages and media of a user who has not consented", () => {
  it("reserve mining: tdm-reservation 1 on the profile, its gallery, a post and the media", async () => {
    for (const path of ["/@alice", "/@alice?tab=posts", `/@alice/${alicePost}`]) {
      expect(await declared(path)).toEqual({ header: "1", meta: "1", robots: "noai, noimageai" });
    }
    for (const key of [aliceImage.displayKey!, aliceImage.originalKey!, aliceImage.thumbnailKey!]) {
      const res = await i.app.request(mediaPath(key));
      expect(res.status).toBe(200);
      expect(res.headers.get("tdm-reservation")).toBe("1");
      const head = await i.app.request(mediaPath(key), { method: "HEAD" });
      expect(head.headers.get("tdm-reservation")).toBe("1");
    }
  });

  it("a remote account's profile keeps noindex and reserves mining too", async () => {
    expect(await declared(`/@far@remote.example`)).toEqual({
      header: "1",
      meta: "1",
      robots: "noindex, noarchive, noai, noimageai",
    });
    expect(remote.domain).toBe("remote.example");
  });
});

describe("consent flips the declarations", () => {
  it("once alice consents her pages and files say 0 and lose noai; withdrawing brings it back", async () => {
    await setConsent(i.deps.db, alice.id, true);
    for (const path of ["/@alice", `/@alice/${alicePost}`]) {
      expect(await declared(path)).toEqual({ header: "0", meta: "0", robots: null });
    }
    const file = await i.app.request(mediaPath(aliceImage.displayKey!));
    expect(file.headers.get("tdm-reservation")).toBe("0");
    // A 304 carries it too, so a revalidating cache learns of a change.
    const revalidated = await i.app.request(mediaPath(aliceImage.displayKey!), {
      headers: { "If-None-Match": file.headers.get("etag")! },
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("tdm-reservation")).toBe("0");

    await setConsent(i.deps.db, alice.id, false);
    expect(await declared("/@alice")).toEqual({
      header: "1",
      meta: "1",
      robots: "noai, noimageai",
    });
    expect(
      (await i.app.request(mediaPath(aliceImage.displayKey!))).headers.get("tdm-reservation"),
    ).toBe("1");
  });

  it("a file that a consenting and a non-consenting user both hold stays reserved", async () => {
    const { db, urls } = i.deps;
    const bob = (await localUser({ db, urls }, "bob")).account;
    await setConsent(db, bob.id, true);
    const bytes = await image("#f50");
    const bobs = await i.deps.media.ingest(bob.id, bytes);
    expect((await i.app.request(mediaPath(bobs.displayKey!))).headers.get("tdm-reservation")).toBe(
      "0",
    );
    // The same bytes uploaded by alice: the same content-addressed file, now partly hers.
    const alices = await i.deps.media.ingest(alice.id, bytes);
    expect(alices.displayKey).toBe(bobs.displayKey);
    expect((await i.app.request(mediaPath(bobs.displayKey!))).headers.get("tdm-reservation")).toBe(
      "1",
    );
  });
});

describe("a post kept out of datasets", () => {
  it("is reserved, page and images, even while its author consents; her other posts stay open", async () => {
    const { db, urls } = i.deps;
    const carol = (await localUser({ db, urls }, "carol")).account;
    await setConsent(db, carol.id, true);
    const open = await status({ db, urls }, carol.id, { content: "<p>Open</p>" });
    const kept = await status({ db, urls }, carol.id, {
      content: "<p>Kept</p>",
      datasetOptOut: true,
    });
    const openImage = await i.deps.media.ingest(carol.id, await image("#123"));
    const keptImage = await i.deps.media.ingest(carol.id, await image("#456"));
    await db
      .update(mediaAttachments)
      .set({ statusId: open.id })
      .where(eq(mediaAttachments.id, openImage.id));
    await db
      .update(mediaAttachments)
      .set({ statusId: kept.id })
      .where(eq(mediaAttachments.id, keptImage.id));
    const fileHeader = async (key: string) =>
      (await i.app.request(mediaPath(key))).headers.get("tdm-reservation");

    expect(await declared(`/@carol/${open.id}`)).toEqual({ header: "0", meta: "0", robots: null });
    expect(await declared(`/@carol/${kept.id}`)).toEqual({
      header: "1",
      meta: "1",
      robots: "noai, noimageai",
    });
    // The profile is the account's: open, as she consented.
    expect((await declared("/@carol")).header).toBe("0");
    expect(await fileHeader(openImage.displayKey!)).toBe("0");
    for (const key of [keptImage.displayKey!, keptImage.originalKey!, keptImage.thumbnailKey!]) {
      expect(await fileHeader(key)).toBe("1");
      const head = await i.app.request(mediaPath(key), { method: "HEAD" });
      expect(head.headers.get("tdm-reservation")).toBe("1");
    }

    // Withdrawing consent reserves the open post too; the kept one stays reserved.
    await setConsent(db, carol.id, false);
    expect((await declared(`/@carol/${open.id}`)).header).toBe("1");
    expect(await fileHeader(openImage.displayKey!)).toBe("1");
    expect((await declared(`/@carol/${kept.id}`)).header).toBe("1");
    await setConsent(db, carol.id, true);

    // Taking the post back into datasets (an edit clears the flag) opens it again.
    await db.update(statuses).set({ datasetOptOut: false }).where(eq(statuses.id, kept.id));
    expect((await declared(`/@carol/${kept.id}`)).header).toBe("0");
    expect(await fileHeader(keptImage.displayKey!)).toBe("0");
    // The tdmrep.json test below counts the consenting users.
    await setConsent(db, carol.id, false);
  });

  it("a file shared by an open post and a kept-out one stays reserved", async () => {
    const { db, urls } = i.deps;
    const dan = (await localUser({ db, urls }, "dan")).account;
    await setConsent(db, dan.id, true);
    const bytes = await image("#789");
    const first = await i.deps.media.ingest(dan.id, bytes);
    const openPost = await status({ db, urls }, dan.id, { content: "<p>One</p>" });
    await db
      .update(mediaAttachments)
      .set({ statusId: openPost.id })
      .where(eq(mediaAttachments.id, first.id));
    expect((await i.app.request(mediaPath(first.displayKey!))).headers.get("tdm-reservation")).toBe(
      "0",
    );
    const second = await i.deps.media.ingest(dan.id, bytes);
    expect(second.displayKey).toBe(first.displayKey);
    const keptPost = await status({ db, urls }, dan.id, {
      content: "<p>Two</p>",
      datasetOptOut: true,
    });
    await db
      .update(mediaAttachments)
      .set({ statusId: keptPost.id })
      .where(eq(mediaAttachments.id, second.id));
    expect((await i.app.request(mediaPath(first.displayKey!))).headers.get("tdm-reservation")).toBe(
      "1",
    );
    await setConsent(db, dan.id, false);
  });
});

describe("instance pages", () => {
  it("reserve mining by default and follow the administrator's policy", async () => {
    for (const path of ["/", "/explore", "/about", "/tags/sea"]) {
      expect(await declared(path)).toMatchObject({ header: "1", meta: "1" });
    }
    await setInstancePagesReserved(i.deps.db, false);
    for (const path of ["/", "/explore", "/about", "/tags/sea"]) {
      expect(await declared(path)).toEqual({ header: "0", meta: "0", robots: null });
    }
    // A user's own pages are theirs, whatever the instance's policy.
    expect((await declared("/@alice")).header).toBe("1");
    await setInstancePagesReserved(i.deps.db, true);
    expect((await declared("/explore")).header).toBe("1");
  });
});

describe("robots.txt", () => {
  it("disallows the known AI crawlers everywhere and leaves every other crawler as it was", async () => {
    await resetAiCrawlers(i.deps.db);
    const { res, body } = await visitor.get("/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const groups = body.split(/\n\n/).map((g) => g.split("\n").filter((l) => !l.startsWith("#")));
    expect(groups[0]).toEqual([
      ...DEFAULT_AI_CRAWLERS.map((a) => `User-agent: ${a}`),
      "Disallow: /",
    ]);
    for (const bot of ["GPTBot", "CCBot", "ClaudeBot", "Google-Extended", "Bytespider"]) {
      expect(groups[0]).toContain(`User-agent: ${bot}`);
    }
    expect(groups[1]).toEqual(["User-agent: *", "Disallow:", ""]);
  });

  it("uses the administrator's edited list, and the default again after a reset", async () => {
    await setAiCrawlers(i.deps.db, "GPTBot\n\n  SomeNewBot  \ngptbot\n");
    const edited = (await visitor.get("/robots.txt")).body;
    expect(edited).toContain("User-agent: GPTBot\nUser-agent: SomeNewBot\nDisallow: /\n");
    expect(edited).not.toContain("CCBot");
    await setAiCrawlers(i.deps.db, "");
    expect((await visitor.get("/robots.txt")).body).not.toContain("Disallow: /");
    await resetAiCrawlers(i.deps.db);
    expect((await visitor.get("/robots.txt")).body).toContain("User-agent: CCBot\n");
  });

  it("refuses a line that is not a user agent, and the wildcard", async () => {
    await expect(setAiCrawlers(i.deps.db, "GPTBot\nDisallow: /")).rejects.toThrow(/not a crawler/);
    await expect(setAiCrawlers(i.deps.db, "*")).rejects.toThrow(/not a crawler/);
  });
});

describe("/.well-known/tdmrep.json", () => {
  it("lists consenting users' pages as open before the reserved places, first match first", async () => {
    const rules = async () => {
      const res = await i.app.request("/.well-known/tdmrep.json");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      return (await res.json()) as { location: string; "tdm-reservation": number }[];
    };
    const reserved = [
      { location: "/@", "tdm-reservation": 1 },
      { location: "/users/", "tdm-reservation": 1 },
      { location: "/statuses/", "tdm-reservation": 1 },
      { location: "/media/", "tdm-reservation": 1 },
      { location: "/", "tdm-reservation": 1 },
    ];
    // bob consented (above); alice has not.
    expect(await rules()).toEqual([
      { location: "/@bob$", "tdm-reservation": 0 },
      { location: "/@bob?", "tdm-reservation": 0 },
      { location: "/@bob/", "tdm-reservation": 0 },
      ...reserved,
    ]);
    await setConsent(i.deps.db, alice.id, true);
    const both = await rules();
    expect(both.slice(0, 3).map((r) => r.location)).toEqual(["/@alice$", "/@alice?", "/@alice/"]);
    expect(both).toHaveLength(6 + reserved.length);
    await setConsent(i.deps.db, alice.id, false);
    await setInstancePagesReserved(i.deps.db, false);
    expect((await rules()).at(-1)).toEqual({ location: "/", "tdm-reservation": 0 });
    await setInstancePagesReserved(i.deps.db, true);
  });
});

describe("the administrators' AI crawlers tab", () => {
  it("edits the robots.txt list, resets it and sets the instance pages' reservation", async () => {
    const admin = new PageClient(i.app);
    await admin.signIn("boss");
    const user = new PageClient(i.app);
    await user.signIn("alice");
    expect((await user.get("/admin/crawlers")).res.status).toBe(403);

    const shown = (await admin.get("/admin/crawlers")).body;
    expect(shown).toContain(`>${DEFAULT_AI_CRAWLERS.join("\n")}</textarea>`);
    const csrf = await admin.csrfFrom("/admin/crawlers");
    const saved = await admin.post("/admin/crawlers", { csrf, crawlers: "GPTBot\nNewAiBot" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/admin/crawlers?done=saved");
    expect((await visitor.get("/robots.txt")).body).toContain(
      "User-agent: GPTBot\nUser-agent: NewAiBot\nDisallow: /\n",
    );
    expect((await admin.get("/admin/crawlers")).body).toContain(">GPTBot\nNewAiBot</textarea>");
    // Without the form's token nothing changes.
    expect((await user.post("/admin/crawlers", { csrf: "x", crawlers: "" })).status).toBe(403);
    expect((await admin.post("/admin/crawlers", { csrf: "x", crawlers: "" })).status).toBe(403);

    expect((await admin.post("/admin/crawlers/reset", { csrf })).status).toBe(303);
    expect((await visitor.get("/robots.txt")).body).toContain("User-agent: CCBot\n");
    expect((await visitor.get("/robots.txt")).body).not.toContain("NewAiBot");

    expect((await admin.post("/admin/crawlers/tdm", { csrf })).status).toBe(303);
    expect((await declared("/explore")).header).toBe("0");
    expect((await admin.post("/admin/crawlers/tdm", { csrf, reserved: "1" })).status).toBe(303);
    expect((await declared("/explore")).header).toBe("1");

    const bad = await admin.post("/admin/crawlers", { csrf, crawlers: "Good\nUser-agent: *" });
    expect(bad.status).toBe(400);
  });
});
