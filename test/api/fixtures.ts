// Rows for API tests, inserted directly (the publishing and federation services live elsewhere): local
// users with tokens, remote accounts and statuses, media, follows, notifications. Plus a small client.
import { newId } from "../../src/db/ids.ts";
import {
  type Account,
  accounts,
  follows,
  type MediaAttachment,
  mediaAttachments,
  type NewStatus,
  notifications,
  type Status,
  statuses,
  statusMentions,
  statusTags,
  tags,
} from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import type { TestInstance } from "../helpers/instance.ts";

export const PASSWORD = "correct horse battery";

export async function localUser(
  instance: TestInstance,
  username: string,
  scopes = "read write follow",
): Promise<{ account: Account; token: string }> {
  const { account } = await createLocalUser(instance.deps.db, instance.deps.urls, {
    username,
    password: PASSWORD,
  });
  const token = issueAccessToken(instance.deps.db, {
    applicationId: null,
    accountId: account.id,
    scopes: scopes.split(" "),
  }).accessToken;
  return { account, token };
}

export function remoteAccount(
  instance: TestInstance,
  username: string,
  domain = "remote.example",
  extra: Partial<Account> = {},
): Account {
  return instance.deps.db
    .insert(accounts)
    .values({
      id: newId(),
      username,
      domain,
      iri: `https://${domain}/users/${username}`,
      url: `https://${domain}/@${username}`,
      displayName: `${username} (remote)`,
      note: "<p>A remote bio</p>",
      avatarUrl: `https://${domain}/avatars/${username}.png`,
      inboxUrl: `https://${domain}/users/${username}/inbox`,
      fields: [{ name: "Site", value: '<a href="https://remote.example">remote</a>' }],
      emojis: [{ shortcode: "blob", url: `https://${domain}/emoji/blob.png` }],
      ...extra,
    })
    .returning()
    .get();
}

let counter = 0;

export function status(
  instance: TestInstance,
  author: Account,
  extra: Partial<NewStatus> & { tags?: string[]; mentions?: Account[] } = {},
): Status {
  const { tags: tagNames = [], mentions = [], ...rest } = extra;
  const id = newId();
  const local = author.domain === null;
  const iri = local
    ? instance.deps.urls.status(id)
    : `https://${author.domain}/statuses/${id}-${counter++}`;
  const row = instance.deps.db
    .insert(statuses)
    .values({
      id,
      iri,
      url: local ? instance.deps.urls.statusPage(author.username, id) : iri,
      accountId: author.id,
      local,
      content: `<p>Status ${counter++}</p>`,
      language: "en",
      ...rest,
    })
    .returning()
    .get();
  for (const name of tagNames) {
    instance.deps.db
      .insert(tags)
      .values({ name: name.toLowerCase(), displayName: name })
      .onConflictDoNothing()
      .run();
    instance.deps.db.insert(statusTags).values({ statusId: id, tagName: name.toLowerCase() }).run();
  }
  for (const m of mentions) {
    instance.deps.db.insert(statusMentions).values({ statusId: id, accountId: m.id }).run();
  }
  return row;
}

export function boost(instance: TestInstance, booster: Account, original: Status): Status {
  return status(instance, booster, { reblogOfId: original.id, content: "" });
}

export function media(
  instance: TestInstance,
  owner: Account,
  statusId: string,
  extra: Partial<MediaAttachment> = {},
): MediaAttachment {
  const local = owner.domain === null;
  return instance.deps.db
    .insert(mediaAttachments)
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
    .returning()
    .get();
}

export function follow(
  instance: TestInstance,
  follower: Account,
  target: Account,
  state: "accepted" | "pending" = "accepted",
): void {
  instance.deps.db
    .insert(follows)
    .values({
      id: newId(),
      accountId: follower.id,
      targetAccountId: target.id,
      state,
      showReblogs: true,
    })
    .run();
}

export function notify(
  instance: TestInstance,
  recipient: Account,
  from: Account,
  type:
    | "mention"
    | "favourite"
    | "reblog"
    | "follow"
    | "follow_request"
    | "status"
    | "emoji_reaction",
  statusId: string | null = null,
) {
  return instance.deps.db
    .insert(notifications)
    .values({ id: newId(), accountId: recipient.id, fromAccountId: from.id, type, statusId })
    .returning()
    .get();
}

/** Calls the app in-process with a bearer token and a JSON body; returns status, headers and JSON. */
export async function call(
  instance: TestInstance,
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
