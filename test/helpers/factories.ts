// Rows for tests, inserted directly: local users (through the real createLocalUser), remote accounts,
// statuses with image attachments, follows and notifications.
import sharp from "sharp";
import type { Database } from "../../src/db/client.ts";
import { newId } from "../../src/db/ids.ts";
import {
  accounts,
  follows,
  type MediaProvenance,
  mediaAttachments,
  notifications,
  statuses,
  type Visibility,
} from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import type { LocalUrls } from "../../src/domain/local-urls.ts";

export const TEST_PASSWORD = "correct horse battery staple";

export async function makeUser(
  db: Database,
  urls: LocalUrls,
  username: string,
  options: { admin?: boolean; displayName?: string } = {},
) {
  return createLocalUser(db, urls, {
    username,
    password: TEST_PASSWORD,
    admin: options.admin ?? false,
    displayName: options.displayName ?? "",
  });
}

export function makeRemoteAccount(db: Database, username: string, domain: string) {
  const iri = `https://${domain}/users/${username}`;
  return db
    .insert(accounts)
    .values({
      id: newId(),
      username,
      domain,
      iri,
      url: `https://${domain}/@${username}`,
      displayName: `${username} (remote)`,
      inboxUrl: `${iri}/inbox`,
    })
    .returning()
    .get();
}

export const AI_SOURCE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

export interface StatusOptions {
  visibility?: Visibility;
  content?: string;
  images?: number;
  prompt?: string;
  inReplyToId?: string;
  reblogOfId?: string;
  local?: boolean;
  /** Storage keys (served by the test's /media route); default: remote URLs. */
  mediaKey?: (i: number) => string;
  blurhash?: string;
  description?: string | null;
}

export function makeStatus(
  db: Database,
  urls: LocalUrls,
  accountId: string,
  options: StatusOptions = {},
) {
  const id = newId();
  const status = db
    .insert(statuses)
    .values({
      id,
      iri: urls.status(id),
      accountId,
      local: options.local ?? true,
      visibility: options.visibility ?? "public",
      content: options.content ?? "<p>A test post</p>",
      inReplyToId: options.inReplyToId ?? null,
      reblogOfId: options.reblogOfId ?? null,
    })
    .returning()
    .get();
  const provenance: MediaProvenance = {
    digitalSourceType: AI_SOURCE,
    provider: "local",
    model: "atelier-local-1",
    prompt: options.prompt ?? "a lighthouse at dusk, watercolor",
  };
  for (let i = 0; i < (options.images ?? 0); i++) {
    const key = options.mediaKey?.(i);
    db.insert(mediaAttachments)
      .values({
        id: newId(),
        accountId,
        statusId: id,
        position: i,
        type: "image",
        mediaType: "image/webp",
        ...(key
          ? { displayKey: key, thumbnailKey: key }
          : { remoteUrl: `https://media.example/${id}-${i}.webp` }),
        width: 640,
        height: 480,
        description:
          options.description === undefined ? `Test image ${i + 1}` : options.description,
        blurhash: options.blurhash ?? "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
        provenance,
      })
      .run();
  }
  return status;
}

export function makeFollow(
  db: Database,
  followerId: string,
  targetId: string,
  state: "pending" | "accepted" = "accepted",
) {
  db.insert(follows)
    .values({ id: newId(), accountId: followerId, targetAccountId: targetId, state })
    .run();
}

export function makeNotification(
  db: Database,
  accountId: string,
  fromAccountId: string,
  type: "follow" | "favourite" | "mention",
  statusId?: string,
) {
  db.insert(notifications)
    .values({ id: newId(), accountId, fromAccountId, type, statusId: statusId ?? null })
    .run();
}

/** A real WebP image of one colour, made by sharp. */
export function makeImage(color: { r: number; g: number; b: number }, width = 640, height = 480) {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .webp()
    .toBuffer();
}
