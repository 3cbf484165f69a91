// The tables every query is built with: the SQLite ones (./tables.ts) unless the process runs on
// PostgreSQL, when useTablesOf() (called by openPostgres, before any query) puts the PostgreSQL tables of
// src/db/postgres/schema in their place.
//
// Why a switch here, and not a second set of queries or tables passed around: drizzle's PostgreSQL
// builders need PostgreSQL columns (their encoders write booleans, times and JSON the way pg wants), so
// the queries must be built with the pg tables; but every query, domain rule and serializer imports its
// tables from this module, typed as the SQLite ones. ES modules export live bindings, so reassigning the
// exported variables here changes what every importer sees, without touching hundreds of imports and
// with one static type (the two sets have the same columns and row types: test/db/schema-parity.*).
// The price: one process runs on one store. A process that opened PostgreSQL cannot also query SQLite
// through this module; a module that reads a column at import time (outside a function) would keep the
// SQLite one, so none does.
import * as sqlite from "./tables.ts";

export * from "./tables.ts";

export let accountDomainBlocks = sqlite.accountDomainBlocks;
export let accounts = sqlite.accounts;
export let actorKeys = sqlite.actorKeys;
export let announcementDismissals = sqlite.announcementDismissals;
export let announcementReactions = sqlite.announcementReactions;
export let announcements = sqlite.announcements;
export let blockedTerms = sqlite.blockedTerms;
export let blocks = sqlite.blocks;
export let bookmarks = sqlite.bookmarks;
export let conversationStatuses = sqlite.conversationStatuses;
export let conversations = sqlite.conversations;
export let domainBlocks = sqlite.domainBlocks;
export let domainEvents = sqlite.domainEvents;
export let emojiReactions = sqlite.emojiReactions;
export let endorsements = sqlite.endorsements;
export let favourites = sqlite.favourites;
export let featuredTags = sqlite.featuredTags;
export let filterKeywords = sqlite.filterKeywords;
export let filterStatuses = sqlite.filterStatuses;
export let filters = sqlite.filters;
export let follows = sqlite.follows;
export let generationCandidates = sqlite.generationCandidates;
export let generationJobs = sqlite.generationJobs;
export let generationSpending = sqlite.generationSpending;
export let listAccounts = sqlite.listAccounts;
export let lists = sqlite.lists;
export let loginWeeks = sqlite.loginWeeks;
export let markers = sqlite.markers;
export let mediaAttachments = sqlite.mediaAttachments;
export let mutes = sqlite.mutes;
export let notificationPermissions = sqlite.notificationPermissions;
export let notificationPolicies = sqlite.notificationPolicies;
export let notificationRequests = sqlite.notificationRequests;
export let notifications = sqlite.notifications;
export let oauthAccessTokens = sqlite.oauthAccessTokens;
export let oauthApplications = sqlite.oauthApplications;
export let oauthAuthorizationCodes = sqlite.oauthAuthorizationCodes;
export let pollEndings = sqlite.pollEndings;
export let pollVotes = sqlite.pollVotes;
export let remoteMediaDownloads = sqlite.remoteMediaDownloads;
export let reports = sqlite.reports;
export let scheduledStatuses = sqlite.scheduledStatuses;
export let statusEdits = sqlite.statusEdits;
export let statusMentions = sqlite.statusMentions;
export let statusPins = sqlite.statusPins;
export let statusTags = sqlite.statusTags;
export let statuses = sqlite.statuses;
export let suggestionDismissals = sqlite.suggestionDismissals;
export let tagFollows = sqlite.tagFollows;
export let tags = sqlite.tags;
export let users = sqlite.users;
export let webSessions = sqlite.webSessions;

/** Which set the exports above are: "sqlite" until useTablesOf puts the PostgreSQL ones in. */
let current: "sqlite" | "postgres" = "sqlite";

export function tablesDialect(): "sqlite" | "postgres" {
  return current;
}

/**
 * Makes every table exported here the PostgreSQL one of the same name (from src/db/postgres/schema,
 * passed in so that SQLite processes never load it). Idempotent; called once per process by openPostgres.
 */
export function useTablesOf(postgres: Record<(typeof TABLE_NAMES)[number], unknown>): void {
  if (current === "postgres") return;
  current = "postgres";
  // The casts: the PostgreSQL tables stand in for the SQLite ones under the SQLite static type.
  accountDomainBlocks = postgres.accountDomainBlocks as typeof sqlite.accountDomainBlocks;
  accounts = postgres.accounts as typeof sqlite.accounts;
  actorKeys = postgres.actorKeys as typeof sqlite.actorKeys;
  announcementDismissals = postgres.announcementDismissals as typeof sqlite.announcementDismissals;
  announcementReactions = postgres.announcementReactions as typeof sqlite.announcementReactions;
  announcements = postgres.announcements as typeof sqlite.announcements;
  blockedTerms = postgres.blockedTerms as typeof sqlite.blockedTerms;
  blocks = postgres.blocks as typeof sqlite.blocks;
  bookmarks = postgres.bookmarks as typeof sqlite.bookmarks;
  conversationStatuses = postgres.conversationStatuses as typeof sqlite.conversationStatuses;
  conversations = postgres.conversations as typeof sqlite.conversations;
  domainBlocks = postgres.domainBlocks as typeof sqlite.domainBlocks;
  domainEvents = postgres.domainEvents as typeof sqlite.domainEvents;
  emojiReactions = postgres.emojiReactions as typeof sqlite.emojiReactions;
  endorsements = postgres.endorsements as typeof sqlite.endorsements;
  favourites = postgres.favourites as typeof sqlite.favourites;
  featuredTags = postgres.featuredTags as typeof sqlite.featuredTags;
  filterKeywords = postgres.filterKeywords as typeof sqlite.filterKeywords;
  filterStatuses = postgres.filterStatuses as typeof sqlite.filterStatuses;
  filters = postgres.filters as typeof sqlite.filters;
  follows = postgres.follows as typeof sqlite.follows;
  generationCandidates = postgres.generationCandidates as typeof sqlite.generationCandidates;
  generationJobs = postgres.generationJobs as typeof sqlite.generationJobs;
  generationSpending = postgres.generationSpending as typeof sqlite.generationSpending;
  listAccounts = postgres.listAccounts as typeof sqlite.listAccounts;
  lists = postgres.lists as typeof sqlite.lists;
  loginWeeks = postgres.loginWeeks as typeof sqlite.loginWeeks;
  markers = postgres.markers as typeof sqlite.markers;
  mediaAttachments = postgres.mediaAttachments as typeof sqlite.mediaAttachments;
  mutes = postgres.mutes as typeof sqlite.mutes;
  notificationPermissions =
    postgres.notificationPermissions as typeof sqlite.notificationPermissions;
  notificationPolicies = postgres.notificationPolicies as typeof sqlite.notificationPolicies;
  notificationRequests = postgres.notificationRequests as typeof sqlite.notificationRequests;
  notifications = postgres.notifications as typeof sqlite.notifications;
  oauthAccessTokens = postgres.oauthAccessTokens as typeof sqlite.oauthAccessTokens;
  oauthApplications = postgres.oauthApplications as typeof sqlite.oauthApplications;
  oauthAuthorizationCodes =
    postgres.oauthAuthorizationCodes as typeof sqlite.oauthAuthorizationCodes;
  pollEndings = postgres.pollEndings as typeof sqlite.pollEndings;
  pollVotes = postgres.pollVotes as typeof sqlite.pollVotes;
  remoteMediaDownloads = postgres.remoteMediaDownloads as typeof sqlite.remoteMediaDownloads;
  reports = postgres.reports as typeof sqlite.reports;
  scheduledStatuses = postgres.scheduledStatuses as typeof sqlite.scheduledStatuses;
  statusEdits = postgres.statusEdits as typeof sqlite.statusEdits;
  statusMentions = postgres.statusMentions as typeof sqlite.statusMentions;
  statusPins = postgres.statusPins as typeof sqlite.statusPins;
  statusTags = postgres.statusTags as typeof sqlite.statusTags;
  statuses = postgres.statuses as typeof sqlite.statuses;
  suggestionDismissals = postgres.suggestionDismissals as typeof sqlite.suggestionDismissals;
  tagFollows = postgres.tagFollows as typeof sqlite.tagFollows;
  tags = postgres.tags as typeof sqlite.tags;
  users = postgres.users as typeof sqlite.users;
  webSessions = postgres.webSessions as typeof sqlite.webSessions;
}

/** The tables the two dialects share, by export name. */
export const TABLE_NAMES = [
  "accountDomainBlocks",
  "accounts",
  "actorKeys",
  "announcementDismissals",
  "announcementReactions",
  "announcements",
  "blockedTerms",
  "blocks",
  "bookmarks",
  "conversationStatuses",
  "conversations",
  "domainBlocks",
  "domainEvents",
  "emojiReactions",
  "endorsements",
  "favourites",
  "featuredTags",
  "filterKeywords",
  "filterStatuses",
  "filters",
  "follows",
  "generationCandidates",
  "generationJobs",
  "generationSpending",
  "listAccounts",
  "lists",
  "loginWeeks",
  "markers",
  "mediaAttachments",
  "mutes",
  "notificationPermissions",
  "notificationPolicies",
  "notificationRequests",
  "notifications",
  "oauthAccessTokens",
  "oauthApplications",
  "oauthAuthorizationCodes",
  "pollEndings",
  "pollVotes",
  "remoteMediaDownloads",
  "reports",
  "scheduledStatuses",
  "statusEdits",
  "statusMentions",
  "statusPins",
  "statusTags",
  "statuses",
  "suggestionDismissals",
  "tagFollows",
  "tags",
  "users",
  "webSessions",
] as const;
