// Preview cards on the pages: a status with a card shows it under its text, on the profile's list and
// on the post page, as one link (rel="noopener nofollow ugc") with provider, title, description and
// our copy of the image; the card's texts are escaped like any other text from elsewhere.
import { afterEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { previewCards, statusPreviewCards } from "../../src/db/schema/index.ts";
import { localUser, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const open: TestInstance[] = [];
afterEach(async () => {
  for (const i of open.splice(0)) await i.close();
});

describe("preview cards on the pages", () => {
  it("shows a status's card on the profile's posts and the post page, escaped, with a nofollow link", async () => {
    expect.hasAssertions();
    const i = await createTestInstance();
    open.push(i);
    const alice = await localUser(i, "alice");
    const post = await status(i, alice.account, {
      content: '<p>See <a href="https://news.example/story">news.example/story</a></p>',
    });
    const key = `ab/ab${"0".repeat(62)}.webp`;
    const [card] = await i.deps.db
      .insert(previewCards)
      .values({
        id: newId(),
        url: "https://news.example/story",
        title: "Tides <script>alert(1)</script>",
        description: "Where the sea goes",
        providerName: "News Example",
        imageKey: key,
        imageDescription: "A wave",
        width: 640,
        height: 320,
        fetchedAt: new Date(),
      })
      .returning();
    await i.deps.db.insert(statusPreviewCards).values({ statusId: post.id, cardId: card!.id });
    const client = new PageClient(i.app);
    for (const path of ["/@alice?tab=posts", `/@alice/${post.id}`]) {
      const page = await client.get(path);
      expect(page.res.status).toBe(200);
      expect(page.body).toContain(
        '<a class="preview-card" href="https://news.example/story" rel="noopener nofollow ugc" target="_blank">',
      );
      expect(page.body).toContain(`<img src="${i.deps.urls.media(key)}" alt="A wave"`);
      expect(page.body).toContain('<span class="preview-card-provider">News Example</span>');
      expect(page.body).toContain("Tides &lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page.body).toContain("Where the sea goes");
    }
  });

  it("shows no card for a status without one", async () => {
    expect.hasAssertions();
    const i = await createTestInstance();
    open.push(i);
    const alice = await localUser(i, "alice");
    const post = await status(i, alice.account);
    const page = await new PageClient(i.app).get(`/@alice/${post.id}`);
    expect(page.res.status).toBe(200);
    expect(page.body).not.toContain("preview-card");
  });
});
