// Emoji reactions on a post's page: the counts (a custom emoji as our image, another server's as its
// :shortcode: text), the viewer's own pressed, and reacting and taking it back through CSRF-checked
// forms without JavaScript: the picker's emojis, someone else's reaction, another server's emoji known
// here; anything else refused with the page's message, and a post one may not see a 404.
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { customEmojis, emojiReactions } from "../../src/db/schema/index.ts";
import { addLocalEmoji } from "../../src/domain/custom-emojis.ts";
import { reactToStatus } from "../../src/domain/emoji-reactions.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { call, localUser, remoteAccount } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
let n = 0;

beforeAll(async () => {
  i = await createTestInstance();
  const png = await sharp({
    create: { width: 32, height: 32, channels: 4, background: { r: 200, g: 40, b: 90, alpha: 1 } },
  })
    .png()
    .toBuffer();
  await addLocalEmoji(i.deps.db, i.deps.media.store, i.deps.media.limits.maxPixels, {
    shortcode: "palette",
    image: png,
  });
  // Another server's emoji, as a post of theirs left it here (no copy of the image yet).
  await i.deps.db.insert(customEmojis).values({
    id: newId(),
    shortcode: "blob",
    domain: "remote.example",
    iri: "https://remote.example/emojis/blob",
    remoteUrl: "https://remote.example/files/blob.png",
  });
}, 60_000);
afterAll(async () => {
  await i?.close();
});

/** Bob's post (public unless told), alice signed in, and the reactions stored on the post. */
async function setup(visibility: "public" | "private" = "public") {
  const k = ++n;
  const alice = await localUser(i, `alice${k}`);
  const bob = await localUser(i, `bob${k}`);
  const post = await publishStatus(i.deps, bob.account.id, { text: "Bob's post", visibility });
  const client = new PageClient(i.app);
  await client.signIn(`alice${k}`);
  const path = `/@bob${k}/${post.id}`;
  const stored = async () =>
    (
      await i.deps.db
        .select()
        .from(emojiReactions)
        .where(eq(emojiReactions.statusId, post.id))
        .orderBy(emojiReactions.id)
    ).map((r) => ({ account: r.accountId, name: r.name, url: r.emojiUrl }));
  return { k, alice, bob, post, client, path, stored };
}

const reactionButton = (body: string, name: string) =>
  new RegExp(`<button[^>]*name="emoji" value="${name}"[^>]*class="action reaction"[^>]*>`).exec(
    body,
  )?.[0];

describe("emoji reactions on the post page", () => {
  it("shows each emoji with its count, a custom one as its image, and marks the viewer's own", async () => {
    const { alice, post, client, path } = await setup();
    const carol = await localUser(i, `carol${n}`);
    const mira = await remoteAccount(i, `mira${n}`);
    const reactions: [typeof alice.account, string, string | null][] = [
      [alice.account, "🎨", null],
      [carol.account, "🎨", null],
      [carol.account, ":palette:", null],
      [mira, ":blob@remote.example:", "https://remote.example/files/blob.png"],
    ];
    for (const [account, name, url] of reactions) {
      const emojiUrl =
        name === ":palette:"
          ? (
              await i.deps.db
                .select()
                .from(customEmojis)
                .where(eq(customEmojis.shortcode, "palette"))
            )
              .map((e) => i.deps.urls.media(e.imageKey!))
              .at(0)!
          : url;
      await reactToStatus(i.deps.db, i.deps.urls, account, post, { name, emojiUrl });
    }

    const anonymous = await new PageClient(i.app).get(path);
    expect(anonymous.res.status).toBe(200);
    expect(anonymous.body).toMatch(
      /<li class="action reaction"><span class="reaction-emoji">🎨<\/span> <span class="count">2<\/span><\/li>/,
    );
    expect(anonymous.body).toMatch(
      /<img class="custom-emoji" src="http[^"]*\/media\/[^"]+" alt=":palette:" title=":palette:"[^>]*> <span class="count">1</,
    );
    // Another server's image is not loaded by our page: its shortcode stands in, named with its host.
    expect(anonymous.body).toContain(
      '<span class="reaction-emoji" title=":blob@remote.example:">:blob:</span>',
    );
    expect(anonymous.body).not.toContain("https://remote.example/files/blob.png");
    // A visitor gets no forms.
    expect(anonymous.body).not.toContain(`/statuses/${post.id}/react`);

    const signedIn = await client.get(path);
    const mine = reactionButton(signedIn.body, "🎨")!;
    expect(mine).toContain('aria-pressed="true"');
    expect(mine).toContain(`formaction="/statuses/${post.id}/unreact"`);
    const theirs = reactionButton(signedIn.body, ":palette:")!;
    expect(theirs).toContain('aria-pressed="false"');
    expect(theirs).not.toContain("formaction");
    // The picker: common emojis, this instance's custom ones and a text field.
    expect(signedIn.body).toContain(
      '<button type="submit" name="emoji" value="👍" class="action">',
    );
    expect(signedIn.body).toMatch(/value=":palette:" class="action"><img class="custom-emoji"/);
    expect(signedIn.body).toContain('<input id="reaction-text" name="emoji" required');
  });

  it("shows our copy of another server's emoji once it is made, on the page and in the API", async () => {
    const { post, path } = await setup();
    const mira = await remoteAccount(i, `mira${n}`);
    await i.deps.db.insert(customEmojis).values({
      id: newId(),
      shortcode: "wave",
      domain: "copied.example",
      remoteUrl: "https://copied.example/files/wave.png",
      imageKey: "emojis/copied-wave.png",
    });
    await reactToStatus(i.deps.db, i.deps.urls, mira, post, {
      name: ":wave@copied.example:",
      emojiUrl: "https://copied.example/files/wave.png",
    });
    const copy = i.deps.urls.media("emojis/copied-wave.png");
    const { body } = await new PageClient(i.app).get(path);
    expect(body).toContain(
      `<img class="custom-emoji" src="${copy}" alt=":wave:" title=":wave@copied.example:"`,
    );
    expect(body).not.toContain("https://copied.example/files/wave.png");
    const status = (await call(i, "GET", `/api/v1/statuses/${post.id}`)).json as {
      pleroma: { emoji_reactions: { name: string; url: string | null }[] };
    };
    expect(status.pleroma.emoji_reactions).toContainEqual(
      expect.objectContaining({ name: "wave@copied.example", url: copy }),
    );
  });

  it("reacts and takes it back through CSRF-checked forms, redirecting to the post", async () => {
    const { alice, post, client, path, stored } = await setup();
    const csrf = await client.csrfFrom(path);
    const res = await client.post(`/statuses/${post.id}/react`, { csrf, emoji: "🔥" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(path);
    expect(await stored()).toEqual([{ account: alice.account.id, name: "🔥", url: null }]);
    const page = await client.get(path);
    expect(reactionButton(page.body, "🔥")).toContain('aria-pressed="true"');

    const undo = await client.post(`/statuses/${post.id}/unreact`, { csrf, emoji: "🔥" });
    expect(undo.status).toBe(303);
    expect(undo.headers.get("location")).toBe(path);
    expect(await stored()).toEqual([]);

    // Without the token, nothing is stored.
    const forged = await client.post(`/statuses/${post.id}/react`, { emoji: "🔥" });
    expect(forged.status).toBe(403);
    expect(await stored()).toEqual([]);
  });

  it("adds one's own reaction with the emoji of someone else's, and with a known remote emoji", async () => {
    const { alice, post, client, path, stored } = await setup();
    const carol = await localUser(i, `carol${n}`);
    const [palette] = await i.deps.db
      .select()
      .from(customEmojis)
      .where(eq(customEmojis.shortcode, "palette"));
    const paletteUrl = i.deps.urls.media(palette!.imageKey!);
    await reactToStatus(i.deps.db, i.deps.urls, carol.account, post, {
      name: ":palette:",
      emojiUrl: paletteUrl,
    });
    const csrf = await client.csrfFrom(path);
    // The button of carol's reaction sends its name.
    expect(reactionButton((await client.get(path)).body, ":palette:")).toBeDefined();
    expect(
      (await client.post(`/statuses/${post.id}/react`, { csrf, emoji: ":palette:" })).status,
    ).toBe(303);
    // Another server's emoji this server knows, typed as Akkoma names it.
    expect(
      (await client.post(`/statuses/${post.id}/react`, { csrf, emoji: "blob@remote.example" }))
        .status,
    ).toBe(303);
    expect(await stored()).toEqual([
      { account: carol.account.id, name: ":palette:", url: paletteUrl },
      { account: alice.account.id, name: ":palette:", url: paletteUrl },
      {
        account: alice.account.id,
        name: ":blob@remote.example:",
        url: "https://remote.example/files/blob.png",
      },
    ]);
    const page = await client.get(path);
    expect(page.body).toMatch(/alt=":palette:"[^>]*> <span class="count">2</);
    expect(reactionButton(page.body, ":blob@remote.example:")).toContain('aria-pressed="true"');
  });

  it("refuses what is no emoji it knows with the page's message, storing nothing", async () => {
    const { post, client, path, stored } = await setup();
    const csrf = await client.csrfFrom(path);
    for (const emoji of ["hello", "🎨🎨", ":nope:", "nope@remote.example", "<b>x</b>", " "]) {
      const res = await client.post(`/statuses/${post.id}/react`, { csrf, emoji });
      expect(res.status, emoji).toBe(400);
      expect(res.headers.get("content-type"), emoji).toMatch(/text\/html/);
      expect(await res.text(), emoji).toMatch(/Invalid emoji|Choose an emoji/);
    }
    expect(await stored()).toEqual([]);
  });

  it("answers 404 to a user who may not see the post, storing nothing", async () => {
    const { post, client, path, stored } = await setup("private");
    expect((await client.get(path)).res.status).toBe(404);
    const csrf = await client.csrfFrom("/home");
    const res = await client.post(`/statuses/${post.id}/react`, { csrf, emoji: "🎨" });
    expect(res.status).toBe(404);
    expect((await client.post(`/statuses/${post.id}/unreact`, { csrf, emoji: "🎨" })).status).toBe(
      404,
    );
    expect(await stored()).toEqual([]);
  });
});
