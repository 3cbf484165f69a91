// Emoji reactions on the wire, with a fake remote server on loopback: what a local user's reaction to a
// remote post sends (an EmojiReact with Misskey's `_misskey_reaction` next to `content`, a custom emoji's
// `Emoji` tag with id, name and icon — ours, or another server's known here with that server's image —
// and the Undo of the same), checked in the delivered JSON.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { customEmojis } from "../../src/db/schema/index.ts";
import { addLocalEmoji } from "../../src/domain/custom-emojis.ts";
import { call, localUser } from "../helpers/factories.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import {
  type FederatedInstance,
  pendingInQueue,
  startFederatedInstance,
  waitFor,
} from "../helpers/federation.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

// biome-ignore lint/suspicious/noExplicitAny: delivered JSON is read loosely; the assertions say what matters.
type Json = any;

let local: FederatedInstance;
let remote: FakeRemote;
let mira: FakeActor;
let token: string;

const settled = async () => {
  await waitFor("the queues to settle", async () => (await pendingInQueue(local)) === 0);
  await local.deps.events.drain();
};

let n = 0;
/** A public post of mira's, delivered to our shared inbox; its id here. */
async function miraPost(): Promise<string> {
  const id = `${mira.id.href}/statuses/${++n}`;
  const res = await remote.deliver(
    local.deps.urls.sharedInbox(),
    {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${id}/activity`,
      type: "Create",
      actor: mira.id.href,
      to: [PUBLIC],
      object: {
        id,
        type: "Note",
        attributedTo: mira.id.href,
        content: `<p>mira's post ${n}</p>`,
        to: [PUBLIC],
        published: new Date().toISOString(),
      },
    },
    mira,
  );
  expect(res.status).toBe(202);
  await settled();
  const found = await call(
    local,
    "GET",
    `/api/v2/search?q=${encodeURIComponent(id)}&resolve=true&type=statuses`,
    { token },
  );
  expect(found.json.statuses[0]?.uri).toBe(id);
  return found.json.statuses[0].id;
}

const delivered = (type: string, pred: (j: Json) => boolean) =>
  waitFor(`a ${type} at mira's server`, () =>
    (remote.received() as Json[]).find((j) => j.type === type && pred(j)),
  );

beforeAll(async () => {
  [local, remote] = await Promise.all([startFederatedInstance(), startFakeRemote()]);
  token = (await localUser(local, "alice")).token;
  mira = await remote.actor("mira");
  const png = await sharp({
    create: { width: 32, height: 32, channels: 4, background: { r: 20, g: 160, b: 90, alpha: 1 } },
  })
    .png()
    .toBuffer();
  await addLocalEmoji(local.deps.db, local.deps.media.store, local.deps.media.limits.maxPixels, {
    shortcode: "leaf",
    image: png,
  });
}, 60_000);
afterAll(async () => {
  await Promise.all([local?.close(), remote?.close()]);
});

describe("a local reaction as Misskey and Akkoma read it", () => {
  it("sends a unicode reaction with content and _misskey_reaction, and its Undo", async () => {
    const id = await miraPost();
    const put = await call(local, "PUT", `/api/v1/pleroma/statuses/${id}/reactions/🔥`, { token });
    expect(put.status).toBe(200);
    await settled();
    const react = await delivered("EmojiReact", (j) => j.content === "🔥");
    expect(react._misskey_reaction).toBe("🔥");
    expect(react.object).toBe(`${mira.id.href}/statuses/${n}`);
    expect(react.actor).toMatch(/\/users\/alice$/);
    // The plain names are defined terms, so JSON-LD readers (and the signatures) see them too.
    expect(JSON.stringify(react["@context"])).toContain("misskey:_misskey_reaction");
    expect(react.tag ?? []).toEqual([]);

    const del = await call(local, "DELETE", `/api/v1/pleroma/statuses/${id}/reactions/🔥`, {
      token,
    });
    expect(del.status).toBe(200);
    await settled();
    const undo = await delivered("Undo", (j) => j.object?.id === react.id);
    // Misskey matches the undone activity by its plain type name.
    expect(undo.object).toMatchObject({
      type: "EmojiReact",
      content: "🔥",
      _misskey_reaction: "🔥",
    });
    expect(undo.actor).toBe(react.actor);
    expect(Object.keys(undo.object)).not.toContain("https://misskey-hub.net/ns#_misskey_reaction");
  });

  it("sends a local custom emoji as :shortcode: with its Emoji tag (id, name, icon)", async () => {
    const id = await miraPost();
    const put = await call(local, "PUT", `/api/v1/pleroma/statuses/${id}/reactions/leaf`, {
      token,
    });
    expect(put.json.pleroma.emoji_reactions).toMatchObject([{ name: "leaf", count: 1, me: true }]);
    await settled();
    const react = await delivered("EmojiReact", (j) => j.content === ":leaf:");
    expect(react._misskey_reaction).toBe(":leaf:");
    expect(react.tag).toHaveLength(1);
    const [emoji] = react.tag;
    expect(emoji).toMatchObject({ type: "Emoji", name: ":leaf:" });
    expect(emoji.id).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(emoji.icon.type).toBe("Image");
    expect(emoji.icon.url).toBe(put.json.pleroma.emoji_reactions[0].url);
    // The icon is served where it says.
    const icon = await fetch(emoji.icon.url);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/^image\//);

    await call(local, "DELETE", `/api/v1/pleroma/statuses/${id}/reactions/:leaf:`, { token });
    await settled();
    const undo = await delivered("Undo", (j) => j.object?.id === react.id);
    expect(undo.object).toMatchObject({ type: "EmojiReact", _misskey_reaction: ":leaf:" });
    expect(undo.object.tag).toHaveLength(1);
  });

  it("sends another server's known emoji as :shortcode: with that server's Emoji tag", async () => {
    const id = await miraPost();
    // An emoji of mira's server, as one of its posts left it here.
    const host = mira.id.host;
    await local.deps.db.insert(customEmojis).values({
      id: newId(),
      shortcode: "miracat",
      domain: host,
      iri: `${mira.id.origin}/emojis/miracat`,
      remoteUrl: `${mira.id.origin}/files/miracat.png`,
    });
    const put = await call(
      local,
      "PUT",
      `/api/v1/pleroma/statuses/${id}/reactions/${encodeURIComponent(`miracat@${host}`)}`,
      { token },
    );
    expect(put.status).toBe(200);
    expect(put.json.pleroma.emoji_reactions).toMatchObject([
      { name: `miracat@${host}`, count: 1, me: true, url: `${mira.id.origin}/files/miracat.png` },
    ]);
    await settled();
    // Named as its server names it (the receiver keys it by our host), never with the host in it.
    const react = await delivered("EmojiReact", (j) => j.content === ":miracat:");
    expect(react._misskey_reaction).toBe(":miracat:");
    expect(react.tag).toEqual([
      {
        id: `${mira.id.origin}/emojis/miracat`,
        type: "Emoji",
        name: ":miracat:",
        icon: { type: "Image", url: `${mira.id.origin}/files/miracat.png` },
      },
    ]);

    await call(
      local,
      "DELETE",
      `/api/v1/pleroma/statuses/${id}/reactions/${encodeURIComponent(`miracat@${host}`)}`,
      { token },
    );
    await settled();
    const undo = await delivered("Undo", (j) => j.object?.id === react.id);
    expect(undo.object).toMatchObject({ type: "EmojiReact", content: ":miracat:" });
    expect(undo.object.tag).toMatchObject([{ id: `${mira.id.origin}/emojis/miracat` }]);
  });
});
