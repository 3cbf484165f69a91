// The one fixture system for tests: rows inserted directly (local users go through the real
// createLocalUser and get a token), for when a test is about reading them, not about how they are
// written — remote accounts, statuses with tags, mentions and image attachments, boosts, follows,
// notifications — plus `call`, a small in-process API client, and `webpImage`, a real image.
// Every factory takes the test instance, or a database where a test has no app.
import { eq } from "drizzle-orm";
import sharp from "sharp";
import type { Database } from "../../src/db/client.ts";
import { newId } from "../../src/db/ids.ts";
import { returned } from "../../src/db/returned.ts";
import {
  type Account,
  accounts,
  follows,
  type MediaAttachment,
  type MediaProvenance,
  mediaAttachments,
  type NewStatus,
  type Notification,
  notifications,
  type Status,
  statuses,
  statusMentions,
  statusTags,
  tags,
} from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { type LocalUrls, localUrls } from "../../src/domain/local-urls.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import type { TestInstance } from "./instance.ts";

/**
 * What factories write into: a test instance, a database with the URLs it mints ids under, or a bare
 * database (local ids then live under https://atelier.test).
 */
export type Target = Pick<TestInstance, "deps"> | { db: Database; urls: LocalUrls } | Database;

const defaultUrls = localUrls("https://atelier.test");

function storeOf(target: Target): { db: Database; urls: LocalUrls } {
  if ("deps" in target) return target.deps;
  if ("$client" in target) return { db: target, urls: defaultUrls };
  return target;
}

/** An account row, or its id. */
type AccountRef = Account | string;
const idOf = (account: AccountRef) => (typeof account === "string" ? account : account.id);

export const PASSWORD = "correct horse battery staple";

export interface LocalUserOptions {
  /** The token's scopes, space-separated (default "read write follow"). */
  scopes?: string;
  admin?: boolean;
  displayName?: string;
}

/** A local user with the password PASSWORD and an access token. A string is taken as the scopes. */
export async function localUser(
  target: Target,
  username: string,
  options: string | LocalUserOptions = {},
) {
  const {
    scopes = "read write follow",
    admin = false,
    displayName = "",
  } = typeof options === "string" ? { scopes: options } : options;
  const { db, urls } = storeOf(target);
  const created = await createLocalUser(db, urls, {
    username,
    password: PASSWORD,
    admin,
    displayName,
  });
  const token = (
    await issueAccessToken(db, {
      applicationId: null,
      accountId: created.account.id,
      scopes: scopes.split(" "),
    })
  ).accessToken;
  return { ...created, token };
}

/** A remote account as an actor fetch would store it, with a bio, a profile field and an emoji. */
export async function remoteAccount(
  target: Target,
  username: string,
  domain = "remote.example",
  extra: Partial<Account> = {},
): Promise<Account> {
  const iri = `https://${domain}/users/${username}`;
  return returned(
    await storeOf(target)
      .db.insert(accounts)
      .values({
        id: newId(),
        username,
        domain,
        iri,
        url: `https://${domain}/@${username}`,
        displayName: `${username} (remote)`,
        note: "<p>A remote bio</p>",
        avatarUrl: `https://${domain}/avatars/${username}.png`,
        inboxUrl: `${iri}/inbox`,
        fields: [{ name: "Site", value: '<a href="https://remote.example">remote</a>' }],
        ...extra,
      })
      .returning(),
  );
}

export const AI_SOURCE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

export type StatusOptions = Partial<NewStatus> & {
  tags?: string[];
  mentions?: Account[];
  /** How many AI image attachments to add (default none). */
  images?: number;
  /** The images' generation prompt. */
  prompt?: string;
  /** Storage keys of the images (served by the test's /media route); default: remote URLs. */
  mediaKey?: (i: number) => string;
  /** Storage keys of the images' originals (what an archive or a dataset export copies). */
  originalKey?: (i: number) => string;
  blurhash?: string;
  description?: string | null;
};

let counter = 0;

/**
 * A status by `author` (local unless the author is remote or `local: false` is given), with its tags,
 * mentions and images. An author given by id is read from the database.
 */
export async function status(
  target: Target,
  author: AccountRef,
  options: StatusOptions = {},
): Promise<Status> {
  const { db, urls } = storeOf(target);
  const {
    tags: tagNames = [],
    mentions = [],
    images = 0,
    prompt = "a lighthouse at dusk, watercolor",
    mediaKey,
    originalKey,
    blurhash,
    description,
    ...columns
  } = options;
  const account =
    typeof author === "string"
      ? (await db.select().from(accounts).where(eq(accounts.id, author)).limit(1))[0]
      : author;
  if (account === undefined) throw new Error(`no account ${String(author)}`);
  // A given id (a backdated status) is the one its tags, mentions and images point at.
  const id = columns.id ?? newId();
  const local = columns.local ?? account.domain === null;
  const iri =
    local || account.domain === null
      ? urls.status(id)
      : `https://${account.domain}/statuses/${id}-${counter++}`;
  const row = returned(
    await db
      .insert(statuses)
      .values({
        id,
        iri,
        url: local ? urls.statusPage(account.username, id) : iri,
        accountId: account.id,
        local,
        content: `<p>Status ${counter++}</p>`,
        language: "en",
        ...columns,
      })
      .returning(),
  );
  for (const name of tagNames) {
    await db
      .insert(tags)
      .values({ name: name.toLowerCase(), displayName: name })
      .onConflictDoNothing();
    await db.insert(statusTags).values({ statusId: id, tagName: name.toLowerCase() });
  }
  for (const m of mentions)
    await db.insert(statusMentions).values({ statusId: id, accountId: m.id });
  const provenance: MediaProvenance = {
    digitalSourceType: AI_SOURCE,
    provider: "local",
    model: "atelier-local-1",
    prompt,
  };
  for (let i = 0; i < images; i++) {
    const key = mediaKey?.(i);
    await db.insert(mediaAttachments).values({
      id: newId(),
      accountId: account.id,
      statusId: id,
      position: i,
      type: "image",
      mediaType: "image/webp",
      ...(key
        ? { displayKey: key, thumbnailKey: key }
        : { remoteUrl: `https://media.example/${id}-${i}.webp` }),
      ...(originalKey ? { originalKey: originalKey(i) } : {}),
      width: 640,
      height: 480,
      description: description === undefined ? `Test image ${i + 1}` : description,
      blurhash: blurhash ?? "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
      provenance,
    });
  }
  return row;
}

export async function boost(
  target: Target,
  booster: AccountRef,
  original: Status,
): Promise<Status> {
  return await status(target, booster, { reblogOfId: original.id, content: "" });
}

/** One attachment with a focal point, local storage keys for a local owner, a remote URL otherwise. */
export async function media(
  target: Target,
  owner: Account,
  statusId: string,
  extra: Partial<MediaAttachment> = {},
): Promise<MediaAttachment> {
  const local = owner.domain === null;
  return returned(
    await storeOf(target)
      .db.insert(mediaAttachments)
      .values({
        id: newId(),
        accountId: owner.id,
        statusId,
        mediaType: "image/webp",
        ...(local
          ? {
              originalKey: "ab/abcdef.png",
              displayKey: "ab/abcdef.webp",
              thumbnailKey: "ab/abcdef-small.webp",
            }
          : { remoteUrl: `https://${owner.domain}/media/1.png` }),
        width: 1024,
        height: 768,
        thumbnailWidth: 640,
        thumbnailHeight: 480,
        description: "A lighthouse at dusk",
        blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
        focusX: 0.25,
        focusY: -0.5,
        hasFocus: true,
        ...extra,
      })
      .returning(),
  );
}

export async function follow(
  target: Target,
  follower: AccountRef,
  followed: AccountRef,
  state: "accepted" | "pending" = "accepted",
): Promise<void> {
  await storeOf(target)
    .db.insert(follows)
    .values({
      id: newId(),
      accountId: idOf(follower),
      targetAccountId: idOf(followed),
      state,
      showReblogs: true,
    });
}

export async function notify(
  target: Target,
  recipient: AccountRef,
  from: AccountRef,
  type: Notification["type"],
  statusId: string | null = null,
): Promise<Notification> {
  return returned(
    await storeOf(target)
      .db.insert(notifications)
      .values({
        id: newId(),
        accountId: idOf(recipient),
        fromAccountId: idOf(from),
        type,
        statusId,
      })
      .returning(),
  );
}

/** A real WebP image of one colour, made by sharp. */
export function webpImage(color: { r: number; g: number; b: number }, width = 640, height = 480) {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .webp()
    .toBuffer();
}

/** Calls the app in-process with a bearer token and a JSON body; returns status, headers and JSON. */
export async function call(
  instance: Pick<TestInstance, "app">,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; form?: Record<string, string> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers and check them with zod.
): Promise<{ status: number; headers: Headers; json: any }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  } else if (options.form !== undefined) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  }
  const res = await instance.app.request(path, { method, headers, ...(body ? { body } : {}) });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, json };
}

/** `make(item, i)` for each item, one after another (ids are time-ordered: creation order is kept). */
export async function inOrder<T, R>(
  items: readonly T[],
  make: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const made: R[] = [];
  for (const [i, item] of items.entries()) made.push(await make(item, i));
  return made;
}

/** `n` rows made one after another by `make(i)`. */
export function times<R>(n: number, make: (i: number) => Promise<R>): Promise<R[]> {
  return inOrder(
    Array.from({ length: n }, (_, i) => i),
    (i) => make(i),
  );
}
