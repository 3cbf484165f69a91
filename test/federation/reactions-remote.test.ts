// Emoji reactions other servers send, through the real signed inbox: the corpus's Misskey Likes with a
// reaction and Akkoma's EmojiReacts (unicode and custom) are shown in `pleroma.emoji_reactions` with the
// custom emoji's image, named `shortcode@host` as Akkoma names another server's emoji, in the
// reactions list and the notification; hostile names and image URLs store no reaction at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CorpusHarness, doc, startCorpusHarness } from "../helpers/corpus-harness.ts";
import type { Loose } from "../helpers/corpus-servers.ts";

let h: CorpusHarness;
beforeAll(async () => {
  h = await startCorpusHarness({ measureRemoteMedia: false });
}, 60_000);
afterAll(() => h?.close());

const MISSKEY_ACTOR = "https://misskey.example/users/9x2k3m4n5p";
const AKKOMA_ACTOR = "https://akkoma.example/users/fern";
const hostOf = (origin: string) => new URL(h.uri(origin)).host;
const reactionsOnAlice = async (): Promise<Loose[]> =>
  (await h.api(`/api/v1/statuses/${h.aliceStatus.id}`)).json.pleroma.emoji_reactions;

async function deliverCorpus(file: string) {
  await h.deliverPrerequisites(file);
  const res = await h.deliver(file);
  expect(res.status).toBe(202);
  await h.settled();
}

describe("remote emoji reactions, from the corpus", () => {
  it("shows Misskey's and Akkoma's reactions with their images, custom ones named shortcode@host", async () => {
    const files = [
      "misskey/like-unicode-reaction.json",
      "misskey/like-custom-emoji-reaction.json",
      "akkoma/emoji-react.json",
      "akkoma/emoji-react-custom.json",
    ];
    for (const file of files) {
      expect(doc(file).expect.reaction).toBeDefined();
      await deliverCorpus(file);
    }
    const misskey = hostOf("https://misskey.example");
    const akkoma = hostOf("https://akkoma.example");
    const reactions = await reactionsOnAlice();
    expect(reactions).toEqual([
      { name: "🔥", count: 1, me: false, url: null },
      {
        name: `blobcatheart@${misskey}`,
        count: 1,
        me: false,
        url: h.uri("https://misskey.example/files/emoji-blobcatheart.png"),
      },
      { name: "🌿", count: 1, me: false, url: null },
      {
        name: `fern_leaf@${akkoma}`,
        count: 1,
        me: false,
        url: h.uri("https://akkoma.example/emoji/custom/fern_leaf.png"),
      },
    ]);

    // Pleroma's list by that name, with the account that reacted.
    const listed = await h.api(
      `/api/v1/pleroma/statuses/${h.aliceStatus.id}/reactions/${encodeURIComponent(`fern_leaf@${akkoma}`)}`,
    );
    expect(listed.status).toBe(200);
    expect(listed.json).toHaveLength(1);
    expect(listed.json[0]).toMatchObject({ name: `fern_leaf@${akkoma}`, count: 1 });
    expect(listed.json[0].accounts.map((a: Loose) => a.acct)).toEqual([
      h.acct("fern@akkoma.example"),
    ]);

    // The notification says the emoji as the reactor wrote it, with its image (as Akkoma does).
    const notes = await h.notifications("pleroma:emoji_reaction");
    const custom = notes.find((n: Loose) => n.emoji === ":blobcatheart:");
    expect(custom).toMatchObject({
      emoji_url: h.uri("https://misskey.example/files/emoji-blobcatheart.png"),
      status: { id: h.aliceStatus.id },
    });
    expect(notes.find((n: Loose) => n.emoji === ":fern_leaf:")?.emoji_url).toBe(
      h.uri("https://akkoma.example/emoji/custom/fern_leaf.png"),
    );
  });

  it("stores no reaction for hostile names or image URLs, and keeps serving", async () => {
    const before = await reactionsOnAlice();
    const icon = (url: string, name = ":evil:") => ({
      type: "Emoji",
      id: h.uri("https://akkoma.example/emoji/custom/evil"),
      name,
      icon: { type: "Image", url },
    });
    const react = (n: number, body: { content: string; tag?: unknown[] }) =>
      h.servers.deliverJson(
        {
          "@context": [
            "https://www.w3.org/ns/activitystreams",
            "https://akkoma.example/schemas/litepub-0.1.jsonld",
          ],
          id: `https://akkoma.example/activities/hostile-reaction-${n}`,
          type: "EmojiReact",
          actor: AKKOMA_ACTOR,
          object: h.aliceStatus.uri,
          to: [h.alice.account.iri],
          ...body,
        },
        AKKOMA_ACTOR,
        h.instance.deps.urls.sharedInbox(),
      );
    const hostile: { content: string; tag?: unknown[] }[] = [
      { content: '<img src=x onerror="alert(1)">' },
      { content: "free text is no emoji" },
      { content: `:${"a".repeat(10_000)}:` },
      { content: ":evil:", tag: [icon("javascript:alert(1)")] },
      { content: ":evil:", tag: [icon("data:image/png;base64,AAAA")] },
      { content: ":evil:", tag: [icon("https://user:secret@akkoma.example/e.png")] },
      { content: ":evil:", tag: [icon(`https://akkoma.example/${"x".repeat(5000)}.png`)] },
      // A tag naming another emoji than the content gives this one no image.
      { content: ":evil:", tag: [icon("https://akkoma.example/e.png", ":other:")] },
      {
        content: ':evil"><script>:',
        tag: [icon("https://akkoma.example/e.png", ':evil"><script>:')],
      },
    ];
    let i = 0;
    for (const body of hostile) {
      const res = await react(++i, body);
      expect(res.status).toBeLessThan(500);
    }
    // A Misskey Like with hostile content is still a favourite, only without a reaction.
    const like = await h.servers.deliverJson(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: "https://misskey.example/likes/hostile-1",
        type: "Like",
        actor: MISSKEY_ACTOR,
        object: h.aliceStatus.uri,
        content: "<b>not an emoji</b>",
      },
      MISSKEY_ACTOR,
      h.instance.deps.urls.sharedInbox(),
    );
    expect(like.status).toBe(202);
    await h.settled();
    expect(await reactionsOnAlice()).toEqual(before);
    expect((await h.api("/health", { as: null })).status).toBe(200);

    // The same channel with a sound reaction stores it: the ones above were read, and refused.
    expect(
      (await react(++i, { content: ":evil:", tag: [icon("https://akkoma.example/e.png")] })).status,
    ).toBe(202);
    await h.settled();
    expect((await reactionsOnAlice()).at(-1)).toEqual({
      name: `evil@${hostOf("https://akkoma.example")}`,
      count: 1,
      me: false,
      url: h.uri("https://akkoma.example/e.png"),
    });
  });
});
