// The instance's policy on generated images that output moderation flagged (GENERATION_OUTPUT_POLICY):
// `block` — such an image cannot be posted; `sensitive` — it is posted sensitive, behind a content warning
// that names the flagged categories. Publishing, scheduling and editing all come through here.
import type { Config } from "../config.ts";
import type { DatabaseLike } from "../db/client.ts";
import type { MediaAttachment } from "../db/schema/index.ts";
import { unprocessable } from "../errors.ts";
import { candidateVerdicts } from "../generation/job-store.ts";

/** The categories flagged on any of `media` (generated candidates); empty when none was flagged. */
async function flaggedCategories(
  db: DatabaseLike,
  media: MediaAttachment[],
): Promise<string[] | undefined> {
  const flagged = (
    await candidateVerdicts(
      db,
      media.map((m) => m.id),
    )
  ).filter((v) => v.flagged);
  if (flagged.length === 0) return undefined;
  return [...new Set(flagged.flatMap((v) => v.categories))];
}

/**
 * Refuses (422, saying which categories) a status about to take a flagged generated image when the
 * policy is `block`. Checked when a status is published or scheduled.
 */
export async function refuseBlockedOutputs(
  db: DatabaseLike,
  config: Config,
  media: MediaAttachment[],
): Promise<void> {
  if (config.generation.outputPolicy !== "block") return;
  const categories = await flaggedCategories(db, media);
  if (categories === undefined) return;
  throw unprocessable(
    `This image was flagged by this instance's moderation${categories.length > 0 ? ` (${categories.join(", ")})` : ""} and cannot be posted`,
  );
}

/**
 * The sensitive flag and content warning a status with `media` must carry: unchanged without a flagged
 * generated image; otherwise sensitive, with a warning that names the categories (after the author's
 * own, which is kept, shortened if the two pass `spoilerMaxLength`). Applied on publish and on every edit, so the warning cannot be edited away.
 */
export async function warnFlaggedOutputs(
  db: DatabaseLike,
  media: MediaAttachment[],
  requested: { sensitive: boolean; spoilerText: string },
  spoilerMaxLength: number,
): Promise<{ sensitive: boolean; spoilerText: string }> {
  const categories = await flaggedCategories(db, media);
  if (categories === undefined) return requested;
  const warning = `Flagged by moderation${categories.length > 0 ? `: ${categories.join(", ")}` : ""}`;
  const own = requested.spoilerText.trim();
  if (own.includes(warning)) return { sensitive: true, spoilerText: own };
  const joined = own === "" ? warning : `${own} · ${warning}`;
  // The author's words give way before the warning does.
  const spoilerText =
    joined.length <= spoilerMaxLength
      ? joined
      : `${own.slice(0, Math.max(0, spoilerMaxLength - warning.length - 4))}… · ${warning}`.slice(
          -spoilerMaxLength,
        );
  return { sensitive: true, spoilerText };
}
