// Writes a dataset export: a tar in Hugging Face's ImageFolder layout (images/…, metadata.jsonl, and the
// datasheet README.md). Reproducible: entries in the selection's fixed order, each image's mtime its
// post's time and the text files' the last post's, no date of making anywhere, so the same data gives
// a byte-identical archive. The archive is written under a temporary name beside the target and moved
// into place only once complete, so a reader never finds half an export.
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { DatabaseLike } from "../../db/client.ts";
import type { DatasetLicense } from "../../db/schema/index.ts";
import { badRequest } from "../../errors.ts";
import type { MediaStore } from "../../media/store.ts";
import { TAR_END, type TarEntry, tarEntry } from "../tar.ts";
import { anonymousId, attributionOf, attributionSecret } from "./attribution.ts";
import { datasheet, LICENSE_IDS } from "./datasheet.ts";
import { type DatasetImage, type DatasetSelection, selectDatasetImages } from "./selection.ts";

export interface DatasetExportTarget {
  db: DatabaseLike;
  store: MediaStore;
  /** The instance, as the datasheet and the attributions name it. */
  instance: { name: string; origin: string; domain: string };
}

export interface DatasetExportOptions extends DatasetSelection {
  /** The tar file to write (replaced if it exists). */
  out: string;
  /** Called once the images are selected (done 0) and after each one is written. */
  onProgress?: (progress: { done: number; total: number }) => void | Promise<void>;
}

export interface DatasetExportResult {
  images: number;
  contributors: number;
  bytes: number;
  /** Images selected whose file the store no longer has (left out, and counted in the datasheet). */
  missingFiles: number;
}

/**
 * A "since" bound as an administrator types it (the CLI's --since, the admin form): an ISO 8601 date
 * (2026-01-31, midnight UTC) or date and time with its offset; anything else is a 400.
 */
export function parseDatasetSince(value: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(`${value}T00:00:00Z`)
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
      ? new Date(value)
      : new Date(Number.NaN);
  // new Date("2026-02-31") rolls over into March: a day that does not exist is refused, with or
  // without a time (the calendar day is checked on its own, before any offset moves it).
  const day = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  const exists = !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value.slice(0, 10));
  if (Number.isNaN(at.getTime()) || !exists) {
    throw badRequest(
      `The start must be a date such as 2026-01-31 or 2026-01-31T12:00:00Z, not "${value}".`,
    );
  }
  return at;
}

/** One line of metadata.jsonl, its keys in a fixed order. */
export function metadataLine(
  image: DatasetImage,
  fileName: string,
  attribution: string,
): Record<string, string | number | null> {
  const p = image.provenance;
  return {
    file_name: fileName,
    prompt: p.prompt ?? null,
    negative_prompt: p.negativePrompt ?? null,
    revised_prompt: p.revisedPrompt ?? null,
    model: p.model ?? null,
    provider: p.provider ?? null,
    seed: p.seed ?? null,
    alt_text: image.altText === null || image.altText === "" ? null : image.altText,
    license: LICENSE_IDS[image.license],
    attribution,
    consent_date: image.consentDate?.toISOString() ?? null,
    // The post's address names its author: only for authors who chose to be named.
    post_url: image.attribution === "anonymous" ? null : image.postUrl,
    digital_source_type: p.digitalSourceType,
  };
}

/**
 * The image's name in the archive. An author who chose anonymous attribution gets a name that does not
 * lead back to the post (a status id would: it resolves to the author through the API).
 */
const fileNameOf = (image: DatasetImage, secret: string) => {
  const ext = image.originalKey.split(".").pop();
  return image.attribution === "anonymous"
    ? `images/${anonymousId(secret, `${image.statusId}-${image.position}`)}.${ext}`
    : `images/${image.statusId}-${image.position}.${ext}`;
};

/** Selects what may be exported and writes it to `options.out`. */
export async function exportDataset(
  target: DatasetExportTarget,
  options: DatasetExportOptions,
): Promise<DatasetExportResult> {
  const images = await selectDatasetImages(
    target.db,
    options.since !== undefined ? { since: options.since } : {},
  );
  const secret = await attributionSecret(target.db);
  await options.onProgress?.({ done: 0, total: images.length });
  const partial = join(dirname(options.out), `.${basename(options.out)}.${process.pid}.partial`);
  const file = await open(partial, "w");
  let bytes = 0;
  const write = async (parts: Uint8Array[]) => {
    for (const part of parts) {
      await file.write(part);
      bytes += part.byteLength;
    }
  };
  try {
    const lines: string[] = [];
    const contributors = new Set<string>();
    const byLicense = new Map<Exclude<DatasetLicense, "none">, number>();
    let missingFiles = 0;
    let done = 0;
    for (const image of images) {
      const stored = await target.store.get(image.originalKey);
      if (stored === undefined) missingFiles++;
      else {
        const name = fileNameOf(image, secret);
        await write(tarEntry({ name, bytes: stored.bytes, mtime: image.postedAt }));
        const attribution = attributionOf(image.attribution, image, secret, target.instance.domain);
        lines.push(JSON.stringify(metadataLine(image, name, attribution)));
        contributors.add(image.accountId);
        byLicense.set(image.license, (byLicense.get(image.license) ?? 0) + 1);
      }
      done++;
      await options.onProgress?.({ done, total: images.length });
    }
    const last = images.at(-1)?.postedAt ?? null;
    const text = (name: string, value: string): TarEntry => ({
      name,
      bytes: Buffer.from(value, "utf8"),
      mtime: last ?? new Date(0),
    });
    await write(tarEntry(text("metadata.jsonl", lines.map((l) => `${l}\n`).join(""))));
    await write(
      tarEntry(
        text(
          "README.md",
          datasheet({
            instanceName: target.instance.name,
            origin: target.instance.origin,
            images: lines.length,
            contributors: contributors.size,
            byLicense,
            firstPost: images[0]?.postedAt ?? null,
            lastPost: last,
            since: options.since ?? null,
            missingFiles,
          }),
        ),
      ),
    );
    await write([TAR_END]);
    await file.close();
    await rename(partial, options.out);
    return { images: lines.length, contributors: contributors.size, bytes, missingFiles };
  } catch (error) {
    await file.close().catch(() => {});
    await rm(partial, { force: true });
    throw error;
  }
}
