// Pins and featured hashtags on the pages: the Pin/Unpin button on one's own posts, pinned posts first
// on the profile with a "Pinned" label (visitors see only the pins they may see), and featured hashtags
// managed in settings and shown on the profile, linking to the posts with them.
import { afterEach, describe, expect, it } from "vitest";
import { featuredTagsOf, pinnedStatuses } from "../../src/db/queries/pins.ts";
import { pinStatus } from "../../src/domain/pins.ts";
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

const csrfOf = (body: string) => /name="csrf" value="([^"]+)"/.exec(body)![1]!;

describe("pins on the pages", () => {
  it("pins and unpins one's own post from its page; others' posts have no Pin button", async () => {
    expect.hasAssertions();
    const { i, alice, bob, client } = await setup();
    const mine = await publishStatus(i.deps, alice.account.id, { text: "Mine" });
    const theirs = await publishStatus(i.deps, bob.account.id, { text: "Theirs" });
    const page = await client.get(`/@alice/${mine.id}`);
    expect(page.body).toContain(`formaction="/statuses/${mine.id}/pin"`);
    expect((await client.get(`/@bob/${theirs.id}`)).body).not.toContain(
      `/statuses/${theirs.id}/pin"`,
    );

    const res = await client.post(`/statuses/${mine.id}/pin`, {
      csrf: csrfOf(page.body),
      return_to: `/@alice/${mine.id}`,
    });
    expect(res.status).toBe(303);
    expect(
      (await pinnedStatuses(i.deps.db, alice.account.id, alice.account.id)).map((s) => s.id),
    ).toEqual([mine.id]);
    const after = await client.get(`/@alice/${mine.id}`);
    expect(after.body).toContain(`formaction="/statuses/${mine.id}/unpin"`);

    await client.post(`/statuses/${mine.id}/unpin`, { csrf: csrfOf(after.body) });
    expect(await pinnedStatuses(i.deps.db, alice.account.id, alice.account.id)).toEqual([]);
    // Someone else's post cannot be pinned through the form either.
    const refused = await client.post(`/statuses/${theirs.id}/pin`, { csrf: csrfOf(after.body) });
    expect(refused.status).toBe(422);
    expect(await pinnedStatuses(i.deps.db, alice.account.id, alice.account.id)).toEqual([]);
  });

  it("shows pinned posts first on the profile, labelled, and only those a visitor may see", async () => {
    expect.hasAssertions();
    const { i, alice } = await setup();
    const pinnedPublic = await publishStatus(i.deps, alice.account.id, {
      text: "Pinned lighthouse",
    });
    const pinnedPrivate = await publishStatus(i.deps, alice.account.id, {
      text: "Pinned for followers",
      visibility: "private",
    });
    await publishStatus(i.deps, alice.account.id, { text: "Newest, not pinned" });
    await pinStatus(i.deps.db, alice.account, pinnedPublic);
    await pinStatus(i.deps.db, alice.account, pinnedPrivate);

    const visitor = new PageClient(i.app);
    const body = (await visitor.get("/@alice?tab=posts")).body;
    const pinnedSection = /<section class="pinned"[\s\S]*?<\/section>/.exec(body)?.[0] ?? "";
    expect(pinnedSection).toContain("Pinned lighthouse");
    expect(pinnedSection).toContain("Pinned</p>");
    expect(pinnedSection).not.toContain("Pinned for followers");
    // The pinned post comes before the newest post in the page.
    expect(body.indexOf("Pinned lighthouse")).toBeLessThan(body.indexOf("Newest, not pinned"));
  });
});

describe("featured hashtags on the pages", () => {
  it("adds and removes featured hashtags in settings and shows them on the profile", async () => {
    expect.hasAssertions();
    const { i, alice, client } = await setup();
    await publishStatus(i.deps, alice.account.id, { text: "A #Lighthouse at dusk" });
    await publishStatus(i.deps, alice.account.id, { text: "No tag here" });
    const settings = await client.get("/settings/featured_tags");
    expect(settings.body).toContain('<option value="Lighthouse">');
    const csrf = csrfOf(settings.body);
    const added = await client.post("/settings/featured_tags", { csrf, name: "#Lighthouse" });
    expect(added.status).toBe(303);
    const invalid = await client.post("/settings/featured_tags", { csrf, name: "two words" });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain("Tag is invalid");

    const featured = await featuredTagsOf(i.deps.db, alice.account.id);
    expect(featured.map((t) => [t.displayName, t.statusesCount])).toEqual([["Lighthouse", 1]]);
    const profile = (await new PageClient(i.app).get("/@alice")).body;
    expect(profile).toContain('href="/@alice?tab=posts&amp;tagged=lighthouse"');
    const tagged = (await new PageClient(i.app).get("/@alice?tab=posts&tagged=lighthouse")).body;
    expect(tagged).toContain("at dusk");
    expect(tagged).not.toContain("No tag here");

    const id = featured[0]!.featuredTag.id;
    const removed = await client.post(`/settings/featured_tags/${id}/delete`, { csrf });
    expect(removed.status).toBe(303);
    expect(await featuredTagsOf(i.deps.db, alice.account.id)).toEqual([]);
  });
});
