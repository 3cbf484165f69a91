// Rows → ActivityStreams objects (Fedify vocabulary): local accounts as Person actors, local statuses as
// Notes with their image attachments, hashtags, mentions and addressing. Pure: the rows come in loaded.
import type { ActorKeyPair } from "@fedify/fedify";
import {
  Announce,
  Application,
  Collection,
  type Create,
  Emoji,
  Endpoints,
  Hashtag,
  Image,
  InteractionPolicy,
  LanguageString,
  Mention,
  Note,
  Person,
  PropertyValue,
  PUBLIC_COLLECTION,
  type Question,
  Tombstone,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { AccountMedia } from "../../src/db/queries/accounts.ts";
import type {
  Account,
  CustomEmoji,
  MediaAttachment,
  Status,
  StatusPoll,
  Visibility,
} from "../../src/db/schema/index.ts";
import type { LocalUrls } from "../../src/domain/local-urls.ts";
import { effectiveQuotePolicy, quoteStateOf } from "../../src/domain/quotes.ts";
import { CONTENT_TYPES, type MediaExtension } from "../../src/media/store.ts";
import {
  ExtendedCreate,
  ExtendedNote,
  ExtendedPerson,
  ExtendedQuestion,
  MediaDocument,
} from "./extensions.ts";
import { quotePolicyToAp } from "./quote-policy.ts";

export const INSTANCE_ACTOR = "instance";

const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime());

/**
 * A local account as the Person (or, for the instance actor, Application) other servers fetch.
 * `aiDatasetConsent` is the owner's choice about this server's datasets (domain/data-mining.ts);
 * `movedToIri` is the actor the account moved to (sent as `movedTo`), if it did.
 */
export function accountToActor(
  account: Account,
  urls: LocalUrls,
  keys: ActorKeyPair[],
  profile: AccountMedia,
  aiDatasetConsent: boolean,
  movedToIri: string | null = null,
): Person | Application {
  const username = account.username;
  const common = {
    id: new URL(urls.actor(username)),
    preferredUsername: username,
    name: account.displayName || username,
    url: new URL(urls.profile(username)),
    published: instant(account.createdAt),
    inbox: new URL(urls.inbox(username)),
    endpoints: new Endpoints({ sharedInbox: new URL(urls.sharedInbox()) }),
    outbox: new URL(urls.outbox(username)),
    followers: new URL(urls.followers(username)),
    following: new URL(urls.following(username)),
    publicKey: keys[0]?.cryptographicKey ?? null,
    assertionMethods: keys.map((k) => k.multikey),
  };
  if (username === INSTANCE_ACTOR) {
    // Signs fetches made on the server's behalf; it is no one's profile.
    return new Application({ ...common, manuallyApprovesFollowers: true, discoverable: false });
  }
  if (account.suspendedAt !== null) {
    // As Mastodon: a suspended actor stays resolvable (its keys still verify what it signed before)
    // but says `suspended` and shows nothing of its profile until the suspension is lifted.
    return new Person({
      ...common,
      name: "",
      summary: "",
      discoverable: false,
      indexable: false,
      suspended: true,
    });
  }
  return ExtendedPerson.withExtras(
    {
      ...common,
      summary: account.note,
      icon: profileImage(account.avatarMediaId, profile.files, urls),
      image: profileImage(account.headerMediaId, profile.files, urls),
      featured: new URL(urls.featured(username)),
      featuredTags: new URL(urls.featuredTags(username)),
      manuallyApprovesFollowers: account.locked,
      discoverable: account.discoverable,
      indexable: account.indexable,
      attachments: account.fields.map((f) => new PropertyValue({ name: f.name, value: f.value })),
      aliases: account.alsoKnownAs.map((iri) => new URL(iri)),
      successor: movedToIri === null ? null : new URL(movedToIri),
      tags: emojiTags(profile.emojis.get(account.id) ?? [], urls),
    },
    { aiDatasetConsent },
  );
}

/**
 * Our custom emojis as the `Emoji` tags Mastodon sends: name ":code:", the image (animated where it
 * is) as icon, and when it last changed. Only local emojis with a stored image go out: another
 * server's emoji is that server's to describe.
 */
export function emojiTags(emojis: readonly CustomEmoji[], urls: LocalUrls): Emoji[] {
  return emojis.flatMap((e) => {
    if (e.domain !== null || e.imageKey === null) return [];
    const extension = e.imageKey.split(".").pop() as MediaExtension;
    return [
      new Emoji({
        id: new URL(urls.emoji(e.id)),
        name: `:${e.shortcode}:`,
        icon: new Image({
          url: new URL(urls.media(e.imageKey)),
          mediaType: CONTENT_TYPES[extension] ?? null,
        }),
        updated: instant(e.updatedAt ?? e.createdAt),
      }),
    ];
  });
}

/**
 * Another server's emoji as an `Emoji` tag of ours (a local reaction with it): its own server's image
 * and id, so the receiver shows the emoji its server serves and never takes it for one of ours.
 */
export function remoteEmojiTag(emoji: {
  shortcode: string;
  url: string;
  iri: string | null;
}): Emoji {
  return new Emoji({
    ...(emoji.iri === null ? {} : { id: new URL(emoji.iri) }),
    name: `:${emoji.shortcode}:`,
    icon: new Image({ url: new URL(emoji.url) }),
  });
}

/** What a Note needs, loaded by the caller. */
export interface StatusBundle {
  status: Status;
  author: Account;
  media: MediaAttachment[];
  /** Mentioned accounts (their ids and handles). */
  mentions: Account[];
  /** Hashtag display names without '#'. */
  tags: string[];
  /** The custom emojis its text uses. */
  emojis: CustomEmoji[];
  /** The id of the status replied to, when there is one. */
  inReplyToIri: string | null;
  quoteOfIri: string | null;
  /** The IRI of the status it remixes (statuses.remix_of_id), when it is a remix. */
  remixOfIri?: string | null;
}

/** to/cc for a visibility (Mastodon's convention); every mentioned actor is addressed too. */
export function addressing(
  visibility: Visibility,
  followersUrl: string,
  mentionIris: string[],
): { tos: URL[]; ccs: URL[] } {
  const followers = new URL(followersUrl);
  const mentioned = mentionIris.map((iri) => new URL(iri));
  switch (visibility) {
    case "public":
      return { tos: [PUBLIC_COLLECTION], ccs: [followers, ...mentioned] };
    case "unlisted":
      return { tos: [followers], ccs: [PUBLIC_COLLECTION, ...mentioned] };
    case "private":
      return { tos: [followers], ccs: mentioned };
    case "direct":
      return { tos: mentioned, ccs: [] };
  }
}

/**
 * An avatar or header as an Image with its media type, as Mastodon sends them. Local accounts point at
 * an uploaded attachment (avatarMediaId); the url columns only hold what remote actors said.
 */
function profileImage(
  mediaId: string | null,
  media: ReadonlyMap<string, MediaAttachment>,
  urls: LocalUrls,
): Image | null {
  const attachment = mediaId === null ? undefined : media.get(mediaId);
  const url = attachment === undefined ? null : mediaUrl(attachment, urls);
  if (attachment === undefined || url === null) return null;
  return new Image({ url: new URL(url), mediaType: attachment.mediaType });
}

/** Handle as Mastodon writes it in a Mention's name: @user@host. */
export function accountHandle(account: Account, localDomain: string): string {
  return `@${account.username}@${account.domain ?? localDomain}`;
}

/** The public URL of an attachment's display file (local files by storage key, remote ones as is). */
function mediaUrl(media: MediaAttachment, urls: LocalUrls): string | null {
  if (media.displayKey) return urls.media(media.displayKey);
  if (media.originalKey) return urls.media(media.originalKey);
  return media.remoteUrl;
}

/**
 * A status as the Note Mastodon renders natively: images with alt text, blurhash and focal point; one
 * with a poll as a Question (see pollToQuestion).
 */
export function statusToNote(
  bundle: StatusBundle,
  urls: LocalUrls,
  localDomain: string,
  now = new Date(),
): ExtendedNote | ExtendedQuestion {
  const { status, author, media } = bundle;
  const { tos, ccs } = addressing(
    status.visibility,
    author.followersUrl ?? urls.followers(author.username),
    bundle.mentions.map((m) => m.iri),
  );
  const attachments = media
    .filter((m) => m.state === "ready")
    .sort((a, b) => a.position - b.position)
    .flatMap((m) => {
      const url = mediaUrl(m, urls);
      if (url === null) return [];
      return [
        MediaDocument.withExtras(
          {
            url: new URL(url),
            mediaType: m.mediaType,
            // The alt text goes out as `name`, which every server reads.
            name: m.description ?? "",
            width: m.width,
            height: m.height,
          },
          {
            blurhash: m.blurhash,
            // Like Mastodon, no focalPoint for an image without one (receivers then centre it).
            focalPoint: m.hasFocus ? [m.focusX, m.focusY] : null,
            provenance: m.provenance,
          },
        ),
      ];
    });
  const tags = [
    ...bundle.tags.map(
      (name) => new Hashtag({ name: `#${name}`, href: new URL(urls.tag(name.toLowerCase())) }),
    ),
    ...bundle.mentions.map(
      (m) => new Mention({ name: accountHandle(m, localDomain), href: new URL(m.iri) }),
    ),
    ...emojiTags(bundle.emojis, urls),
  ];
  const values = {
    id: new URL(status.iri),
    attribution: new URL(author.iri),
    url: status.url ? new URL(status.url) : null,
    // `content` for everyone, and `contentMap` with the language (Fedify writes a LanguageString there).
    contents: status.language
      ? [status.content, new LanguageString(status.content, status.language)]
      : [status.content],
    summary: status.spoilerText === "" ? null : status.spoilerText,
    sensitive: status.sensitive,
    published: instant(status.createdAt),
    updated: status.editedAt ? instant(status.editedAt) : null,
    replyTarget: bundle.inReplyToIri ? new URL(bundle.inReplyToIri) : null,
    quote: bundle.quoteOfIri ? new URL(bundle.quoteOfIri) : null,
    quoteUrl: bundle.quoteOfIri ? new URL(bundle.quoteOfIri) : null,
    // The consent that makes the quote visible on Mastodon 4.5 (only once it is accepted).
    quoteAuthorization:
      quoteStateOf(status) === "accepted" && status.quoteAuthorizationIri
        ? new URL(status.quoteAuthorizationIri)
        : null,
    interactionPolicy: new InteractionPolicy({
      canQuote: quotePolicyToAp(
        effectiveQuotePolicy(status) ?? "nobody",
        new URL(author.iri),
        new URL(author.followersUrl ?? urls.followers(author.username)),
      ),
    }),
    attachments,
    tags,
    tos,
    ccs,
  };
  const extras = { remixOf: bundle.remixOfIri ?? null };
  return status.poll === null
    ? ExtendedNote.withExtras(values, extras)
    : ExtendedQuestion.withExtras({ ...values, ...pollToQuestion(status.poll, now) }, extras);
}

/**
 * A poll as Mastodon federates it: `oneOf` (or `anyOf` for several choices) Notes named after the
 * options with their votes as `replies.totalItems`, `endTime`, `closed` once ended, and `votersCount`.
 * Hidden totals stay hidden until the end, as Mastodon sends none meanwhile.
 */
export function pollToQuestion(poll: StatusPoll, now: Date) {
  const ended = poll.expiresAt !== null && Date.parse(poll.expiresAt) <= now.getTime();
  const showTotals = !poll.hideTotals || ended;
  const options = poll.options.map(
    (o) =>
      new Note({
        name: o.title,
        replies: new Collection({ totalItems: showTotals ? o.votesCount : 0 }),
      }),
  );
  const end = poll.expiresAt === null ? null : instant(new Date(poll.expiresAt));
  return {
    ...(poll.multiple ? { inclusiveOptions: options } : { exclusiveOptions: options }),
    endTime: end,
    closed: ended ? end : null,
    voters: showTotals ? poll.votersCount : 0,
  };
}

/** A local boost as the Announce its followers receive (and fetch at the boost's own URL). */
/**
 * A status's Create, at the id it is delivered with and served at (/statuses/:id/activity, as Mastodon's
 * /users/:name/statuses/:id/activity), addressed as its Note.
 */
export function noteToCreate(statusIri: string, authorIri: string, note: Note | Question): Create {
  return new ExtendedCreate({
    id: new URL(`${statusIri}/activity`),
    actor: new URL(authorIri),
    object: note,
    published: note.published,
    tos: note.toIds,
    ccs: note.ccIds,
  });
}

export function boostToAnnounce(
  boost: Status,
  author: Account,
  original: Status,
  originalAuthor: Account | undefined,
  urls: LocalUrls,
): Announce {
  return new Announce({
    id: new URL(boost.iri),
    actor: new URL(author.iri),
    object: new URL(original.iri),
    published: instant(boost.createdAt),
    tos: [PUBLIC_COLLECTION],
    ccs: [
      new URL(author.followersUrl ?? urls.followers(author.username)),
      ...(originalAuthor ? [new URL(originalAuthor.iri)] : []),
    ],
  });
}

export function tombstone(iri: string): Tombstone {
  return new Tombstone({ id: new URL(iri) });
}
