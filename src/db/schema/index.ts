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
export let accountEmojis = sqlite.accountEmojis;
export let accountWarnings = sqlite.accountWarnings;
export let accounts = sqlite.accounts;
export let actorKeys = sqlite.actorKeys;
export let albumItems = sqlite.albumItems;
export let albums = sqlite.albums;
export let announcementDismissals = sqlite.announcementDismissals;
export let announcementReactions = sqlite.announcementReactions;
export let announcements = sqlite.announcements;
export let blockedTerms = sqlite.blockedTerms;
export let blocks = sqlite.blocks;
export let bookmarks = sqlite.bookmarks;
export let bulkImportRows = sqlite.bulkImportRows;
export let bulkImports = sqlite.bulkImports;
export let conversationStatuses = sqlite.conversationStatuses;
export let conversations = sqlite.conversations;
export let customEmojis = sqlite.customEmojis;
export let datasetConsentEvents = sqlite.datasetConsentEvents;
export let datasetExports = sqlite.datasetExports;
export let domainAllows = sqlite.domainAllows;
export let domainBlocks = sqlite.domainBlocks;
export let domainEvents = sqlite.domainEvents;
export let emailDomainBlocks = sqlite.emailDomainBlocks;
export let emailDomainBlockAttempts = sqlite.emailDomainBlockAttempts;
export let emojiReactions = sqlite.emojiReactions;
export let endorsements = sqlite.endorsements;
export let favourites = sqlite.favourites;
export let featuredTags = sqlite.featuredTags;
export let filterKeywords = sqlite.filterKeywords;
export let filterStatuses = sqlite.filterStatuses;
export let filters = sqlite.filters;
export let followerMoves = sqlite.followerMoves;
export let follows = sqlite.follows;
export let generationCandidates = sqlite.generationCandidates;
export let generationJobs = sqlite.generationJobs;
export let generationSpending = sqlite.generationSpending;
export let instanceRules = sqlite.instanceRules;
export let instanceSettings = sqlite.instanceSettings;
export let invites = sqlite.invites;
export let listAccounts = sqlite.listAccounts;
export let lists = sqlite.lists;
export let loginWeeks = sqlite.loginWeeks;
export let markers = sqlite.markers;
export let moderationLogs = sqlite.moderationLogs;
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
export let previewCards = sqlite.previewCards;
export let statusPreviewCards = sqlite.statusPreviewCards;
export let previewCardFetches = sqlite.previewCardFetches;
export let linkTrends = sqlite.linkTrends;
export let remoteMediaDownloads = sqlite.remoteMediaDownloads;
export let reports = sqlite.reports;
export let scheduledStatuses = sqlite.scheduledStatuses;
export let statusEdits = sqlite.statusEdits;
export let statusEmojis = sqlite.statusEmojis;
export let statusMentions = sqlite.statusMentions;
export let statusPins = sqlite.statusPins;
export let statusTags = sqlite.statusTags;
export let statuses = sqlite.statuses;
export let statusTrends = sqlite.statusTrends;
export let suggestionDismissals = sqlite.suggestionDismissals;
export let tagFollows = sqlite.tagFollows;
export let tags = sqlite.tags;
export let tagTrends = sqlite.tagTrends;
export let trendRefreshes = sqlite.trendRefreshes;
export let users = sqlite.users;
export let webSessions = sqlite.webSessions;

/** Which set the exports above are: "sqlite" until useTablesOf puts the PostgreSQL ones in. */
let current: "sqlite" | "postgres" = "sqlite";

export function tablesDialect(): "sqlite" | "postgres" {
  return current;
}

/**
 * Makes every table exported here the PostgreSQL one of the same name (from src/db/postgres/schema,
 * passed in so that SQLite processes never load it). Idempotent; called by openStore (src/db/dialect.ts).
 */
export function useTablesOf(postgres: Record<(typeof TABLE_NAMES)[number], unknown>): void {
  if (current === "postgres") return;
  current = "postgres";
  put(postgres);
}

/**
 * Puts the SQLite tables back. For the test suite only, whose workers run one test file after another
 * in one process (vitest's isolate: false): each file starts on SQLite, as a fresh process would.
 */
export function useSqliteTables(): void {
  if (current === "sqlite") return;
  current = "sqlite";
  put(sqlite);
}

function put(tables: Record<(typeof TABLE_NAMES)[number], unknown>): void {
  // The casts: the PostgreSQL tables stand in for the SQLite ones under the SQLite static type.
  accountDomainBlocks = tables.accountDomainBlocks as typeof sqlite.accountDomainBlocks;
  accountEmojis = tables.accountEmojis as typeof sqlite.accountEmojis;
  accounts = tables.accounts as typeof sqlite.accounts;
  actorKeys = tables.actorKeys as typeof sqlite.actorKeys;
  albumItems = tables.albumItems as typeof sqlite.albumItems;
  albums = tables.albums as typeof sqlite.albums;
  announcementDismissals = tables.announcementDismissals as typeof sqlite.announcementDismissals;
  announcementReactions = tables.announcementReactions as typeof sqlite.announcementReactions;
  accountWarnings = tables.accountWarnings as typeof sqlite.accountWarnings;
  announcements = tables.announcements as typeof sqlite.announcements;
  blockedTerms = tables.blockedTerms as typeof sqlite.blockedTerms;
  blocks = tables.blocks as typeof sqlite.blocks;
  bookmarks = tables.bookmarks as typeof sqlite.bookmarks;
  bulkImportRows = tables.bulkImportRows as typeof sqlite.bulkImportRows;
  bulkImports = tables.bulkImports as typeof sqlite.bulkImports;
  conversationStatuses = tables.conversationStatuses as typeof sqlite.conversationStatuses;
  conversations = tables.conversations as typeof sqlite.conversations;
  customEmojis = tables.customEmojis as typeof sqlite.customEmojis;
  datasetConsentEvents = tables.datasetConsentEvents as typeof sqlite.datasetConsentEvents;
  datasetExports = tables.datasetExports as typeof sqlite.datasetExports;
  domainAllows = tables.domainAllows as typeof sqlite.domainAllows;
  domainBlocks = tables.domainBlocks as typeof sqlite.domainBlocks;
  domainEvents = tables.domainEvents as typeof sqlite.domainEvents;
  emailDomainBlocks = tables.emailDomainBlocks as typeof sqlite.emailDomainBlocks;
  emailDomainBlockAttempts =
    tables.emailDomainBlockAttempts as typeof sqlite.emailDomainBlockAttempts;
  emojiReactions = tables.emojiReactions as typeof sqlite.emojiReactions;
  endorsements = tables.endorsements as typeof sqlite.endorsements;
  favourites = tables.favourites as typeof sqlite.favourites;
  featuredTags = tables.featuredTags as typeof sqlite.featuredTags;
  filterKeywords = tables.filterKeywords as typeof sqlite.filterKeywords;
  filterStatuses = tables.filterStatuses as typeof sqlite.filterStatuses;
  filters = tables.filters as typeof sqlite.filters;
  followerMoves = tables.followerMoves as typeof sqlite.followerMoves;
  follows = tables.follows as typeof sqlite.follows;
  generationCandidates = tables.generationCandidates as typeof sqlite.generationCandidates;
  generationJobs = tables.generationJobs as typeof sqlite.generationJobs;
  generationSpending = tables.generationSpending as typeof sqlite.generationSpending;
  instanceRules = tables.instanceRules as typeof sqlite.instanceRules;
  instanceSettings = tables.instanceSettings as typeof sqlite.instanceSettings;
  invites = tables.invites as typeof sqlite.invites;
  listAccounts = tables.listAccounts as typeof sqlite.listAccounts;
  lists = tables.lists as typeof sqlite.lists;
  loginWeeks = tables.loginWeeks as typeof sqlite.loginWeeks;
  markers = tables.markers as typeof sqlite.markers;
  moderationLogs = tables.moderationLogs as typeof sqlite.moderationLogs;
  mediaAttachments = tables.mediaAttachments as typeof sqlite.mediaAttachments;
  mutes = tables.mutes as typeof sqlite.mutes;
  notificationPermissions = tables.notificationPermissions as typeof sqlite.notificationPermissions;
  notificationPolicies = tables.notificationPolicies as typeof sqlite.notificationPolicies;
  notificationRequests = tables.notificationRequests as typeof sqlite.notificationRequests;
  notifications = tables.notifications as typeof sqlite.notifications;
  oauthAccessTokens = tables.oauthAccessTokens as typeof sqlite.oauthAccessTokens;
  oauthApplications = tables.oauthApplications as typeof sqlite.oauthApplications;
  oauthAuthorizationCodes = tables.oauthAuthorizationCodes as typeof sqlite.oauthAuthorizationCodes;
  pollEndings = tables.pollEndings as typeof sqlite.pollEndings;
  pollVotes = tables.pollVotes as typeof sqlite.pollVotes;
  previewCards = tables.previewCards as typeof sqlite.previewCards;
  statusPreviewCards = tables.statusPreviewCards as typeof sqlite.statusPreviewCards;
  previewCardFetches = tables.previewCardFetches as typeof sqlite.previewCardFetches;
  linkTrends = tables.linkTrends as typeof sqlite.linkTrends;
  remoteMediaDownloads = tables.remoteMediaDownloads as typeof sqlite.remoteMediaDownloads;
  reports = tables.reports as typeof sqlite.reports;
  scheduledStatuses = tables.scheduledStatuses as typeof sqlite.scheduledStatuses;
  statusEdits = tables.statusEdits as typeof sqlite.statusEdits;
  statusEmojis = tables.statusEmojis as typeof sqlite.statusEmojis;
  statusMentions = tables.statusMentions as typeof sqlite.statusMentions;
  statusPins = tables.statusPins as typeof sqlite.statusPins;
  statusTags = tables.statusTags as typeof sqlite.statusTags;
  statuses = tables.statuses as typeof sqlite.statuses;
  statusTrends = tables.statusTrends as typeof sqlite.statusTrends;
  suggestionDismissals = tables.suggestionDismissals as typeof sqlite.suggestionDismissals;
  tagFollows = tables.tagFollows as typeof sqlite.tagFollows;
  tags = tables.tags as typeof sqlite.tags;
  tagTrends = tables.tagTrends as typeof sqlite.tagTrends;
  trendRefreshes = tables.trendRefreshes as typeof sqlite.trendRefreshes;
  users = tables.users as typeof sqlite.users;
  webSessions = tables.webSessions as typeof sqlite.webSessions;
}

/** The tables the two dialects share, by export name. */
export const TABLE_NAMES = [
  "accountDomainBlocks",
  "accountEmojis",
  "accounts",
  "accountWarnings",
  "actorKeys",
  "albumItems",
  "albums",
  "announcementDismissals",
  "announcementReactions",
  "announcements",
  "blockedTerms",
  "blocks",
  "bookmarks",
  "bulkImportRows",
  "bulkImports",
  "conversationStatuses",
  "conversations",
  "customEmojis",
  "datasetConsentEvents",
  "datasetExports",
  "domainAllows",
  "domainBlocks",
  "domainEvents",
  "emailDomainBlockAttempts",
  "emailDomainBlocks",
  "emojiReactions",
  "endorsements",
  "favourites",
  "featuredTags",
  "filterKeywords",
  "filterStatuses",
  "filters",
  "followerMoves",
  "follows",
  "generationCandidates",
  "generationJobs",
  "generationSpending",
  "instanceRules",
  "instanceSettings",
  "invites",
  "listAccounts",
  "lists",
  "loginWeeks",
  "markers",
  "moderationLogs",
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
  "previewCards",
  "statusPreviewCards",
  "previewCardFetches",
  "linkTrends",
  "remoteMediaDownloads",
  "reports",
  "scheduledStatuses",
  "statusEdits",
  "statusEmojis",
  "statusMentions",
  "statusPins",
  "statusTags",
  "statuses",
  "statusTrends",
  "suggestionDismissals",
  "tagFollows",
  "tags",
  "tagTrends",
  "trendRefreshes",
  "users",
  "webSessions",
] as const;
