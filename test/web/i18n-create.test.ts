// The making and organising pages in French (compose and a job's pages, the studio, albums, lists,
// filters, scheduled posts, /authorize_interaction, a post's reactions): requested with
// Accept-Language: fr, their text and their alt, aria-label, title, placeholder and confirm
// attributes keep none of the English of their catalogue namespaces (c_*) nor common English words, and
// say the French; the messages their routes answer with are French too.
import { afterEach, describe, expect, it } from "vitest";
import { mediaAttachments } from "../../src/db/schema/index.ts";
import { translatorFor } from "../../src/i18n/index.ts";
import { catalogues } from "../../src/i18n/locales/index.ts";
import { follow, localUser, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "string"
      ? [[`${prefix}${k}`, v] as [string, string]]
      : leaves(v, `${prefix}${k}.`),
  );
}

const ours = (tree: Tree) =>
  Object.fromEntries(Object.entries(tree).filter(([k]) => k.startsWith("c_")));
const en = new Map(leaves(ours(catalogues.en as Tree)));
const fr = new Map(leaves(ours(catalogues.fr as Tree)));
const allFrench = leaves(catalogues.fr as Tree).map(([, text]) => text);

/** The literal pieces of our English messages (between placeholders) that French says otherwise. */
const englishPieces = [
  ...new Set(
    [...en]
      .filter(([key, text]) => fr.get(key) !== text)
      .flatMap(([, text]) => text.split(/\{\{[^}]*\}\}/))
      .map((piece) => piece.trim().replace(/^[\s.,:;·()←?]+|[\s.,:;·()…?]+$/g, ""))
      .filter((piece) => /\p{L}{3}/u.test(piece)),
  ),
].filter((piece) => !allFrench.some((f) => f.includes(piece)));

// English words no French sentence of ours uses: what an untranslated string would leave behind.
const ENGLISH_WORDS = [
  "the",
  "your",
  "you",
  "and",
  "with",
  "from",
  "this",
  "that",
  "post",
  "posts",
  "add",
  "edit",
  "save",
  "create",
  "delete",
  "remove",
  "more",
  "nothing",
  "yet",
  "follow",
  "step",
  "search",
];

const ATTRIBUTES = /\s(?:alt|aria-label|title|placeholder|data-confirm)="([^"]*)"/g;

/** What a reader sees or hears: the text without tags, scripts and styles, and the named attributes. */
function visibleText(body: string): string {
  const withoutHead = body.replaceAll(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, " ");
  const attributes = [...withoutHead.matchAll(ATTRIBUTES)].map((m) => m[1]).join(" ");
  return `${withoutHead} ${attributes}`
    .replaceAll(/<[^>]+>/g, " ")
    .replaceAll(/&[a-z]+;|&#\d+;/g, " ")
    .replaceAll(/\s+/g, " ");
}

/** `without`: content shown as it was stored (the local provider drafts its alt text in English). */
function englishIn(body: string, without: readonly string[] = []): string[] {
  let text = visibleText(body);
  for (const content of without) text = text.replaceAll(content, " ");
  const found = englishPieces.filter((piece) =>
    new RegExp(
      `(?<![\\p{L}’'])${piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}’'])`,
      "u",
    ).test(text),
  );
  for (const word of ENGLISH_WORDS) {
    if (new RegExp(`(?<![\\p{L}@/:])${word}(?![\\p{L}])`, "iu").test(text)) found.push(word);
  }
  return found;
}

const fr_ = translatorFor("fr");

async function instance(): Promise<TestInstance> {
  const i = await createTestInstance();
  cleanups.push(() => i.close());
  return i;
}

const csrfOf = (body: string) => /name="csrf" value="([^"]+)"/.exec(body)![1]!;

describe("the making and organising pages in French", () => {
  it("shows compose, the studio, albums, lists, filters, scheduled posts and the interaction page with no English left", async () => {
    const i = await instance();
    const alice = await localUser(i, "alice", { displayName: "Alice" });
    const bob = await localUser(i, "bob", { displayName: "Bob" });
    await follow(i, alice.account.id, bob.account.id);
    const mine = await status(i, alice.account.id, {
      images: 1,
      content: "<p>Un phare</p>",
      description: "Un phare au crépuscule",
    });
    const bare = await status(i, alice.account.id, {
      images: 1,
      content: "<p>Sans texte</p>",
      description: null,
    });
    const theirs = await status(i, bob.account.id, {
      images: 1,
      content: "<p>Un chat</p>",
      description: "Un chat roux",
    });
    const client = new PageClient(i.app, { "accept-language": "fr-FR,fr;q=0.9" });
    expect((await client.signIn("alice")).status).toBe(303);
    const csrf = await client.csrfFrom("/compose");

    // A job still queued (no worker yet), then finished: the progress page and the picking page.
    const queued = await client.post("/compose/generate", {
      csrf,
      prompt: "un moulin dans un champ",
      size: "256x256",
    });
    expect(queued.status).toBe(303);
    const jobPath = queued.headers.get("location")!;
    const progress = await client.get(jobPath);
    await i.deps.generation.start();
    await i.deps.generation.idle();

    // A studio session of two steps, compared side by side.
    const started = await client.post("/studio", {
      csrf,
      prompt: "un tramway sous la pluie",
      size: "256x256",
    });
    await i.deps.generation.idle();
    const sessionPath = started.headers.get("location")!.replace(/#.*$/, "");
    const first = /id="step-(\d+)"/.exec((await client.get(sessionPath)).body)![1]!;
    const sessionId = sessionPath.split("/").pop()!;
    await client.post("/studio/steps", {
      csrf,
      session: sessionId,
      parent_id: first,
      kind: "vary",
    });
    await i.deps.generation.idle();
    const second = [...(await client.get(sessionPath)).body.matchAll(/id="step-(\d+)"/g)][1]![1]!;

    const album = await client.post("/albums", { csrf, title: "Phares" });
    const albumId = /\/albums\/(\d+)\/edit/.exec(album.headers.get("location")!)![1]!;
    await client.post(`/albums/${albumId}/posts`, { csrf, status_id: mine.id });
    await client.post(`/albums/${albumId}/posts`, { csrf, status_id: bare.id });

    const list = await client.post("/lists", { csrf, title: "Amis", replies_policy: "list" });
    const listPath = list.headers.get("location")!;
    await client.post(`${listPath}/accounts`, { csrf, account_id: bob.account.id });
    await localUser(i, "carol", { displayName: "Carole" });
    await follow(i, alice.account.id, (await localUser(i, "dave")).account.id);

    const filter = await client.post("/settings/filters", {
      csrf,
      title: "Divulgâcheurs",
      keyword_0: "fin",
      whole_word_0: "1",
      context_home: "1",
      filter_action: "warn",
      expires_in: "86400",
    });
    expect(filter.status).toBe(303);
    const filterId = /\/settings\/filters\/(\d+)/.exec(
      (await client.get("/settings/filters")).body,
    )![1]!;

    await i.deps.scheduledStatuses.schedule(
      alice.account.id,
      { text: "Bonne année", visibility: "public" },
      new Date(Date.now() + 3_600_000),
    );

    const pages: [string, number][] = [
      ["/compose", 200],
      [`/compose?remix=${theirs.id}`, 200],
      [jobPath, 200],
      ["/studio", 200],
      [sessionPath, 200],
      [`${sessionPath}?compare=${first},${second}`, 200],
      [`${sessionPath}?from=${first}`, 200],
      ["/albums", 200],
      [`/albums/${albumId}/edit`, 200],
      [`/@alice/albums/${albumId}`, 200],
      ["/lists", 200],
      [listPath, 200],
      ["/settings/filters", 200],
      [`/settings/filters/${filterId}`, 200],
      ["/scheduled?scheduled=1", 200],
      ["/scheduled?cancelled=1", 200],
      [`/authorize_interaction?uri=${encodeURIComponent("@bob@localhost:3000")}`, 200],
      [`/authorize_interaction?uri=${encodeURIComponent("@alice@localhost:3000")}`, 200],
      ["/authorize_interaction?uri=https%3A%2F%2Fnowhere.example%2Fx", 404],
      [`/@bob/${theirs.id}`, 200],
      // Refusals the routes answer with, on the error page.
      ["/studio?max_id=abc", 400],
      [`${sessionPath}?compare=${first},${first}`, 400],
      ["/authorize_interaction?uri=", 400],
    ];
    const drafted = (
      await i.deps.db.select({ d: mediaAttachments.description }).from(mediaAttachments)
    ).flatMap((m) => (m.d ? [m.d] : []));
    const english: Record<string, string[]> = {};
    const bodies: Record<string, string> = { progress: progress.body };
    expect(progress.res.status).toBe(200);
    const progressEnglish = englishIn(progress.body, drafted);
    if (progressEnglish.length > 0) english[`${jobPath} (queued)`] = progressEnglish;
    for (const [path, expected] of pages) {
      const res = await client.request(path, { headers: { accept: "text/html" } });
      const body = await res.text();
      expect(res.status, path).toBe(expected);
      expect(body, path).toContain('<html lang="fr">');
      bodies[path] = body;
      const found = englishIn(body, drafted);
      if (found.length > 0) english[path] = found;
    }
    expect(english).toEqual({});

    // And the French is there.
    expect(bodies.progress).toContain(fr_("c_compose.generating"));
    expect(bodies["/compose"]).toContain(fr_("c_compose.pollHeading"));
    expect(bodies["/compose"]).toContain(">1 jour</option>");
    expect(bodies[`/compose?remix=${theirs.id}`]).toContain(fr_("c_compose.remixImage"));
    expect(bodies[jobPath]).toContain(fr_("c_compose.pickTitle"));
    expect(bodies["/studio"]).toContain(fr_("c_studio.myCreations"));
    expect(bodies[sessionPath]).toContain("depuis l’étape 1");
    expect(bodies[`${sessionPath}?compare=${first},${second}`]).toContain(
      "Étapes 1 et 2 côte à côte",
    );
    expect(bodies[`/albums/${albumId}/edit`]).toContain('alt="Image sans description"');
    expect(bodies[`/@alice/albums/${albumId}`]).toContain("2 publications");
    expect(bodies[listPath]).toContain(fr_("c_lists.members"));
    expect(bodies["/settings/filters"]).toContain("Dans 1 semaine");
    expect(bodies["/settings/filters"]).toContain("Supprimer le filtre « Divulgâcheurs » ?");
    expect(bodies["/scheduled?scheduled=1"]).toContain("Programmée.");
    expect(bodies[`/@bob/${theirs.id}`]).toContain(fr_("c_reactions.add"));
    expect(bodies["/studio?max_id=abc"]).toContain("max_id doit être un identifiant");
    expect(bodies["/authorize_interaction?uri="]).toContain(fr_("c_interaction.errors.uri"));

    const followed = await client.post("/authorize_interaction", {
      csrf,
      uri: "@bob@localhost:3000",
    });
    expect(followed.status).toBe(200);
    const followedBody = await followed.text();
    expect(followedBody).toContain(fr_("c_interaction.following", { handle: "" }).slice(0, 10));
    expect(englishIn(followedBody)).toEqual([]);
  });

  it("answers a refused form in French: compose's upload, a filter's expiry, a time too soon", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app, { "accept-language": "fr" });
    await client.signIn("alice");
    const csrf = csrfOf((await client.get("/compose")).body);

    const badExpiry = await client.post("/settings/filters", {
      csrf,
      title: "Test",
      context_home: "1",
      expires_in: "bientôt",
    });
    expect(badExpiry.status).toBe(400);
    expect(await badExpiry.text()).toContain(fr_("c_filters.errors.expiry"));

    const form = new FormData();
    form.set("csrf", csrf);
    const noImage = await client.request("/compose/upload", { method: "POST", body: form });
    expect(noImage.status).toBe(400);
    expect(await noImage.text()).toContain(fr_("c_compose.errors.chooseImage"));

    const pick = await client.post("/compose/post", { csrf, job: "1" });
    expect(pick.status).toBe(400);
    expect(await pick.text()).toContain("Choisissez au moins une des images.");
  });
});

describe("the catalogue of these pages", () => {
  it("writes durations and counts with each language's plural rules", () => {
    const en = translatorFor("en");
    expect(en("c_time.hours", { count: 1 })).toBe("1 hour");
    expect(en("c_time.hours", { count: 6 })).toBe("6 hours");
    expect(fr_("c_time.days", { count: 1 })).toBe("1 jour");
    expect(fr_("c_time.days", { count: 7 })).toBe("7 jours");
    expect(en("c_compose.errors.tooMany", { count: 1 })).toBe("A post can have at most 1 image.");
    expect(fr_("c_filters.pickedPosts", { count: 2 })).toBe("et 2 publications choisies");
  });
});
