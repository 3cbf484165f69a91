// Local custom emojis end to end: added, listed and removed with the CLI (its messages and exit codes),
// listed by /api/v1/custom_emojis as Mastodon's CustomEmoji, used as :shortcode: in a post and a display
// name (the API's `emojis`, the Note's and the actor's `Emoji` tags, the pages' <img>), and refused when
// the image is too large, not an image or the shortcode is not one.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setLocalEmojiDisabled } from "../../src/domain/custom-emojis.ts";
import { pruneMedia } from "../../src/media/prune.ts";
import { cliOn } from "../helpers/cli-in-process.ts";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";
import * as E from "./entities.ts";

// ActivityStreams documents are read loosely here; the assertions say what matters.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Loose = any;
const ORIGIN = "https://atelier.example";
const AP = { Accept: "application/activity+json" };

let instance: TestInstance;
let token: string;
let aliceId: string;
const dir = mkdtempSync(join(tmpdir(), "atelier-emoji-"));
const file = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

const square = (size: number, color: { r: number; g: number; b: number }) =>
  sharp({ create: { width: size, height: size, channels: 4, background: { ...color, alpha: 1 } } })
    .png()
    .toBuffer();
// Two frames of different colours, joined into one animated GIF.
const animatedGif = async () =>
  sharp([await square(64, { r: 255, g: 0, b: 0 }), await square(64, { r: 0, g: 0, b: 255 })], {
    join: { animated: true },
  })
    .gif({ delay: [100, 100], loop: 0 })
    .toBuffer();

beforeAll(async () => {
  instance = await createTestInstance({ ORIGIN });
  const alice = await localUser(instance, "alice");
  token = alice.token;
  aliceId = alice.account.id;
  const still = file("palette.png", await square(200, { r: 20, g: 160, b: 90 }));
  const moving = file("spin.gif", await animatedGif());
  expect((await cliOn(instance, "emoji", "add", "palette", still, "--category", "Art")).code).toBe(
    0,
  );
  const added = await cliOn(instance, "emoji", "add", "spin", moving);
  expect(added).toMatchObject({ code: 0, stdout: "Added :spin:" });
}, 60_000);
afterAll(async () => {
  await instance?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the emoji CLI", () => {
  it("lists the emojis with category and URL, and refuses what it cannot add", async () => {
    const list = await cliOn(instance, "emoji", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^:palette:\tArt\thttps?:\/\/[^\t]+\/media\/[^\t]+\.png$/m);
    expect(list.stdout).toMatch(
      /^:spin:\t\(no category\)\thttps?:\/\/[^\t]+\/media\/[^\t]+\.gif$/m,
    );

    const still = join(dir, "palette.png");
    const twice = await cliOn(instance, "emoji", "add", "palette", still);
    expect(twice).toMatchObject({
      code: 1,
      stderr: "Error: An emoji named :palette: already exists",
    });
    const badName = await cliOn(instance, "emoji", "add", "no-dashes", still);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain("The shortcode must be 2 to 64 letters");
    const notImage = await cliOn(
      instance,
      "emoji",
      "add",
      "text",
      file("a.txt", Buffer.from("hi")),
    );
    expect(notImage.code).toBe(1);
    expect(notImage.stderr).toContain("not a readable image");
    const huge = await cliOn(
      instance,
      "emoji",
      "add",
      "huge",
      file("huge.bin", Buffer.alloc(300_000)),
    );
    expect(huge).toMatchObject({
      code: 2,
      stderr: "The file is too large (293 KB): at most 256 KB",
    });
    // Small in bytes, enormous in pixels: refused before it is decoded.
    const wide = file(
      "wide.png",
      await sharp({ create: { width: 3000, height: 3000, channels: 3, background: "#fff" } })
        .png()
        .toBuffer(),
    );
    const tooWide = await cliOn(instance, "emoji", "add", "wide", wide);
    expect(tooWide.code).toBe(1);
    expect(tooWide.stderr).toContain("The emoji image is too large: 3000×3000 pixels");
    expect((await cliOn(instance, "emoji", "add", "missing", join(dir, "none.png"))).code).toBe(2);
    expect((await cliOn(instance, "emoji", "add", "only-a-name")).code).toBe(2);
    const unknown = await cliOn(instance, "emoji", "remove", "nothere");
    expect(unknown).toMatchObject({ code: 1, stderr: "Error: No emoji named :nothere:" });
    // Nothing refused was stored.
    const after = await cliOn(instance, "emoji", "list");
    expect(after.stdout.split("\n")).toHaveLength(2);
  });

  it("removes an emoji: it leaves the API's list and the posts that used it", async () => {
    const img = file("gone.png", await square(32, { r: 1, g: 2, b: 3 }));
    expect((await cliOn(instance, "emoji", "add", "gone", img)).code).toBe(0);
    const post = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "soon :gone:" },
    });
    expect(post.json.emojis.map((e: Loose) => e.shortcode)).toEqual(["gone"]);
    const removed = await cliOn(instance, "emoji", "remove", ":gone:");
    expect(removed).toMatchObject({ code: 0, stdout: "Removed :gone:" });
    const listed = (await call(instance, "GET", "/api/v1/custom_emojis")).json;
    expect(listed.map((e: Loose) => e.shortcode)).not.toContain("gone");
    const again = await call(instance, "GET", `/api/v1/statuses/${post.json.id}`, { token });
    expect(again.json.emojis).toEqual([]);
  });
});

describe("/api/v1/custom_emojis", () => {
  it("lists the local emojis as Mastodon's CustomEmoji, served by this instance", async () => {
    const res = await call(instance, "GET", "/api/v1/custom_emojis");
    expect(res.status).toBe(200);
    const emojis = res.json.map((e: Loose) => E.expectEntity(E.CustomEmoji, e));
    // Uncategorized first, then by category.
    expect(emojis.map((e: Loose) => [e.shortcode, e.category, e.visible_in_picker])).toEqual([
      ["spin", null, true],
      ["palette", "Art", true],
    ]);
    const palette = emojis.find((e: Loose) => e.shortcode === "palette");
    const spin = emojis.find((e: Loose) => e.shortcode === "spin");
    // The image, scaled to fit 128 px, and the animation kept (a still PNG beside it).
    const png = await instance.app.request(palette.url);
    expect(png.headers.get("content-type")).toBe("image/png");
    const pngMeta = await sharp(Buffer.from(await png.arrayBuffer())).metadata();
    expect([pngMeta.width, pngMeta.height]).toEqual([128, 128]);
    const gif = await instance.app.request(spin.url);
    expect(gif.headers.get("content-type")).toBe("image/gif");
    expect(
      (await sharp(Buffer.from(await gif.arrayBuffer()), { animated: true }).metadata()).pages,
    ).toBe(2);
    const still = await instance.app.request(spin.static_url);
    expect(still.headers.get("content-type")).toBe("image/png");
    // Emoji files are in use though no attachment names them: pruning keeps them.
    await pruneMedia(
      instance.deps.db,
      instance.deps.media.store,
      new Date(Date.now() + 86_400_000),
    );
    expect((await instance.app.request(palette.url)).status).toBe(200);
    expect((await instance.app.request(spin.static_url)).status).toBe(200);
  });
});

describe("a local post and profile using :shortcode:", () => {
  it("lists the emoji in the status and sends it as an Emoji tag", async () => {
    const post = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "Painting today :palette: :palette: and :unknown:", visibility: "public" },
    });
    expect(post.status).toBe(200);
    const got = E.expectEntity(E.Status, post.json);
    expect(got.emojis).toHaveLength(1);
    expect(got.emojis[0]).toMatchObject({ shortcode: "palette", visible_in_picker: true });
    expect(got.emojis[0]!.url).toMatch(/^https:\/\/atelier\.example\/media\//);

    const note = (await (
      await instance.app.request(post.json.uri, { headers: AP })
    ).json()) as Loose;
    const tags = [note.tag].flat().filter((t: Loose) => t.type === "Emoji");
    expect(tags).toHaveLength(1);
    expect(tags[0]).toMatchObject({
      name: ":palette:",
      icon: { type: "Image", mediaType: "image/png", url: got.emojis[0]!.url },
    });
    expect(tags[0].id).toMatch(/^https:\/\/atelier\.example\/emojis\//);
    expect(tags[0].updated).toBeTypeOf("string");
    // The id answers with the same Emoji.
    const served = await instance.app.request(tags[0].id, { headers: AP });
    expect(served.status).toBe(200);
    expect(await served.json()).toMatchObject({ type: "Emoji", name: ":palette:" });

    // The page shows the image with the shortcode as its alt text.
    const page = await (await instance.app.request(new URL(post.json.url).pathname)).text();
    expect(page).toContain(`<img class="custom-emoji" src="${got.emojis[0]!.url}" alt=":palette:"`);
    expect(page).toContain(":unknown:");
  });

  it("follows an edit: the emojis of the new text and content warning replace the old ones", async () => {
    const post = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "first :palette:" },
    });
    const edited = await call(instance, "PUT", `/api/v1/statuses/${post.json.id}`, {
      token,
      body: { status: "then nothing", spoiler_text: "spinning :spin:" },
    });
    expect(edited.status).toBe(200);
    expect(edited.json.emojis.map((e: Loose) => e.shortcode)).toEqual(["spin"]);
  });

  it("lists the emojis of a display name and bio, and puts them on the actor", async () => {
    const res = await call(instance, "PATCH", "/api/v1/accounts/update_credentials", {
      token,
      body: { display_name: "Alice :spin:", note: "I draw :palette:" },
    });
    expect(res.status).toBe(200);
    expect(res.json.emojis.map((e: Loose) => e.shortcode).sort()).toEqual(["palette", "spin"]);
    const account = await call(instance, "GET", `/api/v1/accounts/${aliceId}`);
    expect(E.expectEntity(E.Account, account.json).emojis).toHaveLength(2);
    const actor = (await (
      await instance.app.request(`${ORIGIN}/users/alice`, { headers: AP })
    ).json()) as Loose;
    const names = [actor.tag]
      .flat()
      .filter((t: Loose) => t?.type === "Emoji")
      .map((t: Loose) => t.name)
      .sort();
    expect(names).toEqual([":palette:", ":spin:"]);
    const profile = await (await instance.app.request("/@alice")).text();
    expect(profile).toMatch(
      /<h1 id="profile-name">Alice <img class="custom-emoji" src="[^"]+\.gif" alt=":spin:"/,
    );
  });

  it("shows a disabled emoji nowhere, and again once enabled", async () => {
    const post = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "still :spin:" },
    });
    expect(post.json.emojis).toHaveLength(1);
    await setLocalEmojiDisabled(instance.deps.db, "spin", true);
    const listed = (await call(instance, "GET", "/api/v1/custom_emojis")).json;
    expect(listed.map((e: Loose) => e.shortcode)).toEqual(["palette"]);
    expect((await call(instance, "GET", `/api/v1/statuses/${post.json.id}`)).json.emojis).toEqual(
      [],
    );
    const later = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "now :spin:" },
    });
    expect(later.json.emojis).toEqual([]);
    await setLocalEmojiDisabled(instance.deps.db, "spin", false);
    expect(
      (await call(instance, "GET", `/api/v1/statuses/${post.json.id}`)).json.emojis,
    ).toHaveLength(1);
  });
});

describe("the admin page's Emojis tab", () => {
  it("adds, disables and removes emojis with CSRF-checked forms; members cannot", async () => {
    await localUser(instance, "boss", { admin: true });
    const admin = new PageClient(instance.app);
    await admin.signIn("boss");
    const page = await admin.get("/admin/emojis");
    expect(page.res.status).toBe(200);
    expect(page.body).toContain('alt=":palette:"');
    const csrf = await admin.csrfFrom("/admin/emojis");
    const upload = (fields: Record<string, string>, image?: Uint8Array) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      if (image) form.set("file", new File([Buffer.from(image)], "e.png", { type: "image/png" }));
      return admin.request("/admin/emojis", { method: "POST", body: form });
    };
    const added = await upload(
      { csrf, shortcode: "wave", category: "People" },
      await square(40, { r: 9, g: 9, b: 9 }),
    );
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toBe("/admin/emojis?done=added");
    const listed = (await call(instance, "GET", "/api/v1/custom_emojis")).json;
    expect(listed.find((e: Loose) => e.shortcode === "wave")).toMatchObject({ category: "People" });
    // Refusals show the form again with the reason.
    const taken = await upload({ csrf, shortcode: "wave" }, await square(40, { r: 1, g: 1, b: 1 }));
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain("An emoji named :wave: already exists");
    const tooBig = await upload({ csrf, shortcode: "big" }, new Uint8Array(300_000));
    expect(tooBig.status).toBe(413);
    expect(
      (await upload({ csrf: "forged", shortcode: "x2" }, await square(8, { r: 0, g: 0, b: 0 })))
        .status,
    ).toBe(403);

    const disabled = await admin.post("/admin/emojis/wave/disable", { csrf });
    expect(disabled.headers.get("location")).toBe("/admin/emojis?done=disabled");
    const afterDisable = (await call(instance, "GET", "/api/v1/custom_emojis")).json;
    expect(afterDisable.map((e: Loose) => e.shortcode)).not.toContain("wave");
    expect((await admin.post("/admin/emojis/wave/enable", { csrf })).status).toBe(303);

    const alice = new PageClient(instance.app);
    await alice.signIn("alice");
    const aliceCsrf = await alice.csrfFrom("/settings");
    expect((await alice.post("/admin/emojis/wave/delete", { csrf: aliceCsrf })).status).toBe(403);

    expect((await admin.post("/admin/emojis/wave/delete", { csrf })).status).toBe(303);
    const gone = (await call(instance, "GET", "/api/v1/custom_emojis")).json;
    expect(gone.map((e: Loose) => e.shortcode)).not.toContain("wave");
    expect((await admin.post("/admin/emojis/wave/delete", { csrf })).status).toBe(404);
  });
});
