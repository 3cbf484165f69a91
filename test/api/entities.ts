// Mastodon's documented entities (docs.joinmastodon.org/entities) as zod schemas: required fields with
// their types and nullability. Every API test checks its answers against these, for local and remote data.
import { expect } from "vitest";
import { z } from "zod";

const url = z.string().url();
const datetime = z.iso.datetime({ offset: true });
const id = z.string().regex(/^\d+$/);

export const CustomEmoji = z.object({
  shortcode: z.string(),
  url,
  static_url: url,
  visible_in_picker: z.boolean(),
  category: z.string().nullable().optional(),
});

export const Field = z.object({
  name: z.string(),
  value: z.string(),
  verified_at: datetime.nullable(),
});

const accountShape = {
  id,
  username: z.string().min(1),
  acct: z.string().min(1),
  url,
  display_name: z.string(),
  note: z.string(),
  avatar: url,
  avatar_static: url,
  header: url,
  header_static: url,
  locked: z.boolean(),
  fields: z.array(Field),
  emojis: z.array(CustomEmoji),
  bot: z.boolean(),
  group: z.boolean(),
  discoverable: z.boolean().nullable(),
  noindex: z.boolean().nullable().optional(),
  moved: z.unknown().optional(),
  suspended: z.boolean().optional(),
  limited: z.boolean().optional(),
  created_at: datetime,
  last_status_at: z.iso.date().nullable(),
  statuses_count: z.number().int().nonnegative(),
  followers_count: z.number().int().nonnegative(),
  following_count: z.number().int().nonnegative(),
};

export const Account = z.object(accountShape).loose();

export const CredentialAccount = z
  .object(accountShape)
  .extend({
    source: z.object({
      note: z.string(),
      fields: z.array(Field),
      privacy: z.enum(["public", "unlisted", "private", "direct"]),
      sensitive: z.boolean(),
      language: z.string().nullable(),
      follow_requests_count: z.number().int().nonnegative(),
    }),
    role: z.object({
      id: z.string(),
      name: z.string(),
      color: z.string(),
      permissions: z.string(),
      highlighted: z.boolean(),
    }),
  })
  .loose();

const metaSize = z.object({
  width: z.number().int(),
  height: z.number().int(),
  size: z.string().regex(/^\d+x\d+$/),
  aspect: z.number(),
});

export const MediaAttachment = z
  .object({
    id,
    type: z.enum(["unknown", "image", "gifv", "video", "audio"]),
    url: url.nullable(),
    preview_url: url.nullable(),
    remote_url: url.nullable(),
    meta: z
      .object({
        original: metaSize.optional(),
        small: metaSize.optional(),
        focus: z.object({ x: z.number().min(-1).max(1), y: z.number().min(-1).max(1) }).optional(),
      })
      .loose(),
    description: z.string().nullable(),
    blurhash: z.string().nullable(),
  })
  .loose();

export const Tag = z
  .object({
    name: z.string(),
    url,
    history: z.array(z.object({ day: z.string(), uses: z.string(), accounts: z.string() })),
    following: z.boolean().optional(),
  })
  .loose();

/** Mastodon's Poll entity. */
export const Poll = z
  .object({
    id,
    expires_at: datetime.nullable(),
    expired: z.boolean(),
    multiple: z.boolean(),
    votes_count: z.number().int().nonnegative(),
    voters_count: z.number().int().nonnegative().nullable(),
    options: z.array(
      z.object({ title: z.string(), votes_count: z.number().int().nonnegative().nullable() }),
    ),
    emojis: z.array(CustomEmoji),
    voted: z.boolean().optional(),
    own_votes: z.array(z.number().int().nonnegative()).optional(),
  })
  .loose();

/** Mastodon's PreviewCard (4.3, with `authors`); `image` an absolute URL of this instance's copy. */
export const PreviewCard = z
  .object({
    url,
    title: z.string(),
    description: z.string(),
    type: z.enum(["link", "photo", "video", "rich"]),
    authors: z.array(
      z.object({ name: z.string(), url: z.string(), account: z.unknown().nullable() }),
    ),
    author_name: z.string(),
    author_url: z.string(),
    provider_name: z.string(),
    provider_url: z.string(),
    html: z.string(),
    width: z.number().int().nonnegative(),
    height: z.number().int().nonnegative(),
    image: url.nullable(),
    image_description: z.string(),
    embed_url: z.string(),
    blurhash: z.string().nullable(),
    language: z.string().nullable(),
    published_at: datetime.nullable(),
  })
  .loose();

/** Mastodon's Trends::Link: a PreviewCard and its history, as a Tag's. */
export const TrendLink = PreviewCard.extend({
  history: z.array(z.object({ day: z.string(), uses: z.string(), accounts: z.string() })),
});

const statusShape = {
  id,
  uri: url,
  created_at: datetime,
  account: Account,
  content: z.string(),
  visibility: z.enum(["public", "unlisted", "private", "direct"]),
  sensitive: z.boolean(),
  spoiler_text: z.string(),
  media_attachments: z.array(MediaAttachment),
  application: z.object({ name: z.string(), website: z.string().nullable() }).nullable().optional(),
  mentions: z.array(z.object({ id, username: z.string(), url, acct: z.string() })),
  tags: z.array(z.object({ name: z.string(), url })),
  emojis: z.array(CustomEmoji),
  reblogs_count: z.number().int().nonnegative(),
  favourites_count: z.number().int().nonnegative(),
  replies_count: z.number().int().nonnegative(),
  url: url.nullable(),
  in_reply_to_id: id.nullable(),
  in_reply_to_account_id: id.nullable(),
  poll: Poll.nullable(),
  card: PreviewCard.nullable(),
  language: z.string().nullable(),
  text: z.string().nullable().optional(),
  edited_at: datetime.nullable(),
  favourited: z.boolean().optional(),
  reblogged: z.boolean().optional(),
  muted: z.boolean().optional(),
  bookmarked: z.boolean().optional(),
  pinned: z.boolean().optional(),
  filtered: z.array(z.lazy(() => FilterResult)).optional(),
  quote_approval: z.strictObject({
    automatic: z.array(z.enum(["public", "followers", "following", "unsupported_policy"])),
    manual: z.array(z.enum(["public", "followers", "following", "unsupported_policy"])),
    current_user: z.enum(["automatic", "manual", "denied", "unknown"]),
  }),
};

/** Mastodon 4.5's quote states. */
const quoteState = z.enum([
  "pending",
  "accepted",
  "rejected",
  "revoked",
  "deleted",
  "unauthorized",
]);
/** A quote inside a quoted status: by id only. */
export const ShallowQuote = z.strictObject({ state: quoteState, quoted_status_id: id.nullable() });

export const FilterKeyword = z.strictObject({ id, keyword: z.string(), whole_word: z.boolean() });
export const FilterStatus = z.strictObject({ id, status_id: id });
const filterShape = {
  id,
  title: z.string(),
  context: z.array(z.enum(["home", "notifications", "public", "thread", "account"])).min(1),
  expires_at: datetime.nullable(),
  filter_action: z.enum(["warn", "hide", "blur"]),
};
/** Mastodon's Filter as the filter API shows it (with its rules). */
export const Filter = z.strictObject({
  ...filterShape,
  keywords: z.array(FilterKeyword),
  statuses: z.array(FilterStatus),
});
export const FilterResult = z.strictObject({
  filter: z.strictObject(filterShape),
  keyword_matches: z.array(z.string()).nullable(),
  status_matches: z.array(id).nullable(),
});
export const V1Filter = z.strictObject({
  id,
  phrase: z.string(),
  context: z.array(z.string()),
  whole_word: z.boolean(),
  expires_at: datetime.nullable(),
  irreversible: z.boolean(),
});

const BaseStatus = z.object(statusShape).loose();
/** A quoted status: its own quote is a ShallowQuote. */
const QuotedStatus = BaseStatus.extend({ quote: ShallowQuote.nullable() });
export const Quote = z.strictObject({ state: quoteState, quoted_status: QuotedStatus.nullable() });
const OneStatus = BaseStatus.extend({ quote: Quote.nullable() });
export const Status = OneStatus.extend({
  reblog: OneStatus.extend({ reblog: z.null() }).nullable(),
});

export const Relationship = z
  .object({
    id,
    following: z.boolean(),
    showing_reblogs: z.boolean(),
    notifying: z.boolean(),
    languages: z.array(z.string()).nullable(),
    followed_by: z.boolean(),
    blocking: z.boolean(),
    blocked_by: z.boolean(),
    muting: z.boolean(),
    muting_notifications: z.boolean(),
    requested: z.boolean(),
    requested_by: z.boolean(),
    domain_blocking: z.boolean(),
    endorsed: z.boolean(),
    note: z.string(),
  })
  .loose();

export const Notification = z
  .object({
    id,
    type: z.enum([
      "mention",
      "status",
      "reblog",
      "follow",
      "follow_request",
      "favourite",
      "poll",
      "update",
      "admin.sign_up",
      "admin.report",
      "severed_relationships",
      "moderation_warning",
    ]),
    group_key: z.string(),
    created_at: datetime,
    account: Account,
    status: Status.nullable().optional(),
  })
  .loose();

export const Conversation = z
  .object({
    id,
    unread: z.boolean(),
    accounts: z.array(Account),
    last_status: Status.nullable(),
  })
  .loose();

export const Context = z.object({ ancestors: z.array(Status), descendants: z.array(Status) });

export const ApiError = z.object({ error: z.string(), error_description: z.string().optional() });

export const Application = z
  .object({
    name: z.string(),
    website: z.string().nullable().optional(),
    scopes: z.array(z.string()),
    redirect_uris: z.array(z.string()),
  })
  .loose();

export const CredentialApplication = Application.extend({
  id,
  client_id: z.string(),
  client_secret: z.string(),
  client_secret_expires_at: z.number(),
});

export const Token = z
  .object({
    access_token: z.string(),
    token_type: z.literal("Bearer"),
    scope: z.string(),
    created_at: z.number().int(),
  })
  .loose();

export const InstanceV1 = z
  .object({
    uri: z.string(),
    title: z.string(),
    short_description: z.string(),
    description: z.string(),
    email: z.string(),
    version: z.string(),
    urls: z.object({ streaming_api: z.string() }),
    stats: z.object({
      user_count: z.number().int(),
      status_count: z.number().int(),
      domain_count: z.number().int(),
    }),
    thumbnail: z.string().nullable(),
    languages: z.array(z.string()),
    registrations: z.boolean(),
    approval_required: z.boolean(),
    invites_enabled: z.boolean(),
    configuration: z
      .object({
        statuses: z.object({
          max_characters: z.number().int(),
          max_media_attachments: z.number().int(),
          characters_reserved_per_url: z.number().int(),
        }),
        media_attachments: z
          .object({ supported_mime_types: z.array(z.string()), image_size_limit: z.number() })
          .loose(),
      })
      .loose(),
    contact_account: Account.nullable(),
    rules: z.array(z.object({ id: z.string(), text: z.string() })),
  })
  .loose();

export const InstanceV2 = z
  .object({
    domain: z.string(),
    title: z.string(),
    version: z.string(),
    source_url: url,
    description: z.string(),
    usage: z.object({ users: z.object({ active_month: z.number().int() }) }),
    thumbnail: z.object({ url }).loose(),
    languages: z.array(z.string()),
    configuration: z
      .object({
        urls: z.object({ streaming: z.string() }).loose(),
        accounts: z.object({ max_featured_tags: z.number().int() }).loose(),
        statuses: z.object({ max_characters: z.number().int() }).loose(),
        media_attachments: z.object({ supported_mime_types: z.array(z.string()) }).loose(),
        polls: z.object({ max_options: z.number().int() }).loose(),
        translation: z.object({ enabled: z.boolean() }),
      })
      .loose(),
    registrations: z
      .object({
        enabled: z.boolean(),
        approval_required: z.boolean(),
        message: z.string().nullable(),
      })
      .loose(),
    contact: z.object({ email: z.string(), account: Account.nullable() }),
    rules: z.array(z.unknown()),
  })
  .loose();

export const Marker = z.object({
  last_read_id: id,
  version: z.number().int(),
  updated_at: datetime,
});

/** Parses `value` with `schema`, failing the test with zod's message (not just "invalid"). */
export function expectEntity<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new globalThis.Error(
      `Entity does not match Mastodon's shape: ${z.prettifyError(result.error)}\n${JSON.stringify(value, null, 2).slice(0, 3000)}`,
    );
  }
  expect(result.success).toBe(true);
  return result.data;
}
