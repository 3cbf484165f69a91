// "Download your data": one tar with the account's profile, posts (with alt text and provenance), every
// prompt it generated with, its dataset choices and their history, and the image files of its posts and
// candidates, as JSON a person can read.
import { asc, eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { idTime } from "../db/ids.ts";
import { accounts, generationJobs, mediaAttachments, statuses } from "../db/schema/index.ts";
import type { MediaStore } from "../media/store.ts";
import { getDatasetChoices, listConsentHistory } from "./datasets/choices.ts";
import { createTar, type TarEntry } from "./tar.ts";

function json(name: string, value: unknown, mtime: Date): TarEntry {
  return { name, bytes: Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8"), mtime };
}

/** The archive of a local account's own data, as a tar file. */
export async function buildAccountArchive(
  db: Database,
  store: MediaStore,
  accountId: string,
  now = new Date(),
): Promise<Buffer> {
  const account = (await db.select().from(accounts).where(eq(accounts.id, accountId)).limit(1))[0];
  if (account === undefined) throw new Error(`No account ${accountId}`);
  const posts = await db
    .select()
    .from(statuses)
    .where(eq(statuses.accountId, accountId))
    .orderBy(asc(statuses.id));
  const media = await db
    .select()
    .from(mediaAttachments)
    .where(eq(mediaAttachments.accountId, accountId))
    .orderBy(asc(mediaAttachments.id));
  const jobs = await db
    .select()
    .from(generationJobs)
    .where(eq(generationJobs.accountId, accountId))
    .orderBy(asc(generationJobs.id));

  const choices = await getDatasetChoices(db, accountId);
  const history = await listConsentHistory(db, accountId);

  const fileOf = (key: string | null) => (key === null ? null : `media/${key.replace("/", "-")}`);
  const entries: TarEntry[] = [
    json(
      "profile.json",
      {
        username: account.username,
        displayName: account.displayName,
        note: account.note,
        fields: account.fields,
        url: account.url ?? account.iri,
        createdAt: idTime(account.id).toISOString(),
      },
      now,
    ),
    json(
      "posts.json",
      posts.map((s) => ({
        id: s.id,
        url: s.url ?? s.iri,
        createdAt: (s.createdAt ?? idTime(s.id)).toISOString(),
        visibility: s.visibility,
        contentWarning: s.spoilerText,
        content: s.content,
        inReplyTo: s.inReplyToIri,
        boostOf: s.reblogOfId,
        quoteOf: s.quoteOfIri,
        keptOutOfDatasets: s.datasetOptOut,
        images: media
          .filter((m) => m.statusId === s.id)
          .map((m) => ({
            file: fileOf(m.originalKey),
            altText: m.description,
            provenance: m.provenance,
          })),
      })),
      now,
    ),
    json(
      "prompts.json",
      jobs.map((j) => ({
        createdAt: idTime(j.id).toISOString(),
        state: j.state,
        provider: j.provider,
        model: j.model,
        prompt: j.prompt,
        negativePrompt: j.negativePrompt,
        revisedPrompt: j.revisedPrompt,
        size: j.size,
        seed: j.seed,
      })),
      now,
    ),
    json(
      "dataset-consent.json",
      {
        current: choices,
        postsKeptOut: posts.filter((s) => s.datasetOptOut).map((s) => s.id),
        history: history.map((e) => ({
          at: e.createdAt.toISOString(),
          change: e.change,
          consent: e.consent,
          license: e.license,
          attribution: e.attribution,
          source: e.source,
        })),
      },
      now,
    ),
  ];
  const seen = new Set<string>();
  for (const m of media) {
    const name = fileOf(m.originalKey);
    if (name === null || seen.has(name)) continue;
    seen.add(name);
    const file = await store.get(m.originalKey!);
    if (file !== undefined) entries.push({ name, bytes: file.bytes, mtime: idTime(m.id) });
  }
  return createTar(entries);
}
