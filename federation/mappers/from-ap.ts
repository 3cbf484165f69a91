// ActivityStreams (Fedify vocabulary, plus the raw JSON for terms Fedify lacks) → domain inputs: remote
// actors as RemoteAccountInput, Notes/Articles/Pages/Questions as RemoteStatusInput. No I/O beyond what
// the vocabulary objects already hold (embedded values are read without fetching).
import {
  type Actor,
  type Object as APObject,
  Application,
  Article,
  Document,
  Emoji,
  Group,
  Hashtag,
  Image,
  Link,
  Mention,
  Note,
  Organization,
  Page,
  PropertyValue,
  PUBLIC_COLLECTION,
  Question,
  Service,
  Video,
} from "@fedify/vocab";
import { isBlurhashValid } from "blurhash";
import type { ActorType, MediaType, ProfileField, StatusPoll } from "../../src/db/schema/index.ts";
import { MAX_EMOJIS_PER_OBJECT } from "../../src/domain/custom-emojis.ts";
import { escapeHtml } from "../../src/domain/html-sanitizer.ts";
import type { RemoteAccountInput } from "../../src/domain/remote-accounts.ts";
import type { RemoteEmojiInput } from "../../src/domain/remote-emojis.ts";
import type { RemoteAttachmentInput, RemoteStatusInput } from "../../src/domain/remote-statuses.ts";
import { provenanceFromJsonLd, remixOfFromJsonLd } from "../../src/generation/provenance-vocab.ts";
import { quotePolicyFromAp } from "./quote-policy.ts";

type Json = Record<string, unknown>;

const PUBLIC_IRIS = new Set([PUBLIC_COLLECTION.href, "as:Public", "Public"]);

function actorType(actor: Actor): ActorType {
  if (actor instanceof Application) return "Application";
  if (actor instanceof Group) return "Group";
  if (actor instanceof Organization) return "Organization";
  if (actor instanceof Service) return "Service";
  return "Person";
}

// Longer than any URL a real server sends (browsers cap around 2 KB for links people share).
const MAX_URL_LENGTH = 4096;

/** An http(s) URL a remote server sent, as text; null for other schemes and absurd lengths. */
export const httpUrl = (u: URL | string | null | undefined): string | null => {
  if (u == null || u.toString().length > MAX_URL_LENGTH) return null;
  try {
    const url = new URL(u.toString());
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
};

const linkHref = (u: unknown): string | null => {
  if (u instanceof URL) return httpUrl(u);
  if (u instanceof Link) return httpUrl(u.href);
  return null;
};

/**
 * Text a remote server sent, as it can be stored: without NUL characters, which PostgreSQL refuses in
 * text (SQLite keeps them, so one post would be stored on one store and fail its handler on the other),
 * and with lone UTF-16 surrogates replaced by U+FFFD, as either driver would write them.
 */
export const remoteText = (v: unknown): string =>
  v == null ? "" : String(v).replaceAll("\u0000", "").toWellFormed();
const text = remoteText;

/** A remote actor as stored; the caller has already checked the actor's id and origin. */
export async function actorToAccountInput(actor: Actor): Promise<RemoteAccountInput> {
  const id = actor.id!;
  const fields: ProfileField[] = [];
  const emojis: RemoteEmojiInput[] = [];
  for await (const a of actor.getAttachments({ suppressError: true } as never)) {
    if (a instanceof PropertyValue && fields.length < 16) {
      fields.push({ name: text(a.name), value: text(a.value) });
    }
  }
  for (const tag of await collect(actor.getTags({ suppressError: true } as never), 100)) {
    const emoji = tag instanceof Emoji ? await emojiOf(tag) : null;
    if (emoji !== null && emojis.length < MAX_EMOJIS_PER_OBJECT) emojis.push(emoji);
  }
  const icon = await actor.getIcon({ suppressError: true } as never).catch(() => null);
  const image = await actor.getImage({ suppressError: true } as never).catch(() => null);
  return {
    iri: id.href,
    username:
      text(actor.preferredUsername) || id.pathname.split("/").filter(Boolean).pop() || "unknown",
    domain: id.host,
    url: linkHref(actor.url),
    type: actorType(actor),
    displayName: text(actor.name),
    note: text(actor.summary),
    avatarUrl: linkHref(icon?.url),
    headerUrl: linkHref(image?.url),
    inboxUrl: httpUrl(actor.inboxId),
    sharedInboxUrl: httpUrl(actor.endpoints?.sharedInbox),
    outboxUrl: httpUrl(actor.outboxId),
    followersUrl: httpUrl(actor.followersId),
    followingUrl: httpUrl(actor.followingId),
    featuredUrl: httpUrl(actor.featuredId),
    featuredTagsUrl: httpUrl(actor.featuredTagsId),
    locked: actor.manuallyApprovesFollowers ?? false,
    discoverable: actor.discoverable ?? false,
    indexable: actor.indexable ?? false,
    fields,
    emojis,
    alsoKnownAs: actor.aliasIds.map((u) => u.href),
    movedToIri: actor.successorId?.href ?? null,
  };
}

/**
 * A custom emoji tag: `name` ":code:" (the colons are optional on some servers), `icon` an Image with
 * an http(s) url, `updated` when its server says. The shortcode is checked where it is stored.
 */
async function emojiOf(tag: Emoji): Promise<RemoteEmojiInput | null> {
  if (!tag.name) return null;
  const shortcode = text(tag.name).trim().replace(/^:|:$/g, "");
  if (shortcode.length > 100) return null;
  const icon = await tag.getIcon({ suppressError: true } as never).catch(() => null);
  const url = linkHref(icon?.url);
  if (url === null) return null;
  return {
    shortcode,
    url,
    iri: httpUrl(tag.id),
    updated: tag.updated ? new Date(tag.updated.epochMilliseconds) : null,
  };
}

async function collect<T>(iterable: AsyncIterable<T>, max: number): Promise<T[]> {
  const out: T[] = [];
  try {
    for await (const item of iterable) {
      out.push(item);
      if (out.length >= max) break;
    }
  } catch {
    // A tag that fails to parse or fetch is skipped, not fatal.
  }
  return out;
}

function mediaTypeOf(doc: APObject, mediaType: string | null): MediaType {
  if (doc instanceof Video) return "video";
  const t = mediaType ?? "";
  if (t.startsWith("image/gif")) return "gifv";
  if (t.startsWith("image/") || doc instanceof Image) return "image";
  if (t.startsWith("video/")) return "video";
  if (t.startsWith("audio/")) return "audio";
  return doc instanceof Document && t === "" ? "image" : "unknown";
}

/** A Mastodon blurhash that Mastodon itself would keep: base83, at most 5×5 components. */
export function validBlurhash(value: unknown): string | null {
  if (typeof value !== "string" || value.length < 6 || value.length > 100) return null;
  if (!/^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]+$/.test(value)) return null;
  if (!isBlurhashValid(value).result) return null;
  const digits =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
  const size = digits.indexOf(value[0]!);
  const x = (size % 9) + 1;
  const y = Math.floor(size / 9) + 1;
  return x <= 5 && y <= 5 ? value : null;
}

function rawField(raw: Json | undefined, name: string): unknown {
  if (raw === undefined) return undefined;
  const compact = raw[name] ?? raw[`toot:${name}`];
  if (compact !== undefined) return compact;
  // Expanded JSON-LD: [{"@value": …}] for a literal, [{"@list": […]}] for a list.
  const expanded = raw[`http://joinmastodon.org/ns#${name}`];
  const first = Array.isArray(expanded) ? expanded[0] : expanded;
  if (first !== null && typeof first === "object" && "@value" in first)
    return (first as Json)["@value"];
  return first;
}

/** The sent focal point, clamped to −1…1; null when none (or an unusable one) was sent. */
function focalPoint(raw: Json | undefined): [number, number] | null {
  let v = rawField(raw, "focalPoint");
  if (v !== null && typeof v === "object" && !Array.isArray(v) && "@list" in v)
    v = (v as Json)["@list"];
  if (!Array.isArray(v) || v.length !== 2) return null;
  const [x, y] = v.map((n) => (typeof n === "object" && n !== null ? (n as Json)["@value"] : n));
  if (
    typeof x !== "number" ||
    typeof y !== "number" ||
    !Number.isFinite(x) ||
    !Number.isFinite(y)
  ) {
    return null;
  }
  return [Math.max(-1, Math.min(1, x)), Math.max(-1, Math.min(1, y))];
}

const dimension = (n: number | null | undefined) =>
  typeof n === "number" && Number.isInteger(n) && n > 0 && n <= 100_000 ? n : null;

function asArray(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** The first usable http(s) URL of an attachment's `url` (a string, a Link, or an array of them). */
function attachmentUrl(doc: APObject): {
  url: string;
  mediaType: string | null;
  width?: number | null;
  height?: number | null;
} | null {
  for (const u of doc.urls) {
    if (u instanceof URL) {
      const url = httpUrl(u);
      if (url) return { url, mediaType: doc.mediaType ?? null };
    } else if (u instanceof Link) {
      // PeerTube and Akkoma put the file's type and size on the Link.
      const url = httpUrl(u.href);
      if (url) {
        return {
          url,
          mediaType: u.mediaType ?? doc.mediaType ?? null,
          width: u.width,
          height: u.height,
        };
      }
    }
  }
  return null;
}

// Vote counts are capped so that twenty of them still add up to a safe integer in the API's votes_count.
const POLL_LIMITS = { options: 20, title: 200, votes: 1_000_000_000 };
const voteCount = (v: unknown): number | null => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, POLL_LIMITS.votes) : null;
};

/**
 * A Question's poll, from its JSON as received (compacted, as Mastodon, Misskey and Akkoma send it):
 * `oneOf` or `anyOf` Notes whose `name` is the option and `replies.totalItems` its votes. Bounded.
 */
export function pollOf(raw: Json | undefined): StatusPoll | null {
  if (raw === undefined) return null;
  const multiple = raw.anyOf !== undefined && raw.oneOf === undefined;
  const options = asArray(multiple ? raw.anyOf : raw.oneOf)
    .slice(0, POLL_LIMITS.options)
    .flatMap((o) => {
      if (o === null || typeof o !== "object") return [];
      const option = o as Json;
      const title =
        typeof option.name === "string" ? remoteText(option.name).slice(0, POLL_LIMITS.title) : "";
      const replies = option.replies as Json | undefined;
      return title.trim() === ""
        ? []
        : [{ title, votesCount: voteCount(replies?.totalItems ?? 0) ?? 0 }];
    });
  if (options.length === 0) return null;
  const end = [raw.endTime, raw.closed].find((v) => typeof v === "string") as string | undefined;
  return {
    options,
    multiple,
    expiresAt:
      end !== undefined && !Number.isNaN(Date.parse(end)) ? new Date(end).toISOString() : null,
    votersCount: raw.votersCount == null ? null : voteCount(raw.votersCount),
  };
}

/**
 * A Question's poll from its raw JSON, with Fedify's reading of `votersCount` when the raw document has
 * it under another name (a context that defines the term differently).
 */
function questionPoll(question: Question, raw: Json | undefined): StatusPoll | null {
  const poll = pollOf(raw);
  if (poll === null || poll.votersCount !== null) return poll;
  return { ...poll, votersCount: question.voters === null ? null : voteCount(question.voters) };
}

/**
 * A post object as a status input. `raw` is the object's JSON as received (for blurhash, focalPoint and
 * the AI provenance terms, which Fedify does not model); `followersUrl` is the author's followers collection (for visibility).
 */
/** The object types stored as statuses (Mastodon's, plus Pixelfed's and PeerTube's). */
export const isPost = (o: unknown): o is Note | Article | Page | Question | Video =>
  o instanceof Note ||
  o instanceof Article ||
  o instanceof Page ||
  o instanceof Question ||
  o instanceof Video;

export async function noteToStatusInput(
  note: APObject,
  raw: Json | undefined,
  followersUrl: string | null,
): Promise<RemoteStatusInput> {
  const rawAttachments = asArray(
    raw?.attachment ?? raw?.["https://www.w3.org/ns/activitystreams#attachment"],
  ) as Json[];
  const attachments: RemoteAttachmentInput[] = [];
  let index = 0;
  for (const doc of await collect(note.getAttachments({ suppressError: true } as never), 32)) {
    const rawDoc = rawAttachments[index++];
    if (!(doc instanceof Document || doc instanceof Image || doc instanceof Video)) continue;
    const found = attachmentUrl(doc);
    if (found === null) continue;
    const mediaType =
      found.mediaType && /^[a-z]+\/[a-z0-9.+-]+$/i.test(found.mediaType) ? found.mediaType : null;
    const focus = focalPoint(rawDoc);
    attachments.push({
      type: mediaTypeOf(doc, mediaType),
      remoteUrl: found.url,
      mediaType,
      description:
        doc.name == null ? (doc.summary == null ? null : text(doc.summary)) : text(doc.name),
      width: dimension(doc.width) ?? dimension(found.width),
      height: dimension(doc.height) ?? dimension(found.height),
      blurhash: validBlurhash(rawField(rawDoc, "blurhash")),
      focus: focus === null ? null : { x: focus[0], y: focus[1] },
      // Atelier's AI provenance terms (bounded and cleaned there), so remote AI posts can be remixed.
      provenance:
        rawDoc !== null && typeof rawDoc === "object"
          ? (provenanceFromJsonLd(rawDoc) ?? null)
          : null,
    });
  }
  const mentionIris: string[] = [];
  const tags: string[] = [];
  const emojis: RemoteEmojiInput[] = [];
  for (const tag of await collect(note.getTags({ suppressError: true } as never), 200)) {
    if (tag instanceof Mention && tag.href) mentionIris.push(tag.href.href);
    else if (tag instanceof Hashtag && tag.name) tags.push(text(tag.name).replace(/^#/, ""));
    else if (tag instanceof Emoji && emojis.length < MAX_EMOJIS_PER_OBJECT) {
      const emoji = await emojiOf(tag);
      if (emoji !== null) emojis.push(emoji);
    }
  }
  // Compacted JSON-LD may say "Public" or "as:Public", which Fedify does not always expand: read the
  // raw addressing too.
  const rawIris = (v: unknown) => asArray(v).filter((x): x is string => typeof x === "string");
  const to = [...note.toIds.map((u) => u.href), ...rawIris(raw?.to)];
  const cc = [...note.ccIds.map((u) => u.href), ...rawIris(raw?.cc)];
  const isPublic = (list: string[]) => list.some((iri) => PUBLIC_IRIS.has(iri));
  const visibility = isPublic(to)
    ? "public"
    : isPublic(cc)
      ? "unlisted"
      : followersUrl !== null && [...to, ...cc].includes(followersUrl)
        ? "private"
        : "direct";
  // Direct messages address their recipients; those are mentions even without a Mention tag.
  if (visibility === "direct") {
    mentionIris.push(...[...to, ...cc].filter((iri) => /^https?:\/\//.test(iri)));
  }
  const content = note.content ?? note.contents[0] ?? "";
  const language =
    (note.content instanceof Object && "locale" in note.content
      ? (note.content as { locale: Intl.Locale }).locale.language
      : null) ??
    note.contents
      .map((c) => (typeof c === "object" && "locale" in c ? c.locale.language : null))
      .find((l) => l != null) ??
    null;
  const isArticle = note.constructor.name === "Article";
  // Articles, pages and videos have a title that Mastodon shows above the text; so do we.
  const title = note instanceof Note || note.name == null ? "" : text(note.name).trim();
  const body =
    title === "" ? text(content) : `<p><strong>${escapeHtml(title)}</strong></p>${text(content)}`;
  return {
    iri: note.id!.href,
    url: linkHref(note.url) ?? note.id!.href,
    objectType: note.constructor.name,
    visibility,
    content: body,
    // An Article's summary is an excerpt, not a content warning (Mastodon shows name + link instead).
    spoilerText: isArticle ? "" : text(note.summary),
    sensitive: note.sensitive ?? false,
    language: language && /^[a-z]{2,3}$/i.test(language) ? language.toLowerCase() : null,
    inReplyToIri: note.replyTargetId?.href ?? null,
    quoteOfIri: note instanceof Note ? (note.quoteId?.href ?? note.quoteUrl?.href ?? null) : null,
    // Atelier's remix lineage (validated there; the domain links it only to a status stored here).
    remixOfIri: raw === undefined ? null : (remixOfFromJsonLd(raw) ?? null),
    published: note.published ? new Date(note.published.epochMilliseconds) : null,
    updated: note.updated ? new Date(note.updated.epochMilliseconds) : null,
    attachments,
    poll: note instanceof Question ? questionPoll(note, raw) : null,
    mentionIris: [...new Set(mentionIris)],
    tags,
    emojis,
    quotePolicy: quotePolicyFromAp(note.interactionPolicy, followersUrl),
  };
}
