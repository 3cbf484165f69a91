// The URL scheme of this instance's own objects. Federation's dispatchers are registered on the same
// paths, so an id stored in the database is always one the server answers.

export interface LocalUrls {
  actor(username: string): string;
  profile(username: string): string;
  inbox(username: string): string;
  sharedInbox(): string;
  outbox(username: string): string;
  followers(username: string): string;
  following(username: string): string;
  featured(username: string): string;
  featuredTags(username: string): string;
  status(id: string): string;
  statusPage(username: string, id: string): string;
  tag(name: string): string;
  /** Ids of activities by local actors that must stay dereferenceable (Follow, Like, Block). */
  follow(id: string): string;
  favourite(id: string): string;
  /** A local user's emoji reaction (the EmojiReact's id). */
  reaction(id: string): string;
  block(id: string): string;
  /** A local custom emoji as an ActivityPub object (the id of the Emoji tags we send). */
  emoji(id: string): string;
  /** The QuoteAuthorization (FEP-044f) we issued for a quote, by the quoting status's row id. */
  quoteAuthorization(statusId: string): string;
  /**
   * Public URL of a stored media file, by its storage key (e.g. "ab/abcdef….webp"): the one place that
   * decides where API entities, ActivityPub attachments and pages point for a file.
   */
  media(key: string): string;
}

/**
 * The URLs of an instance at `origin`. `mediaBaseUrl` (S3_PUBLIC_URL) is where files are fetched from
 * when not from this server's /media.
 */
export function localUrls(origin: string, mediaBaseUrl?: string): LocalUrls {
  const u = (path: string) => new URL(path, origin).href;
  const mediaBase = (mediaBaseUrl ?? u("/media")).replace(/\/+$/, "");
  const user = (username: string) => `/users/${encodeURIComponent(username)}`;
  return {
    actor: (username) => u(user(username)),
    profile: (username) => u(`/@${encodeURIComponent(username)}`),
    inbox: (username) => u(`${user(username)}/inbox`),
    sharedInbox: () => u("/inbox"),
    outbox: (username) => u(`${user(username)}/outbox`),
    followers: (username) => u(`${user(username)}/followers`),
    following: (username) => u(`${user(username)}/following`),
    featured: (username) => u(`${user(username)}/featured`),
    featuredTags: (username) => u(`${user(username)}/featured_tags`),
    status: (id) => u(`/statuses/${encodeURIComponent(id)}`),
    statusPage: (username, id) => u(`/@${encodeURIComponent(username)}/${encodeURIComponent(id)}`),
    tag: (name) => u(`/tags/${encodeURIComponent(name)}`),
    follow: (id) => u(`/follows/${encodeURIComponent(id)}`),
    favourite: (id) => u(`/favourites/${encodeURIComponent(id)}`),
    reaction: (id) => u(`/reactions/${encodeURIComponent(id)}`),
    block: (id) => u(`/blocks/${encodeURIComponent(id)}`),
    emoji: (id) => u(`/emojis/${encodeURIComponent(id)}`),
    quoteAuthorization: (id) => u(`/quote-authorizations/${encodeURIComponent(id)}`),
    media: (key) => `${mediaBase}/${key.split("/").map(encodeURIComponent).join("/")}`,
  };
}
