// How an exported image names its author. "handle" is the fediverse handle; "anonymous" is an HMAC of
// the account id under a secret that never leaves the instance (kept in instance_settings, made on
// first use): the same id in every export, so images by one person stay grouped, but nobody without
// the secret can tell whose it is or link it to the handle (an unkeyed hash of the id or the handle
// could be recomputed by anyone who knows them).
import { createHmac, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { DatabaseLike } from "../../db/client.ts";
import { type DatasetAttribution, instanceSettings } from "../../db/schema/index.ts";

const SECRET_SETTING = "dataset_attribution_secret";

/** The instance's attribution secret, made and stored the first time it is asked for. */
export async function attributionSecret(db: DatabaseLike): Promise<string> {
  const read = async () =>
    (
      await db
        .select({ value: instanceSettings.value })
        .from(instanceSettings)
        .where(eq(instanceSettings.name, SECRET_SETTING))
        .limit(1)
    )[0];
  const found = await read();
  if (found !== undefined) return JSON.parse(found.value) as string;
  // Two first exports at once: the second insert does nothing and both read the one that won.
  await db
    .insert(instanceSettings)
    .values({
      name: SECRET_SETTING,
      value: JSON.stringify(randomBytes(32).toString("hex")),
      updatedAt: new Date(),
    })
    .onConflictDoNothing();
  const stored = await read();
  if (stored === undefined) throw new Error("The dataset attribution secret was not stored");
  return JSON.parse(stored.value) as string;
}

/** The anonymous id of an account: stable for the instance's secret, not linkable without it. */
export function anonymousId(secret: string, accountId: string): string {
  const mac = createHmac("sha256", secret).update(`dataset-attribution\n${accountId}`);
  return `anon-${mac.digest("hex").slice(0, 20)}`;
}

/** What the export's `attribution` field says for an author. */
export function attributionOf(
  choice: DatasetAttribution,
  author: { accountId: string; username: string },
  secret: string,
  domain: string,
): string {
  return choice === "handle"
    ? `@${author.username}@${domain}`
    : anonymousId(secret, author.accountId);
}
