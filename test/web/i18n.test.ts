import { afterEach, describe, expect, it } from "vitest";
import { chooseLocale, LOCALES, negotiateLocale, translatorFor } from "../../src/i18n/index.ts";
import { catalogues } from "../../src/i18n/locales/index.ts";
import { follow, localUser, notify, status } from "../helpers/factories.ts";
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

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "string"
      ? [[`${prefix}${k}`, v] as [string, string]]
      : leaves(v, `${prefix}${k}.`),
  );
}

const en = new Map(leaves(catalogues.en as Tree));
const fr = new Map(leaves(catalogues.fr as Tree));

/**
 * The English text a page must not show once in French: each English message's literal pieces (the
 * text between its {{placeholders}}) with a letter in them, where French says something else.
 */
const englishPieces = [
  ...new Set(
    [...en]
      .filter(([key, text]) => fr.get(key) !== text)
      .flatMap(([, text]) => text.split(/\{\{[^}]*\}\}/))
      .map((piece) => piece.trim().replace(/^[\s.,:;·()]+|[\s.,:;·()]+$/g, ""))
      .filter((piece) => /\p{L}{3}/u.test(piece)),
  ),
].filter((piece) => ![...fr.values()].some((f) => f.includes(piece)));

// Words of English that no French sentence of ours uses: what an untranslated string would leave.
const ENGLISH_WORDS = [
  "the",
  "your",
  "you",
  "and",
  "with",
  "from",
  "this",
  "that",
  "posts",
  "post",
  "sign",
  "here",
  "yet",
  "more",
  "show",
  "nothing",
  "follow",
  "reply",
  "like",
  "boost",
  "search",
  "who",
  "settings",
  "language",
  "password",
  "older",
  "trending",
  "recent",
  "latest",
];

/** What a reader sees: the text, without tags, scripts, styles or the search operators' syntax. */
function visibleText(body: string): string {
  return body
    .replaceAll(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, " ")
    .replaceAll(/<[^>]+>/g, " ")
    .replaceAll(/&[a-z]+;|&#\d+;/g, " ")
    .replaceAll(/\b[a-z]+:[^\s]*/g, " ")
    .replaceAll(/\s+/g, " ");
}

function englishIn(body: string): string[] {
  const text = visibleText(body);
  const found = englishPieces.filter((piece) =>
    new RegExp(
      `(?<![\\p{L}’'])${piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}’'])`,
      "u",
    ).test(text),
  );
  for (const word of ENGLISH_WORDS) {
    if (new RegExp(`(?<![\\p{L}@])${word}(?![\\p{L}])`, "iu").test(text)) found.push(word);
  }
  return found;
}

describe("the pages in French", () => {
  it("shows the main pages in French to Accept-Language: fr, with no English left in their text", async () => {
    const i = await instance();
    const alice = await localUser(i, "alice", { displayName: "Alice" });
    const bob = await localUser(i, "bob", { displayName: "Bob" });
    await follow(i, bob.account.id, alice.account.id);
    const post = await status(i, alice.account.id, {
      images: 2,
      content: "<p>Un chat sur un toit #chats</p>",
      description: "Un chat roux",
      tags: ["chats"],
      prompt: "un phare au crépuscule, aquarelle",
    });
    await status(i, bob.account.id, { content: "<p>Très beau</p>", inReplyToId: post.id });
    await notify(i, alice.account.id, bob.account.id, "favourite", post.id);
    await notify(i, alice.account.id, bob.account.id, "follow");

    const visitor = new PageClient(i.app, { "accept-language": "fr-CA,fr;q=0.9,en;q=0.5" });
    const signedIn = new PageClient(i.app, { "accept-language": "fr" });
    expect((await signedIn.signIn("alice")).status).toBe(303);

    const pages: [PageClient, string, number][] = [
      [visitor, "/explore", 200],
      [visitor, "/explore/trending", 200],
      [visitor, "/explore/latest", 200],
      [visitor, "/explore/tags", 200],
      [visitor, "/@alice", 200],
      [visitor, "/@alice?tab=posts", 200],
      [visitor, `/@alice/${post.id}`, 200],
      [visitor, "/@alice/remote_follow", 200],
      [visitor, "/tags/chats", 200],
      [visitor, "/auth/sign_in", 200],
      [visitor, "/auth/sign_up", 200],
      [visitor, "/auth/confirmation/new", 200],
      [visitor, "/no/such/page", 404],
      [signedIn, "/home", 200],
      [signedIn, "/explore/following", 200],
      [signedIn, "/notifications", 200],
      [signedIn, "/settings", 200],
      [signedIn, "/settings/followed_tags", 200],
      [signedIn, "/search?q=chat", 200],
      [signedIn, `/@alice/${post.id}`, 200],
      [signedIn, "/@bob", 200],
    ];
    const english: Record<string, string[]> = {};
    for (const [client, path, expected] of pages) {
      const res = await client.request(path, { headers: { accept: "text/html" } });
      const body = await res.text();
      expect(res.status, path).toBe(expected);
      expect(body, path).toContain('<html lang="fr">');
      const found = englishIn(body);
      if (found.length > 0) english[path] = found;
    }
    expect(english).toEqual({});
  });

  it("keeps English as the default, and for a browser asking for a language we do not have", async () => {
    const i = await instance();
    for (const header of [undefined, "de-DE,de;q=0.9", "*"]) {
      const client = new PageClient(i.app, header ? { "accept-language": header } : {});
      const { body } = await client.get("/explore");
      expect(body).toContain('<html lang="en">');
      expect(body).toContain("Skip to content");
    }
  });

  it("lets the user's interface language beat the browser's, and the browser choose again when unset", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app, { "accept-language": "en-GB,en;q=0.9" });
    await client.signIn("alice");
    const form = (await client.get("/settings")).body;
    expect(form).toMatch(/<select id="locale" name="locale"/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(form)![1]!;
    const save = (locale: string) =>
      client.post("/settings/preferences", {
        csrf,
        locale,
        default_visibility: "public",
        expand_media: "default",
      });
    expect((await save("fr")).status).toBe(303);
    const french = (await client.get("/home")).body;
    expect(french).toContain('<html lang="fr">');
    expect(french).toContain("Aller au contenu");
    expect((await client.get("/settings")).body).toMatch(/<option value="fr" lang="fr" selected>/);
    expect((await save("")).status).toBe(303);
    expect((await client.get("/home")).body).toContain('<html lang="en">');
    // A language the pages do not speak is refused, and nothing changes.
    const refused = await save("xx");
    expect(refused.status).toBe(400);
    expect((await client.get("/home")).body).toContain('<html lang="en">');
  });

  it("formats the counts and dates of a page for its language", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    await status(i, account.id, {
      content: "<p>Bonjour</p>",
      createdAt: new Date("2025-03-12T14:05:00Z"),
    });
    const { body } = await new PageClient(i.app, { "accept-language": "fr" }).get(
      "/@alice?tab=posts",
    );
    expect(body).toContain("12 mars 2025, 14:05 UTC");
    expect(body).toMatch(/<strong>1<\/strong> publication</);
  });
});

describe("locale negotiation", () => {
  it("reads Accept-Language's q-values, regions and refusals", () => {
    expect(negotiateLocale("fr-CA")).toBe("fr");
    expect(negotiateLocale("en;q=0.5, fr-CH;q=0.9")).toBe("fr");
    expect(negotiateLocale("de, fr;q=0.8, en;q=0.9")).toBe("en");
    expect(negotiateLocale("fr;q=0, en")).toBe("en");
    expect(negotiateLocale("FR-ca;Q=1.0")).toBe("fr");
    // Equal q-values keep the browser's order.
    expect(negotiateLocale("fr;q=0.7, en;q=0.7")).toBe("fr");
    expect(negotiateLocale("de, *;q=0.1")).toBe("en");
    expect(negotiateLocale("de-DE, ja")).toBeUndefined();
    // Malformed entries are skipped, never an error.
    expect(negotiateLocale("fr;q=2, ;;, <script>, en;q=abc, fr-CA;q=0.3")).toBe("fr");
    expect(negotiateLocale(`${"x".repeat(5000)}, fr`)).toBeUndefined();
    expect(negotiateLocale("")).toBeUndefined();
  });

  it("puts the user's setting first, then the browser's, then English", () => {
    expect(chooseLocale("fr", "en")).toBe("fr");
    expect(chooseLocale("en", "fr")).toBe("en");
    expect(chooseLocale(null, "fr-BE")).toBe("fr");
    // A setting for a language the pages do not speak (sign-up's "de") leaves the choice to the browser.
    expect(chooseLocale("de", "fr")).toBe("fr");
    expect(chooseLocale(null, undefined)).toBe("en");
  });
});

describe("plurals and catalogues", () => {
  it("picks plural forms by each language's rules (French 0 and 1 are singular)", () => {
    const t = { en: translatorFor("en"), fr: translatorFor("fr") };
    expect(t.en("explore.people", { count: 0 })).toBe("0 people");
    expect(t.en("explore.people", { count: 1 })).toBe("1 person");
    expect(t.en("explore.people", { count: 1200 })).toBe("1,200 people");
    expect(t.fr("explore.people", { count: 0 })).toBe("0 personne");
    expect(t.fr("explore.people", { count: 1 })).toBe("1 personne");
    expect(t.fr("explore.people", { count: 2 })).toBe("2 personnes");
    expect(t.fr("explore.people", { count: 1200 })).toBe("1\u202f200 personnes");
    expect(t.fr("explore.people", { count: 1_000_000 })).toBe("1\u202f000\u202f000 de personnes");
  });

  it("gives every language every message and every plural form its rules name", () => {
    const bases = new Set(
      [...en.keys()].filter((k) => /_(one|other)$/.test(k)).map((k) => k.replace(/_\w+$/, "")),
    );
    for (const locale of LOCALES) {
      const messages = new Map(leaves(catalogues[locale] as Tree));
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const missing = [
        ...[...en.keys()].filter((k) => !/_(one|other)$/.test(k) && !messages.has(k)),
        ...[...bases].flatMap((b) =>
          categories.map((c) => `${b}_${c}`).filter((k) => !messages.has(k)),
        ),
      ];
      expect(missing, locale).toEqual([]);
    }
  });
});
