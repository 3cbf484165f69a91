// The settings, account, about and admin pages in French: no English text of their catalogues left in
// what a reader sees, and a French sentence there; the notices their forms lead to in French too; and
// the account e-mails in the recipient's language.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { users } from "../../src/db/schema/index.ts";
import * as mail from "../../src/domain/account-mail.ts";
import { receiveReport } from "../../src/domain/reports.ts";
import { catalogues } from "../../src/i18n/locales/index.ts";
import { localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { mailFiles } from "../helpers/sign-up.ts";
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
const frenchTexts = [...fr.values()];

/**
 * The English these pages must not show in French: the literal pieces (between {{placeholders}}) of
 * every message of the namespaces they use, where French says something else.
 */
const englishPieces = [
  ...new Set(
    [...en]
      .filter(([key]) => /^(z_[a-zA-Z]+|common|layout|settings|auth|signUp|tags)\./.test(key))
      .filter(([key, text]) => fr.get(key) !== text)
      .flatMap(([, text]) => text.split(/\{\{[^}]*\}\}/))
      .map((piece) => piece.trim().replace(/^[\s.,:;·()—#@]+|[\s.,:;·()—#@]+$/g, ""))
      .filter((piece) => /\p{L}{3}/u.test(piece)),
  ),
].filter((piece) => !frenchTexts.some((f) => f.includes(piece)));

// Words of English no French sentence of ours uses: what a string left out of the catalogue shows.
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
  "back",
  "settings",
  "password",
  "sign",
  "none",
  "yet",
  "remove",
  "add",
  "choose",
  "new",
  "browser",
  "domain",
  "account",
  "followers",
];

/** What a reader sees: the text, without tags, scripts, styles, entities or things like "key:value". */
function visibleText(body: string): string {
  return body
    .replaceAll(/<(script|style|head|code)\b[\s\S]*?<\/\1>/gi, " ")
    .replaceAll(/<[^>]+>/g, " ")
    .replaceAll(/&[a-z]+;|&#\d+;/g, " ")
    .replaceAll(/\b[a-z-]+:[^\s]*/g, " ")
    .replaceAll(/\s+/g, " ");
}

/** The attributes a reader hears or sees too: aria-label, title, placeholder, alt. */
function attributeText(body: string): string {
  return [...body.matchAll(/\b(?:aria-label|title|placeholder|alt)="([^"]*)"/g)]
    .map((m) => m[1])
    .join(" · ");
}

function englishIn(body: string): string[] {
  const text = `${visibleText(body)} · ${attributeText(body)}`;
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const found = englishPieces.filter((piece) =>
    new RegExp(`(?<![\\p{L}’'-])${literal(piece)}(?![\\p{L}’'-])`, "u").test(text),
  );
  for (const word of ENGLISH_WORDS) {
    if (new RegExp(`(?<![\\p{L}@./_-])${word}(?![\\p{L}./_-])`, "iu").test(text)) found.push(word);
  }
  return found;
}

/** Requests each page, and lists per path what English is left and whether a French line is there. */
async function check(pages: [PageClient, string, number, string][]): Promise<void> {
  const english: Record<string, string[]> = {};
  for (const [client, path, expected, french] of pages) {
    const res = await client.request(path, { headers: { accept: "text/html" } });
    const body = await res.text();
    expect(res.status, path).toBe(expected);
    expect(body, path).toContain('<html lang="fr"');
    expect(visibleText(body), path).toContain(french);
    const left = englishIn(body);
    if (left.length > 0) english[path] = left;
  }
  expect(english).toEqual({});
}

describe("the settings and account pages in French", () => {
  it("shows them to Accept-Language: fr with no English left", async () => {
    const i = await instance();
    await localUser(i, "alice", { displayName: "Alice" });
    const visitor = new PageClient(i.app, { "accept-language": "fr" });
    const alice = new PageClient(i.app, { "accept-language": "fr-FR,fr;q=0.9" });
    expect((await alice.signIn("alice")).status).toBe(303);

    await check([
      [visitor, "/about", 200, "Règles"],
      [visitor, "/about/data", 200, "Ce que ce serveur conserve"],
      [visitor, "/auth/password/new", 200, "Réinitialiser votre mot de passe"],
      [visitor, "/auth/password/edit?token=nope", 404, "Ce lien a déjà servi"],
      [alice, "/about/data", 200, "Votre choix actuel"],
      [alice, "/settings/aliases", 200, "Vous n’avez aucun alias."],
      [alice, "/settings/migration", 200, "Déplacer vos abonnés"],
      [alice, "/settings/security", 200, "Navigateurs connectés"],
      [alice, "/settings/two_factor", 200, "Activer la connexion à deux facteurs"],
      [alice, "/settings/import", 200, "Aucune importation pour l’instant."],
      [alice, "/settings/domain_blocks", 200, "Vous n’avez bloqué aucun domaine."],
      [alice, "/settings/featured_tags", 200, "Vous ne mettez encore aucun hashtag en avant."],
    ]);
  });

  it("says what a form did, and why it refused, in French", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const alice = new PageClient(i.app, { "accept-language": "fr" });
    await alice.signIn("alice");

    const csrf = await alice.csrfFrom("/settings/domain_blocks");
    const blocked = await alice.post("/settings/domain_blocks", { csrf, domain: "spam.example" });
    expect(blocked.status).toBe(303);
    const after = (await alice.get(blocked.headers.get("location")!)).body;
    expect(after).toContain("Domaine bloqué.");
    expect(after).toContain('aria-label="Débloquer spam.example"');
    // An unknown "done" shows nothing, whatever it says.
    expect((await alice.get("/settings/domain_blocks?done=Hacked")).body).not.toContain("Hacked");

    const differ = await alice.post("/settings/password", {
      csrf,
      current_password: "whatever",
      password: "a new password",
      password_confirmation: "another one",
    });
    expect(differ.status).toBe(400);
    expect(await differ.text()).toContain(
      "Les deux nouveaux mots de passe diffèrent ; rien n’a été modifié.",
    );

    const noFile = await alice.post("/settings/import", { csrf, type: "following" });
    expect(noFile.status).toBe(400);
    expect(await noFile.text()).toContain("Choisissez un fichier CSV.");
  });

  it("shows the administration pages to an administrator in French with no English left", async () => {
    const i = await instance();
    await localUser(i, "boss", { admin: true });
    const alice = (await localUser(i, "alice")).account;
    const reporter = await remoteAccount(i, "mod", "good.example");
    const post = await status(i, alice.id, { content: "<p>Des mots signalés</p>" });
    const reportId = await receiveReport(i.deps.db, {
      iri: "https://good.example/flags/1",
      reporter,
      target: alice,
      statusIds: [post.id],
      comment: "Ça ressemble à du spam",
    });
    const admin = new PageClient(i.app, { "accept-language": "fr" });
    expect((await admin.signIn("boss")).status).toBe(303);
    const csrf = await admin.csrfFrom("/admin/domain_blocks");
    await admin.post("/admin/domain_blocks", {
      csrf,
      domain: "spam.example",
      reason: "vagues de spam",
      obfuscate: "1",
    });
    await admin.post("/admin/rules", { csrf, text: "Soyez aimable", hint: "" });
    await admin.post("/admin/announcements", { csrf, text: "Bienvenue à toutes et à tous" });
    await admin.post("/admin/invites", { csrf, uses: "3", days: "7" });

    await check([
      [admin, "/admin", 200, "Utilisateurs (2)"],
      [admin, "/admin/registrations", 200, "Qui peut s’inscrire"],
      [admin, "/admin/rules", 200, "Règles (1)"],
      [admin, "/admin/emojis", 200, "Aucun émoji personnalisé pour l’instant."],
      [admin, "/admin/spending", 200, "Budget mensuel"],
      [admin, "/admin/domain_blocks?done=blocked", 200, "L’instance est bloquée."],
      [admin, "/admin/reports", 200, "Signalements ouverts"],
      [admin, `/admin/reports/${reportId}`, 200, "Publication signalée (1)"],
      [admin, "/admin/reports?state=resolved", 200, "Voir les signalements ouverts"],
      [admin, "/admin/announcements", 200, "Annonces (1)"],
      [admin, "/admin/crawlers", 200, "Robots d’IA dans robots.txt"],
      [admin, "/admin/datasets", 200, "Exporter un jeu de données"],
      [admin, "/admin/audit", 200, "Ce qu’ont fait les modérateurs"],
    ]);
  });
});

/** An .eml file's text: quoted-printable and encoded-word headers undone. */
function decodeEml(eml: string): string {
  const words = eml.replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) => q.replace(/_/g, " "));
  const soft = words.replace(/=\r?\n/g, "");
  return Buffer.from(
    soft.replace(/=([0-9A-F]{2})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    ),
    "latin1",
  ).toString("utf8");
}

describe("the account e-mails", () => {
  const base = {
    instanceName: "Atelier Test",
    to: "a@example.com",
    username: "alice",
    link: "https://x.example/l",
  };
  const messages = (locale: string | null) => [
    mail.confirmationMessage({ ...base, locale }),
    mail.pendingSignUpMessage({ ...base, locale, reason: "J’aime peindre" }),
    mail.decisionMessage({ ...base, locale, approved: true }),
    mail.decisionMessage({ ...base, locale, approved: false }),
    mail.passwordResetMessage({ ...base, locale, validMinutes: 60 }),
    mail.emailChangeMessage({ ...base, locale }),
    mail.emailChangeNoticeMessage({ ...base, locale, newAddress: "b@example.com" }),
    ...["none", "sensitive", "disable", "silence", "suspend"].map((action) =>
      mail.warningMessage({ ...base, locale, action, text: "Merci" }),
    ),
  ];

  it("are written in the recipient's language, with no English left", () => {
    const english: Record<string, string[]> = {};
    for (const m of messages("fr")) {
      const left = englishIn(`${m.subject}\n${m.text}\n${m.html}`);
      if (left.length > 0) english[m.subject] = left;
      expect(m.html).toContain('<html lang="fr">');
    }
    expect(english).toEqual({});
    expect(messages("fr")[4]!.subject).toBe("Réinitialiser votre mot de passe sur Atelier Test");
  });

  it("are in English for a user with no language setting, as before", () => {
    const [confirm, , , , reset, , , warning] = messages(null);
    expect(confirm!.subject).toBe("Confirm your e-mail address for Atelier Test");
    expect(confirm!.text).toContain("Welcome to Atelier Test, @alice!");
    expect(reset!.text).toContain("open this link within 60 minutes:");
    expect(warning!.text).toContain("The moderators of Atelier Test sent you a warning.");
    expect(warning!.html).toContain("<strong>@alice</strong>: The moderators");
  });

  it("takes the language from the user's setting when the instance sends one", async () => {
    const i = await instance();
    const alice = await localUser(i, "alice");
    await i.deps.db
      .update(users)
      .set({ email: "alice@example.com", locale: "fr" })
      .where(eq(users.accountId, alice.account.id));
    // The browser asking is English: the mail follows the user's setting, not the request.
    const web = new PageClient(i.app, { "accept-language": "en" });
    const csrf = await web.csrfFrom("/auth/password/new");
    await web.post("/auth/password/new", { csrf, email: "alice@example.com" });
    const [eml] = mailFiles(i).map(decodeEml);
    expect(eml).toContain("Réinitialiser votre mot de passe");
    expect(eml).toContain("Choisir un nouveau mot de passe");
    expect(eml).not.toContain("Reset your password");
  });
});
