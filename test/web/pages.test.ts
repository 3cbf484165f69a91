import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { accounts, users } from "../../src/db/schema/index.ts";
import { watchEvents } from "../helpers/events.ts";
import { follow, localUser, notify, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function instance(): Promise<TestInstance> {
  const i = await createTestInstance();
  cleanups.push(() => i.close());
  return i;
}

const tileCount = (body: string) => (body.match(/<li class="tile /g) ?? []).length;

describe("explore gallery", () => {
  it("pages through public local images by id, without JavaScript", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    for (let n = 0; n < 30; n++) await status(i, account.id, { images: 1 });
    await status(i, account.id, { images: 0, content: "<p>text only</p>" });
    const client = new PageClient(i.app);
    const first = await client.get("/explore");
    expect(tileCount(first.body)).toBe(24);
    const next = /href="(\/explore\?max_id=\d+)"/.exec(first.body)![1]!;
    const second = await client.get(next);
    expect(tileCount(second.body)).toBe(6);
    expect(second.body).not.toContain("data-next");
    expect((await client.get("/")).body).toContain("Recent images");
    expect((await client.get("/explore?max_id=abc")).res.status).toBe(400);
  });

  it("shows only public statuses: not unlisted, followers-only or direct ones, nor remote ones", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    const remote = await remoteAccount(i, "bob", "remote.example");
    const shown = await status(i, account.id, { images: 1 });
    const hidden = [
      await status(i, account.id, { images: 1, visibility: "unlisted" }),
      await status(i, account.id, { images: 1, visibility: "private" }),
      await status(i, account.id, { images: 1, visibility: "direct" }),
      await status(i, remote.id, { images: 1, local: false }),
    ];
    const { body } = await new PageClient(i.app).get("/explore");
    expect(body).toContain(`/@alice/${shown.id}`);
    for (const s of hidden) expect(body).not.toContain(s.id);
  });

  it("paints blurhash placeholders from a nonced style block and gives every image alt text", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    await status(i, account.id, { images: 1, description: null });
    const { res, body } = await new PageClient(i.app).get("/explore");
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy")!)![1]!;
    expect(body).toMatch(
      new RegExp(
        `<style nonce="${nonce.replace(/[+/=]/g, "\\$&")}">\\.ph-\\d+\\{background:linear-gradient`,
      ),
    );
    const imgs = body.match(/<img [^>]*>/g) ?? [];
    expect(imgs.length).toBeGreaterThan(0);
    for (const img of imgs) expect(img).toMatch(/ alt="[^"]+"/);
    expect(body).toContain('alt="Image without a description"');
  });

  it("stays under 100 KB of HTML, CSS and JS with a full page of tiles or cards, buttons included", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    for (let n = 0; n < 24; n++) await status(i, account.id, { images: 3 });
    const weigh = async (client: PageClient, path: string) => {
      const { body } = await client.get(path);
      let total = Buffer.byteLength(body);
      for (const [, href] of body.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)) {
        total += (await (await client.request(href!)).arrayBuffer()).byteLength;
      }
      return total;
    };
    expect(await weigh(new PageClient(i.app), "/explore")).toBeLessThan(100 * 1024);
    const signedIn = new PageClient(i.app);
    await signedIn.signIn("alice");
    expect(await weigh(signedIn, "/explore")).toBeLessThan(100 * 1024);
    expect(await weigh(signedIn, "/home")).toBeLessThan(100 * 1024);
  });
});

describe("profiles and posts", () => {
  it("never shows a followers-only post to anonymous visitors or pending followers", async () => {
    const i = await instance();
    const { account: alice } = await localUser(i, "alice");
    const { account: bob } = await localUser(i, "bob");
    const { account: carol } = await localUser(i, "carol");
    await follow(i, bob.id, alice.id, "accepted");
    await follow(i, carol.id, alice.id, "pending");
    const secret = await status(i, alice.id, {
      images: 1,
      visibility: "private",
      content: "<p>for my followers</p>",
    });
    const anonymous = new PageClient(i.app);
    for (const path of ["/@alice", "/@alice?tab=posts"]) {
      expect((await anonymous.get(path)).body).not.toContain(secret.id);
    }
    const direct = await anonymous.get(`/@alice/${secret.id}`);
    expect(direct.res.status).toBe(404);
    expect(direct.body).not.toContain("for my followers");

    const carolClient = new PageClient(i.app);
    await carolClient.signIn("carol");
    expect((await carolClient.get(`/@alice/${secret.id}`)).res.status).toBe(404);
    expect((await carolClient.get("/@alice?tab=posts")).body).not.toContain("for my followers");

    const bobClient = new PageClient(i.app);
    await bobClient.signIn("bob");
    const seen = await bobClient.get(`/@alice/${secret.id}`);
    expect(seen.res.status).toBe(200);
    expect(seen.body).toContain("for my followers");
    expect(seen.body).toContain("Followers only");
  });

  it("shows a profile with bio, fields, counts, images and the ActivityPub alternate link", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice", {
      displayName: "Alice <Painter>",
    });
    await i.deps.db
      .update(accounts)
      .set({
        note: "<p>I paint with prompts.</p>",
        fields: [{ name: "Site", value: "alice.example" }],
      })
      .where(eq(accounts.id, account.id));
    const { account: bob } = await localUser(i, "bob");
    await follow(i, bob.id, account.id);
    const s = await status(i, account.id, { images: 2 });
    const { res, body } = await new PageClient(i.app).get("/@alice");
    expect(res.status).toBe(200);
    expect(body).toContain("Alice &lt;Painter&gt;");
    expect(body).not.toContain("Alice <Painter>");
    expect(body).toContain("<p>I paint with prompts.</p>");
    expect(body).toContain("<dt>Site</dt>");
    // One post, one follower: the singular (the i18n layer's plural rules).
    expect(body).toMatch(/<strong>1<\/strong> post</);
    expect(body).toMatch(/<strong>1<\/strong> follower</);
    expect(body).toContain(`/@alice/${s.id}`);
    expect(body).toContain(
      `<link rel="alternate" type="application/activity+json" href="${account.iri}">`,
    );
    expect(body).toContain('<meta property="og:type" content="profile">');
    expect(body).toContain('href="/@alice/remote_follow"');
  });

  it("shows a post with its images, the AI label and Remix link, social-card meta and remote replies", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    const remote = await remoteAccount(i, "bob", "remote.example");
    const post = await status(i, account.id, {
      images: 2,
      prompt: "a fox in the snow <b>bold</b>",
    });
    await status(i, remote.id, {
      local: false,
      inReplyToId: post.id,
      content: "<p>Lovely fox!</p>",
    });
    await status(i, remote.id, {
      local: false,
      inReplyToId: post.id,
      visibility: "direct",
      content: "<p>psst</p>",
    });
    const { res, body } = await new PageClient(i.app).get(`/@alice/${post.id}`);
    expect(res.status).toBe(200);
    expect(body).toContain("AI-generated");
    expect(body).toContain("a fox in the snow &lt;b&gt;bold&lt;/b&gt;");
    expect(body).toContain(`href="/compose?remix=${post.id}"`);
    expect(body).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(body).toMatch(/<meta property="og:image" content="https:\/\/media\.example\/[^"]+">/);
    expect(body).toContain('<meta property="og:image:alt" content="Test image 1">');
    expect(body).toContain(
      `<link rel="alternate" type="application/activity+json" href="${post.iri}">`,
    );
    expect((body.match(/class="lightbox-open/g) ?? []).length).toBe(2);
    expect(body).toContain('<dialog class="lightbox"');
    // The lightbox shows each image's prompt (app.js reads it from the image's link) and offers Remix;
    // the like and boost buttons are there for a signed-in viewer only.
    expect(
      (body.match(/data-prompt="a fox in the snow &lt;b&gt;bold&lt;\/b&gt;"/g) ?? []).length,
    ).toBe(2);
    const dialog = body.slice(body.indexOf('<dialog class="lightbox"'));
    expect(dialog).toContain(`href="/compose?remix=${post.id}"`);
    expect(dialog).not.toContain(`action="/statuses/${post.id}/favourite"`);
    const signedIn = new PageClient(i.app);
    await localUser(i, "carol");
    await signedIn.signIn("carol");
    const seen = (await signedIn.get(`/@alice/${post.id}`)).body;
    expect(seen.slice(seen.indexOf('<dialog class="lightbox"'))).toContain(
      `action="/statuses/${post.id}/favourite"`,
    );
    expect(body).toContain("Lovely fox!");
    expect(body).toContain("@bob@remote.example");
    expect(body).not.toContain("psst");
    // A post is found only under its own author's path.
    await localUser(i, "mallory");
    expect((await new PageClient(i.app).get(`/@mallory/${post.id}`)).res.status).toBe(404);
  });
});

describe("signed-in pages", () => {
  it("builds the home timeline from accepted follows and one's own posts, with boosts and replies", async () => {
    const i = await instance();
    const db = i.deps.db;
    const { account: alice } = await localUser(i, "alice");
    const { account: bob } = await localUser(i, "bob");
    const { account: carol } = await localUser(i, "carol");
    const { account: dave } = await localUser(i, "dave");
    await follow(db, alice.id, bob.id, "accepted");
    await follow(db, alice.id, dave.id, "pending");
    const own = await status(i, alice.id, { content: "<p>mine</p>" });
    const bobs = await status(i, bob.id, {
      content: "<p>bob followers-only</p>",
      visibility: "private",
    });
    const carols = await status(i, carol.id, { content: "<p>carol's art</p>" });
    await status(i, bob.id, { reblogOfId: carols.id, content: "" });
    await status(i, bob.id, { inReplyToId: carols.id, content: "<p>bob replies</p>" });
    await status(i, dave.id, { content: "<p>dave pending</p>" });
    await status(i, carol.id, { content: "<p>carol unboosted</p>" });
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const { body } = await client.get("/home");
    expect(body).toContain("mine");
    expect(body).toContain("bob followers-only");
    expect(body).toContain("carol's art");
    expect(body).toContain("boosted");
    expect(body).toContain("bob replies");
    expect(body).not.toContain("dave pending");
    expect(body).not.toContain("carol unboosted");
    expect(body.indexOf("bob replies")).toBeLessThan(body.indexOf("mine"));
    expect(own.id < bobs.id).toBe(true);
  });

  it("shows the unread count, lists notifications and marks them read once seen", async () => {
    const i = await instance();
    const { account: alice } = await localUser(i, "alice");
    const { account: bob } = await localUser(i, "bob");
    const s = await status(i, alice.id);
    await notify(i, alice.id, bob.id, "follow");
    await notify(i, alice.id, bob.id, "favourite", s.id);
    const client = new PageClient(i.app);
    await client.signIn("alice");
    expect((await client.get("/explore")).body).toContain('aria-label="2 unread"');
    const list = await client.get("/notifications");
    expect(list.body).toContain("followed you");
    expect(list.body).toContain("liked your post");
    expect(list.body).toContain(`/@alice/${s.id}`);
    expect((await client.get("/explore")).body).not.toContain("unread");
  });

  it("saves profile settings and AI-data consent, and records an account update", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const seen = watchEvents(i.deps.events, "account.updated");
    const csrf = await client.csrfFrom("/settings");
    const res = await client.post("/settings/profile", {
      csrf,
      display_name: "Alice",
      bio: "Hello <world>\n\nSecond paragraph",
      field_name_0: "Pronouns",
      field_value_0: "she/her",
      locked: "1",
      indexable: "1",
      ai_data_consent: "1",
    });
    expect(res.status).toBe(303);
    const row = (
      await i.deps.db.select().from(accounts).where(eq(accounts.id, account.id)).limit(1)
    )[0]!;
    expect(row.displayName).toBe("Alice");
    expect(row.note).toBe("<p>Hello &#60;world&#62;</p><p>Second paragraph</p>");
    expect(row.fields).toEqual([{ name: "Pronouns", value: "she/her" }]);
    expect(row.locked).toBe(true);
    expect(row.discoverable).toBe(false);
    expect(row.indexable).toBe(true);
    const user = (
      await i.deps.db.select().from(users).where(eq(users.accountId, account.id)).limit(1)
    )[0]!;
    expect(user.aiDataConsent).toBe(true);
    await i.deps.events.drain();
    expect(seen.map((e) => e.type)).toContain("account.updated");
    const page = await client.get("/settings?saved=1");
    expect(page.body).toContain("Settings saved.");
    expect(page.body).toContain("Hello &lt;world&gt;");
    expect((await client.get("/about/data")).body).toContain("allowed in datasets");
  });

  it("rejects a too-long display name with a clear message and keeps the old profile", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice", { displayName: "Old" });
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const csrf = await client.csrfFrom("/settings");
    const res = await client.post("/settings/profile", { csrf, display_name: "x".repeat(31) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("display name is too long (maximum is 30 characters)");
    const row = (
      await i.deps.db.select().from(accounts).where(eq(accounts.id, account.id)).limit(1)
    )[0]!;
    expect(row.displayName).toBe("Old");
  });

  it("explains on the data page what is stored and what goes to the AI provider", async () => {
    const i = await instance();
    const { body } = await new PageClient(i.app).get("/about/data");
    expect(body).toContain("What this server stores");
    expect(body).toContain("What goes to an AI provider");
    expect(body).toContain("whether you allow it");
    // Only what is true today: no export was made yet, and deleting one's own account exists.
    // The sentence comes from the catalogue now, printed escaped (the apostrophe as &#39;).
    expect(body).toContain("No dataset has been exported from this server&#39;s admin page.");
    expect(body).not.toContain("later version");
    expect(body).toContain("delete your account yourself");
  });
});

describe("static assets", () => {
  it("serves CSS and JS under content-hashed names with an immutable cache and ETags", async () => {
    const i = await instance();
    const client = new PageClient(i.app);
    const { body } = await client.get("/explore");
    const css = /href="(\/static\/app\.[0-9a-f]{12}\.css)"/.exec(body)![1]!;
    const res = await client.request(css);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/css/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = res.headers.get("etag")!;
    const again = await client.request(css, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect((await client.request("/static/app.000000000000.css")).status).toBe(404);
  });
});
