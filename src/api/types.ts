// The response contract of the Mastodon client API: the entities as Mastodon documents them (snake_case,
// nullable where Mastodon says so), and the Hono environment every API router shares.

import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { Account, Status, Visibility } from "../db/schema/index.ts";
import type { LocalUrls } from "../domain/local-urls.ts";
import type { ResolvedToken } from "../domain/oauth.ts";
import type { PollService } from "../domain/poll-endings.ts";
import type { QuoteApproval, ShownQuoteState } from "../domain/quotes.ts";
import type { ScheduledStatusService } from "../domain/scheduled-statuses.ts";
import type { LoginThrottle } from "../domain/sign-in-throttle.ts";
import type { SignUpThrottle } from "../domain/sign-up-throttle.ts";
import type { GenerationService } from "../generation/jobs.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { MediaService } from "../media/service.ts";

/** What the API routers need from the composition root. */
export interface ApiDeps {
  readonly config: Config;
  readonly db: Database;
  readonly urls: LocalUrls;
  /** Wakes the domain-event dispatcher after a write that recorded events. */
  readonly events: { kick(): void };
  /** Media attachments (upload, alt text, focus). */
  readonly media: MediaService;
  /** AI image generation jobs. */
  readonly generation: GenerationService;
  /** Scheduled statuses and the scheduler that publishes them (its clock decides what is due). */
  readonly scheduledStatuses: ScheduledStatusService;
  /** Votes and the end-of-poll job (its clock decides which polls have ended). */
  readonly polls: PollService;
  /** The API's request windows (the routes and the streaming WebSocket upgrades count in them). */
  readonly rateLimiter: RequestWindows;
  /** Failed sign-ins, shared by the authorize form and the web sign-in (domain/sign-in-throttle.ts). */
  readonly signInThrottle: LoginThrottle;
  readonly signUpThrottle: SignUpThrottle;
  /** Live connections of the streaming API, fed from domain events in deps.ts. */
  readonly streaming: StreamingRegistry;
  /** Finds remote accounts and statuses by handle or URL (federation implements it; see deps.ts). */
  readonly remoteLookup: RemoteLookup;
  /** E-mail (the sign-up's confirmation). */
  readonly mailer: Mailer;
}

/** Counts requests per caller in fixed windows (rate-limit.ts's FixedWindowLimiter). */
export interface RequestWindows {
  readonly limit: number;
  /** Records a hit; whether it is allowed, what remains and when the window resets. */
  hit(key: string): { allowed: boolean; remaining: number; resetAt: number };
}

/**
 * Resolves `@user@host` or a profile/status URL to a stored account or status, fetching it when unknown
 * or stale; null when nothing usable answers. Throws a 400 AppError for a query that is neither.
 */
export interface RemoteLookup {
  lookup(query: string): Promise<{ account: Account } | { status: Status } | null>;
}

/** Streams a client can subscribe to (Mastodon's names; hashtag ones carry the tag, list ones the list). */
export type StreamName =
  | "user"
  | "user:notification"
  | "public"
  | "public:local"
  | "public:remote"
  | "hashtag"
  | "hashtag:local"
  | "list"
  | "direct";

export interface Subscription {
  stream: StreamName;
  /** Lower-case tag, for hashtag streams. */
  tag?: string;
  /** The list's id, for list streams (only its owner may subscribe). */
  list?: string;
}

/** One open streaming connection. `send` must not throw; a closed transport drops the event. */
export interface StreamConnection {
  readonly viewerId: string | null;
  readonly scopes: readonly string[];
  readonly subscriptions: Subscription[];
  send(stream: string[], event: string, payload: string): void;
  close(): void;
}

/** What the streaming transports need of the hub (streaming/hub.ts implements it). */
export interface StreamingRegistry {
  /** How often an idle connection gets a heartbeat. */
  readonly heartbeatMs: number;
  add(connection: StreamConnection): void;
  remove(connection: StreamConnection): void;
  close(): void;
  /**
   * Takes one of the caller's streaming slots (per token and per address, see slots.ts): what frees it,
   * or undefined when the caller already has as many streams open as allowed (answer 429).
   */
  reserve(tokenId: string | null, address: string): (() => void) | undefined;
}

/** The caller, once the bearer token is resolved: a user token or an application-only token. */
export interface ApiAuth extends ResolvedToken {
  /** The signed-in local account, or null for client_credentials tokens. */
  accountId: string | null;
}

export interface ApiEnv {
  Variables: { auth: ApiAuth | null };
}

export interface ApiCustomEmoji {
  shortcode: string;
  url: string;
  static_url: string;
  visible_in_picker: boolean;
  category?: string | null;
}

export interface ApiField {
  name: string;
  value: string;
  verified_at: string | null;
}

export interface ApiAccount {
  id: string;
  username: string;
  acct: string;
  url: string;
  uri: string;
  display_name: string;
  note: string;
  avatar: string;
  avatar_static: string;
  header: string;
  header_static: string;
  locked: boolean;
  fields: ApiField[];
  emojis: ApiCustomEmoji[];
  bot: boolean;
  group: boolean;
  discoverable: boolean | null;
  indexable: boolean;
  noindex: boolean | null;
  hide_collections: boolean | null;
  moved?: ApiAccount | null;
  suspended?: boolean;
  limited?: boolean;
  created_at: string;
  last_status_at: string | null;
  statuses_count: number;
  followers_count: number;
  following_count: number;
  roles: unknown[];
}

export interface ApiCredentialAccount extends ApiAccount {
  source: {
    note: string;
    fields: ApiField[];
    privacy: "public" | "unlisted" | "private" | "direct";
    sensitive: boolean;
    language: string | null;
    follow_requests_count: number;
    hide_collections: boolean | null;
    discoverable: boolean | null;
    indexable: boolean;
  };
  role: ApiRole;
}

export interface ApiMediaMetaSize {
  width: number;
  height: number;
  size: string;
  aspect: number;
}

/** Atelier's extension on MediaAttachment: where an AI-generated image came from. */
export interface ApiAtelierProvenance {
  ai_generated: boolean;
  digital_source_type: string;
  provider: string | null;
  model: string | null;
  prompt: string | null;
  negative_prompt: string | null;
  revised_prompt: string | null;
  seed: number | null;
  generation_id: string | null;
  /** The studio steps that made it, first step first and this image's last; empty for one step. */
  lineage: ApiLineageStep[];
}

export interface ApiLineageStep {
  id: string;
  parent_id: string | null;
  kind: string;
  prompt: string;
  model: string | null;
  provider: string | null;
}

export interface ApiMediaAttachment {
  id: string;
  type: "unknown" | "image" | "gifv" | "video" | "audio";
  url: string | null;
  preview_url: string | null;
  remote_url: string | null;
  preview_remote_url: string | null;
  text_url: string | null;
  meta: {
    original?: ApiMediaMetaSize;
    small?: ApiMediaMetaSize;
    focus?: { x: number; y: number };
  };
  description: string | null;
  blurhash: string | null;
  atelier?: { provenance: ApiAtelierProvenance };
}

export interface ApiMention {
  id: string;
  username: string;
  url: string;
  acct: string;
}

/** Mastodon's List entity (4.2+: with `exclusive`). */
export interface ApiList {
  id: string;
  title: string;
  replies_policy: "followed" | "list" | "none";
  exclusive: boolean;
}

export interface ApiTag {
  name: string;
  url: string;
  history: { day: string; uses: string; accounts: string }[];
  following?: boolean;
}

/** Mastodon's FeaturedTag: a hashtag shown on a profile, with the account's use of it. */
export interface ApiFeaturedTag {
  id: string;
  name: string;
  url: string;
  /** A string in Mastodon's JSON. */
  statuses_count: string;
  /** The day (YYYY-MM-DD) of the account's last post with it. */
  last_status_at: string | null;
}

/** Mastodon's ScheduledStatus: the publish parameters as posted, and the images it holds. */
export interface ApiScheduledStatus {
  id: string;
  scheduled_at: string;
  params: {
    text: string;
    poll: { options: string[]; expires_in: number; multiple: boolean; hide_totals: boolean } | null;
    media_ids: string[] | null;
    sensitive: boolean | null;
    spoiler_text: string | null;
    visibility: Visibility | null;
    in_reply_to_id: string | null;
    language: string | null;
    application_id: string | null;
    /** Mastodon keeps these three in params and always answers them so. */
    scheduled_at: null;
    idempotency: null;
    with_rate_limit: false;
  };
  media_attachments: ApiMediaAttachment[];
}

/** Mastodon's Quote: the quoted status only when the quote is accepted and the viewer may see it. */
export interface ApiQuote {
  state: ShownQuoteState;
  quoted_status: ApiStatus | null;
}

/** Mastodon's ShallowQuote, for a quote inside a quoted status. */
export interface ApiShallowQuote {
  state: ShownQuoteState;
  quoted_status_id: string | null;
}

export interface ApiStatus {
  id: string;
  uri: string;
  url: string | null;
  created_at: string;
  edited_at: string | null;
  account: ApiAccount;
  content: string;
  visibility: "public" | "unlisted" | "private" | "direct";
  sensitive: boolean;
  spoiler_text: string;
  media_attachments: ApiMediaAttachment[];
  application: { name: string; website: string | null } | null;
  mentions: ApiMention[];
  tags: { name: string; url: string }[];
  emojis: ApiCustomEmoji[];
  reblogs_count: number;
  favourites_count: number;
  replies_count: number;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  reblog: ApiStatus | null;
  /** Mastodon 4.5: a Quote here; a ShallowQuote inside a quoted status (quotes nest one level). */
  quote: ApiQuote | ApiShallowQuote | null;
  quote_approval: QuoteApproval;
  poll: ApiPoll | null;
  card: ApiPreviewCard | null;
  language: string | null;
  text: string | null;
  favourited?: boolean;
  reblogged?: boolean;
  muted?: boolean;
  bookmarked?: boolean;
  pinned?: boolean;
  filtered?: ApiFilterResult[];
  /** Pleroma's and Akkoma's extensions, which their clients (Akkoma-fe, Phanpy) read. */
  pleroma: { emoji_reactions: ApiEmojiReaction[] };
}

/**
 * One emoji's reactions on a status, in Pleroma's shape: `name` is the emoji itself or a custom emoji's
 * shortcode (without colons, as Pleroma names it), `url` that custom emoji's image (null otherwise).
 */
export interface ApiEmojiReaction {
  name: string;
  count: number;
  me: boolean;
  url: string | null;
}

/** An entry of Pleroma's reactions list: the reaction with the accounts that gave it. */
export interface ApiEmojiReactionWithAccounts extends ApiEmojiReaction {
  accounts: ApiAccount[];
}

/** Mastodon's PreviewCardAuthor (4.3): `account` is the author's fediverse account, when known. */
export interface ApiPreviewCardAuthor {
  name: string;
  url: string;
  account: ApiAccount | null;
}

/** Mastodon's PreviewCard: a link's preview, with the image served by this instance. */
export interface ApiPreviewCard {
  url: string;
  title: string;
  description: string;
  type: "link" | "photo" | "video" | "rich";
  authors: ApiPreviewCardAuthor[];
  author_name: string;
  author_url: string;
  provider_name: string;
  provider_url: string;
  html: string;
  width: number;
  height: number;
  image: string | null;
  image_description: string;
  embed_url: string;
  blurhash: string | null;
  language: string | null;
  published_at: string | null;
}

/** Mastodon's Trends::Link: a preview card and the days it was shared. */
export interface ApiTrendLink extends ApiPreviewCard {
  history: { day: string; uses: string; accounts: string }[];
}

/** Mastodon's Filter; `keywords` and `statuses` only from the filter API, not inside a FilterResult. */
export interface ApiFilter {
  id: string;
  title: string;
  context: string[];
  expires_at: string | null;
  filter_action: "warn" | "hide" | "blur";
  keywords?: ApiFilterKeyword[];
  statuses?: ApiFilterStatus[];
}

export interface ApiFilterKeyword {
  id: string;
  keyword: string;
  whole_word: boolean;
}

export interface ApiFilterStatus {
  id: string;
  status_id: string;
}

export interface ApiFilterResult {
  filter: ApiFilter;
  keyword_matches: string[] | null;
  status_matches: string[] | null;
}

/** Mastodon's V1_Filter: one keyword of a filter. */
export interface ApiV1Filter {
  id: string;
  phrase: string;
  context: string[];
  whole_word: boolean;
  expires_at: string | null;
  irreversible: boolean;
}

/** Mastodon's Poll; its id is its status's. */
export interface ApiPoll {
  id: string;
  expires_at: string | null;
  expired: boolean;
  multiple: boolean;
  votes_count: number;
  voters_count: number | null;
  options: { title: string; votes_count: number | null }[];
  emojis: ApiCustomEmoji[];
  voted?: boolean;
  own_votes?: number[];
}

/** Mastodon's Conversation: the other participants (oneself when none) and the newest status. */
export interface ApiConversation {
  id: string;
  unread: boolean;
  accounts: ApiAccount[];
  last_status: ApiStatus | null;
}

export interface ApiNotification {
  id: string;
  type: string;
  group_key: string;
  created_at: string;
  account: ApiAccount;
  status?: ApiStatus | null;
  report?: unknown;
  /**
   * pleroma:emoji_reaction (Pleroma's and Akkoma's shape): the emoji, ":shortcode:" for a custom one,
   * and that custom emoji's image.
   */
  emoji?: string;
  emoji_url?: string | null;
  moderation_warning?: ApiAccountWarning;
}

/** Mastodon's AccountWarning (a moderator's action on the account, with its note). */
export interface ApiAccountWarning {
  id: string;
  action: string;
  text: string;
  status_ids: string[];
  target_account: ApiAccount;
  appeal: null;
  created_at: string;
}

export interface ApiRelationship {
  id: string;
  following: boolean;
  showing_reblogs: boolean;
  notifying: boolean;
  languages: string[] | null;
  followed_by: boolean;
  blocking: boolean;
  blocked_by: boolean;
  muting: boolean;
  muting_notifications: boolean;
  requested: boolean;
  requested_by: boolean;
  domain_blocking: boolean;
  endorsed: boolean;
  note: string;
}

/** A report the signed-in user made (Mastodon's Report entity). */
export interface ApiRole {
  id: string;
  name: string;
  color: string;
  permissions: string;
  highlighted: boolean;
}

/** Mastodon's Admin::Account. */
export interface ApiAdminAccount {
  id: string;
  username: string;
  domain: string | null;
  created_at: string;
  email: string | null;
  ip: string | null;
  ips: { ip: string; used_at: string }[];
  locale: string | null;
  invite_request: string | null;
  role: ApiRole | null;
  confirmed: boolean;
  approved: boolean;
  disabled: boolean;
  silenced: boolean;
  suspended: boolean;
  sensitized: boolean;
  account: ApiAccount;
}

/** Mastodon's Admin::Report. */
export interface ApiAdminReport {
  id: string;
  action_taken: boolean;
  action_taken_at: string | null;
  category: string;
  comment: string;
  forwarded: boolean;
  created_at: string;
  updated_at: string;
  account: ApiAdminAccount;
  target_account: ApiAdminAccount;
  assigned_account: ApiAdminAccount | null;
  action_taken_by_account: ApiAdminAccount | null;
  statuses: ApiStatus[];
  rules: unknown[];
}

/** Mastodon's Admin::DomainBlock. Every block here is a suspension (no silence or noop level). */
/** Mastodon's Admin::DomainAllow: a server a limited-federation instance federates with. */
export interface ApiAdminDomainAllow {
  id: string;
  domain: string;
  created_at: string;
}

export interface ApiAdminDomainBlock {
  id: string;
  domain: string;
  /** SHA-256 of the domain, hex: lets a reader check an obfuscated entry against a domain they know. */
  digest: string;
  created_at: string;
  severity: "suspend";
  reject_media: boolean;
  reject_reports: boolean;
  private_comment: string | null;
  public_comment: string | null;
  obfuscate: boolean;
}

/** One day of Mastodon's Admin::EmailDomainBlock history (UNIX day start and counts, as strings). */
export interface ApiEmailDomainBlockDay {
  day: string;
  accounts: string;
  uses: string;
}

/** Mastodon's Admin::EmailDomainBlock. */
export interface ApiAdminEmailDomainBlock {
  id: string;
  domain: string;
  created_at: string;
  history: ApiEmailDomainBlockDay[];
}

export interface ApiReport {
  id: string;
  action_taken: boolean;
  action_taken_at: string | null;
  category: string;
  comment: string;
  forwarded: boolean;
  created_at: string;
  /** The reported statuses' ids; null when the report names none. */
  status_ids: string[] | null;
  /** Instance rules broken; Atelier has none. */
  rule_ids: string[] | null;
  target_account: ApiAccount;
}

export interface ApiContext {
  ancestors: ApiStatus[];
  descendants: ApiStatus[];
}

export interface ApiError {
  error: string;
  error_description?: string;
}
