// Dataset exports: only public AI images of consenting local members, in the ImageFolder layout with
// metadata.jsonl and a datasheet; byte-identical for the same data; the consent history every change
// writes, and its place in the member's archive.

import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import {
  type Account,
  generationCandidates,
  generationJobs,
  mediaAttachments,
  type Status,
} from "../../src/db/schema/index.ts";
import { buildAccountArchive } from "../../src/domain/account-archive.ts";
import { deleteLocalAccount } from "../../src/domain/account-deletion.ts";
import { anonymousId, attributionSecret } from "../../src/domain/datasets/attribution.ts";
import {
  type DatasetChoices,
  listConsentHistory,
  setDatasetChoices,
} from "../../src/domain/datasets/choices.ts";
import { exportDataset } from "../../src/domain/datasets/export.ts";
import { deleteStatus } from "../../src/domain/statuses.ts";
import { DIGITAL_SOURCE_TYPE } from "../../src/media/provenance.ts";
import {
  AI_SOURCE,
  boost,
  localUser,
  remoteAccount,
  status,
  webpImage,
} from "../helpers/factories.ts";
import { createTestInstance, type TestInstance, tempDir } from "../helpers/instance.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function instance(): Promise<TestInstance> {
  const i = await createTestInstance({ INSTANCE_NAME: "Test Atelier" });
  cleanups.push(() => i.close());
  return i;
}

let colour = 0;
/** A post by `author` with one image of its own file, AI-made unless `source` says otherwise. */
async function imagePost(
  i: TestInstance,
  author: Account,
  options: Partial<Status> & { source?: string; alt?: string | null } = {},
): Promise<Status> {
  const { source = AI_SOURCE, alt = "A small square", ...columns } = options;
  const post = await status(i, author, columns);
  colour += 7;
  const key = await i.deps.media.store.put(
    await webpImage({ r: colour % 256, g: 40, b: 90 }, 8, 8),
    "webp",
  );
  await i.deps.db.insert(mediaAttachments).values({
    id: newId(),
    accountId: author.id,
    statusId: post.id,
    type: "image",
    mediaType: "image/webp",
    originalKey: key,
    displayKey: key,
    thumbnailKey: key,
    width: 8,
    height: 8,
    description: alt,
    provenance: {
      digitalSourceType: source,
      provider: "local",
      model: "atelier-procedural-1",
      prompt: `prompt of ${post.id}`,
      negativePrompt: "blur",
      seed: 42,
    },
  });
  return post;
}

async function member(i: TestInstance, name: string, choices?: Partial<DatasetChoices>) {
  const { account } = await localUser(i, name);
  if (choices !== undefined) await setDatasetChoices(i.deps.db, account.id, choices, "settings");
  return account;
}

/** Exports into a fresh folder and unpacks it with the system's tar. */
async function exported(i: TestInstance, since?: Date) {
  const dir = tempDir("atelier-dataset-");
  cleanups.push(dir.remove);
  const out = join(dir.path, "dataset.tar");
  const result = await exportDataset(
    {
      db: i.deps.db,
      store: i.deps.media.store,
      instance: { name: "Test Atelier", origin: i.config.origin, domain: i.config.domain },
    },
    { out, ...(since ? { since } : {}) },
  );
  const files = join(dir.path, "out");
  mkdirSync(files);
  execFileSync("tar", ["-xf", out, "-C", files]);
  const lines = readFileSync(join(files, "metadata.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { out, files, lines, result, readme: readFileSync(join(files, "README.md"), "utf8") };
}

const postIdOf = (line: Record<string, unknown>) =>
  String(line.file_name)
    .replace(/^images\//, "")
    .replace(/-\d+\.\w+$/, "");

describe("dataset export", () => {
  it("holds only public AI images of consenting local members, never what is excluded", async () => {
    const i = await instance();
    const alice = await member(i, "alice", {
      consent: true,
      license: "cc0",
      attribution: "handle",
    });
    const never = await member(i, "never");
    const withdrew = await member(i, "withdrew", { consent: true });
    await setDatasetChoices(i.deps.db, withdrew.id, { consent: false }, "settings");
    const noLicence = await member(i, "nolicence", { consent: true, license: "none" });
    const remote = await remoteAccount(i, "far");

    const kept = await imagePost(i, alice);
    const excluded = [
      await imagePost(i, alice, { visibility: "unlisted" }),
      await imagePost(i, alice, { visibility: "private" }),
      await imagePost(i, alice, { visibility: "direct" }),
      await imagePost(i, alice, { datasetOptOut: true }),
      await imagePost(i, alice, { source: DIGITAL_SOURCE_TYPE.digitalCapture }),
      await imagePost(i, never),
      await imagePost(i, withdrew),
      await imagePost(i, noLicence),
      await imagePost(i, remote),
      await boost(i, alice, await imagePost(i, remote)),
    ];
    const deleted = await imagePost(i, alice);
    await deleteStatus(i.deps, alice.id, deleted.id);

    const { lines, result, files } = await exported(i);
    expect(lines.map(postIdOf)).toEqual([kept.id]);
    expect(result).toMatchObject({ images: 1, contributors: 1, missingFiles: 0 });
    for (const post of [...excluded, deleted]) {
      expect(JSON.stringify(lines)).not.toContain(post.id);
    }
    // The image file is there, under the name its line gives.
    const file = readFileSync(join(files, String(lines[0]!.file_name)));
    expect(file.subarray(8, 12).toString("ascii")).toBe("WEBP");
  });

  it("writes every metadata.jsonl field with its type, and attribution as each member chose", async () => {
    const i = await instance();
    const alice = await member(i, "alice", {
      consent: true,
      license: "cc-by-nc",
      attribution: "handle",
    });
    const bob = await member(i, "bob", { consent: true });
    await imagePost(i, alice);
    await imagePost(i, bob, { alt: null });
    await imagePost(i, bob);

    const { lines, readme } = await exported(i);
    expect(lines).toHaveLength(3);
    const [a, b1, b2] = lines as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect(Object.keys(a)).toEqual([
      "file_name",
      "prompt",
      "negative_prompt",
      "revised_prompt",
      "model",
      "provider",
      "seed",
      "alt_text",
      "license",
      "attribution",
      "consent_date",
      "post_url",
      "digital_source_type",
    ]);
    expect(a).toMatchObject({
      negative_prompt: "blur",
      revised_prompt: null,
      model: "atelier-procedural-1",
      provider: "local",
      seed: 42,
      alt_text: "A small square",
      license: "cc-by-nc-4.0",
      attribution: `@alice@${i.config.domain}`,
      digital_source_type: AI_SOURCE,
    });
    expect(a.file_name).toMatch(/^images\/\d+-0\.webp$/);
    expect(a.prompt).toBe(`prompt of ${postIdOf(a)}`);
    expect(a.post_url).toBe(i.deps.urls.statusPage("alice", postIdOf(a)));
    expect(typeof a.consent_date).toBe("string");
    expect(Number.isNaN(Date.parse(String(a.consent_date)))).toBe(false);
    // Bob's default: CC BY and an anonymous id, the same on both his images, without his handle.
    const secret = await attributionSecret(i.deps.db);
    expect(b1.attribution).toBe(anonymousId(secret, bob.id));
    expect(b2.attribution).toBe(b1.attribution);
    expect(String(b1.attribution)).not.toContain("bob");
    // Nor does anything else lead back to him: no post address, no status id in the file's name.
    expect(b1.post_url).toBeNull();
    expect(b1.file_name).toMatch(/^images\/anon-[0-9a-f]+\.webp$/);
    expect(JSON.stringify([b1, b2])).not.toContain(i.deps.urls.statusPage("bob", "").slice(0, -1));
    expect(b1.license).toBe("cc-by-4.0");
    expect(b1.alt_text).toBeNull();
    // The datasheet counts what is in it and says how to ask for removal.
    expect(readme).toMatch(/^---\npretty_name: "Test Atelier AI images"\nlicense: other\n/);
    expect(readme).toContain("- 3 image(s) by 2 member(s).");
    expect(readme).toContain(
      "`cc-by-4.0` (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/): 2 image(s).",
    );
    expect(readme).toContain("## Removal");
    expect(readme).toContain("## Exclusions");
  });

  it("is byte-identical for the same data, and leaves out a member who withdrew since", async () => {
    const i = await instance();
    const alice = await member(i, "alice", { consent: true });
    const bob = await member(i, "bob", { consent: true });
    await imagePost(i, alice);
    await imagePost(i, bob);
    await imagePost(i, alice);
    const first = await exported(i);
    const second = await exported(i);
    expect(first.lines).toHaveLength(3);
    expect(readFileSync(second.out).equals(readFileSync(first.out))).toBe(true);

    await setDatasetChoices(i.deps.db, bob.id, { consent: false }, "settings");
    const later = await exported(i);
    expect(later.lines).toHaveLength(2);
    expect(later.lines.every((l) => l.attribution !== first.lines[1]!.attribution)).toBe(true);
  });

  it("leaves out a remix of another author's post, whose prompt is theirs", async () => {
    const i = await instance();
    const alice = await member(i, "alice", { consent: true, attribution: "handle" });
    const bob = await member(i, "bob");
    const source = await status(i, bob, { content: "<p>bob's lighthouse</p>" });
    const own = await imagePost(i, alice);
    const remix = await imagePost(i, alice);
    const job = newId();
    await i.deps.db.insert(generationJobs).values({
      id: job,
      accountId: alice.id,
      provider: "local",
      model: "atelier-procedural-1",
      prompt: "bob's own words",
      size: "256x256",
      remixOfStatusId: source.id,
    });
    const [remixMedia] = await i.deps.db
      .select({ id: mediaAttachments.id })
      .from(mediaAttachments)
      .where(eq(mediaAttachments.statusId, remix.id));
    await i.deps.db
      .insert(generationCandidates)
      .values({ jobId: job, mediaId: remixMedia!.id, position: 0 });
    const { lines } = await exported(i);
    expect(lines.map(postIdOf)).toEqual([own.id]);
  });

  it("takes only posts made since --since", async () => {
    const i = await instance();
    const alice = await member(i, "alice", { consent: true, attribution: "handle" });
    const old = await imagePost(i, alice, { createdAt: new Date("2026-01-10T00:00:00Z") });
    const recent = await imagePost(i, alice, { createdAt: new Date("2026-03-10T00:00:00Z") });
    const { lines } = await exported(i, new Date("2026-02-01T00:00:00Z"));
    expect(lines.map(postIdOf)).toEqual([recent.id]);
    expect(JSON.stringify(lines)).not.toContain(old.id);
  });
});

describe("dataset choices", () => {
  it("records every change in the history, and the archive carries it", async () => {
    const i = await instance();
    const alice = await member(i, "alice");
    expect(await listConsentHistory(i.deps.db, alice.id)).toEqual([]);
    await setDatasetChoices(i.deps.db, alice.id, { consent: true, license: "cc0" }, "settings");
    // Saving the same choices again changes nothing and records nothing.
    await setDatasetChoices(i.deps.db, alice.id, { consent: true, license: "cc0" }, "settings");
    await setDatasetChoices(i.deps.db, alice.id, { attribution: "handle" }, "settings");
    await setDatasetChoices(i.deps.db, alice.id, { consent: false }, "settings");
    const history = await listConsentHistory(i.deps.db, alice.id);
    expect(history.map((e) => [e.change, e.consent, e.license, e.attribution])).toEqual([
      ["consent_given", true, "cc0", "anonymous"],
      ["license_changed", true, "cc0", "anonymous"],
      ["attribution_changed", true, "cc0", "handle"],
      ["consent_withdrawn", false, "cc0", "handle"],
    ]);
    const kept = await imagePost(i, alice, { datasetOptOut: true });

    const tar = await buildAccountArchive(i.deps.db, i.deps.media.store, alice.id);
    const dir = tempDir("atelier-archive-");
    cleanups.push(dir.remove);
    writeFileSync(join(dir.path, "a.tar"), tar);
    execFileSync("tar", ["-xf", join(dir.path, "a.tar"), "-C", dir.path]);
    const consent = JSON.parse(readFileSync(join(dir.path, "dataset-consent.json"), "utf8"));
    expect(consent.current).toEqual({ consent: false, license: "cc0", attribution: "handle" });
    expect(consent.postsKeptOut).toEqual([kept.id]);
    expect(consent.history.map((e: { change: string }) => e.change)).toEqual([
      "consent_given",
      "license_changed",
      "attribution_changed",
      "consent_withdrawn",
    ]);
    expect(consent.history[0]).toMatchObject({ source: "settings", consent: true });
    expect(Number.isNaN(Date.parse(consent.history[0].at))).toBe(false);

    // Deleting the account deletes its history with it.
    await deleteLocalAccount(i.deps.db, i.deps.media.store, "alice");
    expect(await listConsentHistory(i.deps.db, alice.id)).toEqual([]);
  });
});
