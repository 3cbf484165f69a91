// Other servers' custom emojis through the signed inbox: a post's Emoji tags become its `emojis` in the
// client API, pointing at the remote image until our copy (made in the background, the animation of a
// GIF kept) exists, then at our /media; and the bounds: at most 50 per post, shortcodes outside the
// pattern and tags the text does not use are dropped, an image over 256 KB (or of too many pixels) is
// never copied, and an emoji cannot be claimed for another server's domain.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, localUser } from "../helpers/factories.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import {
  type FederatedInstance,
  pendingInQueue,
  startFederatedInstance,
  waitFor,
} from "../helpers/federation.ts";

// biome-ignore lint/suspicious/noExplicitAny: API answers are read loosely; the assertions say what matters.
type Loose = any;
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

let local: FederatedInstance;
let remote: FakeRemote;
let kumo: FakeActor;
let token: string;
let serial = 0;

const square = (size: number, r: number) =>
  sharp({
    create: { width: size, height: size, channels: 4, background: { r, g: 80, b: 160, alpha: 1 } },
  })
    .png()
    .toBuffer();

beforeAll(async () => {
  [local, remote] = await Promise.all([startFederatedInstance(), startFakeRemote()]);
  kumo = await remote.actor("kumo");
  token = (await localUser(local, "reader")).token;
}, 60_000);
afterAll(async () => {
  await Promise.all([local?.close(), remote?.close()]);
});

const emojiTag = (name: string, url: string, updated = "2024-01-01T00:00:00Z") => ({
  id: `${remote.origin}/emojis/${name.replaceAll(":", "")}`,
  type: "Emoji",
  name,
  updated,
  icon: { type: "Image", mediaType: "image/png", url },
});

/** Delivers a public Note by kumo and returns it as the client API shows it. */
async function deliverNote(content: string, tag: unknown[]): Promise<Loose> {
  const id = `${kumo.id.href}/notes/${++serial}`;
  const res = await remote.deliver(
    local.deps.urls.sharedInbox(),
    {
      "@context": [
        "https://www.w3.org/ns/activitystreams",
        { toot: "http://joinmastodon.org/ns#", Emoji: "toot:Emoji" },
      ],
      id: `${id}/activity`,
      type: "Create",
      actor: kumo.id.href,
      to: [PUBLIC],
      object: { id, type: "Note", attributedTo: kumo.id.href, to: [PUBLIC], content, tag },
    },
    kumo,
  );
  expect(res.status).toBe(202);
  return await waitFor(`the note ${id}`, async () => {
    const found = await call(
      local,
      "GET",
      `/api/v2/search?type=statuses&resolve=true&q=${encodeURIComponent(id)}`,
      { token },
    );
    return found.json.statuses?.[0];
  });
}

/** Waits until the inbox, the events and the emoji copies are all done. */
async function settled(): Promise<void> {
  await waitFor("the inbox queue", async () => (await pendingInQueue(local)) === 0);
  await local.deps.events.drain();
  await local.deps.remoteEmojis.idle();
}

const show = async (id: string) =>
  (await call(local, "GET", `/api/v1/statuses/${id}`, { token })).json;

describe("remote custom emojis", () => {
  it("lists a post's emojis, copies them in the background and then serves them from here", async () => {
    const still = remote.file("/files/blobcat.png", await square(256, 200), "image/png");
    const frames = [await square(48, 250), await square(48, 10)];
    const gif = await sharp(frames, { join: { animated: true } })
      .gif({ delay: [80, 80] })
      .toBuffer();
    const moving = remote.file("/files/blobspin.gif", gif, "image/gif");
    const unused = remote.file("/files/unused.png", await square(16, 1), "image/png");
    const shown = await deliverNote("<p>:blobcat: hello :blobspin:</p>", [
      emojiTag(":blobcat:", still),
      emojiTag(":blobspin:", moving),
      emojiTag(":unused:", unused),
    ]);
    expect(shown.emojis.map((e: Loose) => e.shortcode).sort()).toEqual(["blobcat", "blobspin"]);
    const copied = await waitFor("our copies", async () => {
      const s = await show(shown.id);
      return s.emojis.every((e: Loose) => e.url.startsWith(`${local.url}/media/`)) ? s : null;
    });
    const byCode = new Map(copied.emojis.map((e: Loose) => [e.shortcode, e]));
    const cat: Loose = byCode.get("blobcat");
    expect(cat.visible_in_picker).toBe(false);
    const catFile = await fetch(cat.url);
    expect(catFile.headers.get("content-type")).toBe("image/png");
    expect((await sharp(Buffer.from(await catFile.arrayBuffer())).metadata()).width).toBe(128);
    const spin: Loose = byCode.get("blobspin");
    const spinFile = await fetch(spin.url);
    expect(spinFile.headers.get("content-type")).toBe("image/gif");
    const meta = await sharp(Buffer.from(await spinFile.arrayBuffer()), {
      animated: true,
    }).metadata();
    expect(meta.pages).toBe(2);
    expect((await fetch(spin.static_url)).headers.get("content-type")).toBe("image/png");
    // A tag the text does not use is neither listed nor downloaded.
    await settled();
    expect(remote.fetches("/files/unused.png")).toBe(0);
    // The same emoji in a second post is the same stored emoji: not downloaded again.
    const second = await deliverNote("<p>again :blobcat:</p>", [emojiTag(":blobcat:", still)]);
    await settled();
    expect((await show(second.id)).emojis[0].url).toBe(cat.url);
    expect(remote.fetches("/files/blobcat.png")).toBe(1);
    // Our own pages show it as an image with the shortcode as alt text.
    const page = await (await fetch(`${local.url}/@kumo@${remote.host}/${second.id}`)).text();
    expect(page).toContain(`<img class="custom-emoji" src="${cat.url}" alt=":blobcat:"`);
  });

  it("keeps at most 50 emojis of a post and drops invalid shortcodes", async () => {
    const url = remote.file("/files/many.png", await square(16, 40), "image/png");
    const names = Array.from({ length: 60 }, (_, i) => `e${i}`);
    const shown = await deliverNote(
      `<p>${names.map((n) => `:${n}:`).join(" ")} :bad-code: :x:</p>`,
      [
        ...names.map((n) => emojiTag(`:${n}:`, url)),
        emojiTag(":bad-code:", url),
        emojiTag(":x:", url),
        emojiTag(":<img src=x>:", url),
      ],
    );
    expect(shown.emojis).toHaveLength(50);
    expect(shown.emojis.map((e: Loose) => e.shortcode)).not.toContain("bad-code");
    expect(shown.emojis.map((e: Loose) => e.shortcode)).not.toContain("x");
    await settled();
  });

  it("never copies an image that is too large, and keeps pointing at the remote one", async () => {
    // Over 256 KB of bytes…
    const big = remote.file(
      "/files/big.png",
      Buffer.concat([await square(16, 9), Buffer.alloc(300_000)]),
      "image/png",
    );
    // …and few bytes of too many pixels.
    const wide = await sharp({
      create: { width: 4000, height: 4000, channels: 3, background: "#fff" },
    })
      .png()
      .toBuffer();
    const bomb = remote.file("/files/bomb.png", wide, "image/png");
    const shown = await deliverNote("<p>:big: :bomb:</p>", [
      emojiTag(":big:", big),
      emojiTag(":bomb:", bomb),
    ]);
    await waitFor(
      "both downloads tried",
      async () => remote.fetches("/files/big.png") > 0 && remote.fetches("/files/bomb.png") > 0,
    );
    await settled();
    const after = await show(shown.id);
    expect(after.emojis.map((e: Loose) => [e.shortcode, e.url]).sort()).toEqual([
      ["big", big],
      ["bomb", bomb],
    ]);
  });

  it("a newer emoji of the same name replaces the image; another server's domain is never claimed", async () => {
    const first = remote.file("/files/v1.png", await square(16, 60), "image/png");
    const newer = remote.file("/files/v2.png", await square(16, 120), "image/png");
    const one = await deliverNote("<p>:versioned:</p>", [
      emojiTag(":versioned:", first, "2024-01-01T00:00:00Z"),
    ]);
    await settled();
    const v1 = (await show(one.id)).emojis[0].url;
    expect(v1).toMatch(/\/media\//);
    // An older tag does not win over what is stored.
    await deliverNote("<p>:versioned: old</p>", [
      emojiTag(":versioned:", newer, "2023-01-01T00:00:00Z"),
    ]);
    await settled();
    expect((await show(one.id)).emojis[0].url).toBe(v1);
    await deliverNote("<p>:versioned: new</p>", [
      emojiTag(":versioned:", newer, "2025-01-01T00:00:00Z"),
    ]);
    await settled();
    const v2 = (await show(one.id)).emojis[0].url;
    expect(v2).toMatch(/\/media\//);
    expect(v2).not.toBe(v1);
    // An emoji is stored under its author's domain, whatever its id or URL says: this server's
    // :versioned: does not change a local emoji or one of another domain.
    const listed = (await call(local, "GET", "/api/v1/custom_emojis")).json;
    expect(listed).toEqual([]);
  });

  it("lists the emojis of an actor's display name, copied like a post's", async () => {
    const url = remote.file("/files/cloud.png", await square(64, 30), "image/png");
    const mika = await remote.actor("mika", {
      displayName: "Mika :cloud:",
      emojis: [
        { shortcode: "cloud", url },
        { shortcode: "notused", url },
      ],
    });
    const id = `${mika.id.href}/notes/1`;
    await remote.deliver(
      local.deps.urls.sharedInbox(),
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${id}/activity`,
        type: "Create",
        actor: mika.id.href,
        to: [PUBLIC],
        object: {
          id,
          type: "Note",
          attributedTo: mika.id.href,
          to: [PUBLIC],
          content: "<p>hi</p>",
        },
      },
      mika,
    );
    const account = await waitFor("mika's account", async () => {
      const found = await call(local, "GET", `/api/v1/accounts/lookup?acct=mika@${remote.host}`);
      return found.status === 200 ? found.json : null;
    });
    expect(account.display_name).toBe("Mika :cloud:");
    expect(account.emojis.map((e: Loose) => e.shortcode)).toEqual(["cloud"]);
    const copied = await waitFor("the copy", async () => {
      const a = (await call(local, "GET", `/api/v1/accounts/${account.id}`)).json;
      return a.emojis[0].url.startsWith(`${local.url}/media/`) ? a : null;
    });
    expect((await fetch(copied.emojis[0].url)).status).toBe(200);
    const profile = await (await fetch(`${local.url}/@mika@${remote.host}`)).text();
    expect(profile).toContain(
      `Mika <img class="custom-emoji" src="${copied.emojis[0].url}" alt=":cloud:"`,
    );
    await settled();
  });
});
