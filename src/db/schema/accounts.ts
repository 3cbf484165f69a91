// Accounts: every actor we know, local and remote, in one table (as Mastodon does), with local users'
// credentials and the actors' signing keys beside it.
import { sql } from "drizzle-orm";
import { index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bigInteger, counter, createdAt, flag, id, timestamp } from "./columns.ts";

export type ActorType = "Person" | "Service" | "Application" | "Group" | "Organization";

export interface ProfileField {
  name: string;
  /** HTML (sanitized for remote accounts). */
  value: string;
  verifiedAt?: string | null;
}

export const accounts = sqliteTable(
  "accounts",
  {
    id: id(),
    /** preferredUsername; for local accounts the part before @. */
    username: text("username").notNull(),
    /** null for local accounts; the host (with port, if any) for remote ones. */
    domain: text("domain"),
    /** The actor's ActivityPub id. */
    iri: text("iri").notNull(),
    /** The profile's HTML page. */
    url: text("url"),
    type: text("type").$type<ActorType>().notNull().default("Person"),
    displayName: text("display_name").notNull().default(""),
    /** Bio as HTML (sanitized for remote accounts). */
    note: text("note").notNull().default(""),
    avatarUrl: text("avatar_url"),
    headerUrl: text("header_url"),
    /** Local avatar/header files (media ids) once uploaded or copied. */
    avatarMediaId: text("avatar_media_id"),
    headerMediaId: text("header_media_id"),
    inboxUrl: text("inbox_url"),
    sharedInboxUrl: text("shared_inbox_url"),
    outboxUrl: text("outbox_url"),
    followersUrl: text("followers_url"),
    followingUrl: text("following_url"),
    featuredUrl: text("featured_url"),
    /** The actor's featuredTags collection (Mastodon's featured hashtags). */
    featuredTagsUrl: text("featured_tags_url"),
    /** manuallyApprovesFollowers */
    locked: flag("locked"),
    bot: flag("bot"),
    discoverable: flag("discoverable"),
    indexable: flag("indexable"),
    fields: text("fields", { mode: "json" }).$type<ProfileField[]>().notNull().default(sql`'[]'`),
    alsoKnownAs: text("also_known_as", { mode: "json" })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    movedToAccountId: text("moved_to_account_id"),
    /** When a local account last moved out (a Move sent): another move waits 30 days from it. */
    movedAt: timestamp("moved_at"),
    followersCount: counter("followers_count"),
    followingCount: counter("following_count"),
    statusesCount: counter("statuses_count"),
    lastStatusAt: timestamp("last_status_at"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at"),
    /** When a remote actor document was last fetched (refreshed after a TTL). */
    fetchedAt: timestamp("fetched_at"),
    suspendedAt: timestamp("suspended_at"),
    /**
     * Limited by a moderator (Mastodon's "silence"): left out of public timelines, trends and search for
     * those who do not follow it (domain/account-moderation.ts).
     */
    limitedAt: timestamp("limited_at"),
    /** Marked sensitive by a moderator: its new posts with media are sensitive whatever it says. */
    sensitizedAt: timestamp("sensitized_at"),
    /**
     * A local account its owner deleted: the row stays as a tombstone (suspended too, so every query
     * that hides suspended accounts hides it) so the actor URL can answer 410 Gone and the username is
     * never given to someone else, as Mastodon reserves it.
     */
    deletedAt: timestamp("deleted_at"),
  },
  (t) => [
    uniqueIndex("accounts_iri_unique").on(t.iri),
    // Usernames are case-insensitive per domain. NULLs never collide in a unique index, so local
    // accounts (domain null) get their own partial index.
    uniqueIndex("accounts_local_username_unique")
      .on(sql`lower(${t.username})`)
      .where(sql`${t.domain} is null`),
    uniqueIndex("accounts_remote_handle_unique")
      .on(sql`lower(${t.username})`, t.domain)
      .where(sql`${t.domain} is not null`),
    index("accounts_domain_idx").on(t.domain),
    // The few suspended accounts, for "author not suspended" (queries/visibility.ts), asked of every
    // status a timeline reads: without it PostgreSQL's generic plan read all of `accounts` once per
    // page (5 ms of a 6 ms home page at 10,000 accounts); with it that is one probe of an index that
    // is empty on most instances.
    index("accounts_suspended_idx").on(t.id).where(sql`${t.suspendedAt} is not null`),
  ],
);

export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;

/** Local users: the credentials and settings of accounts that sign in here. */
export const users = sqliteTable(
  "users",
  {
    accountId: text("account_id")
      .primaryKey()
      .references(() => accounts.id, { onDelete: "cascade" }),
    email: text("email"),
    /** PHC string (argon2id). */
    passwordHash: text("password_hash").notNull(),
    admin: flag("admin"),
    /** Whether this account's prompts and images may go into datasets exported from the instance. */
    aiDataConsent: flag("ai_data_consent"),
    /** The licence the user's dataset images carry (domain/datasets/choices.ts); "none" keeps them out. */
    datasetLicense: text("dataset_license")
      .$type<"cc0" | "cc-by" | "cc-by-nc" | "none">()
      .notNull()
      .default("cc-by"),
    /** Whether exported images name the user's handle or an anonymous id. */
    datasetAttribution: text("dataset_attribution")
      .$type<"handle" | "anonymous">()
      .notNull()
      .default("anonymous"),
    /**
     * The interface language the user chose (Mastodon's `locale` setting); null: the browser's
     * Accept-Language chooses (src/i18n/negotiate.ts). Self sign-ups start with the language they
     * signed up in.
     */
    locale: text("locale"),
    // Preferences (Mastodon's /api/v1/preferences): posting defaults for statuses that do not say…
    defaultVisibility: text("default_visibility")
      .$type<"public" | "unlisted" | "private" | "direct">()
      .notNull()
      .default("public"),
    defaultSensitive: flag("default_sensitive"),
    /** ISO 639 code; null: none (the status has no language unless it names one). */
    defaultLanguage: text("default_language"),
    // …and reading ones, which clients apply.
    expandMedia: text("expand_media")
      .$type<"default" | "show_all" | "hide_all">()
      .notNull()
      .default("default"),
    expandSpoilers: flag("expand_spoilers"),
    createdAt: createdAt(),
    lastSignInAt: timestamp("last_sign_in_at"),
    disabledAt: timestamp("disabled_at"),
    /**
     * When the e-mail address was confirmed; null: not yet (the account may not post). Users made by
     * an administrator are confirmed from the start.
     */
    confirmedAt: timestamp("confirmed_at"),
    /** sha256 of the secret in the confirmation link (the secret itself is only in the e-mail). */
    confirmationTokenHash: text("confirmation_token_hash"),
    confirmationSentAt: timestamp("confirmation_sent_at"),
    /** When an administrator approved the sign-up (or the mode needed none); null: waiting. */
    approvedAt: timestamp("approved_at"),
    /** Why the applicant wants to join (asked in `approval` mode), for the administrators. */
    signUpReason: text("sign_up_reason").notNull().default(""),
    /** When the user agreed to the instance rules at sign-up. */
    agreedAt: timestamp("agreed_at"),
    // Two-factor sign-in (domain/two-factor.ts). The secret is kept as it is (a TOTP check needs it) but
    // is shown only while it is being set up, never once two-factor sign-in is on.
    /** Base32 TOTP secret (RFC 6238) once two-factor sign-in is on; null: off. */
    otpSecret: text("otp_secret"),
    /** The secret offered on the settings page, until a code made with it turns two-factor on. */
    otpPendingSecret: text("otp_pending_secret"),
    otpEnabledAt: timestamp("otp_enabled_at"),
    /** The last TOTP time step accepted: the same code (or an older one) is not accepted again. */
    otpLastStep: bigInteger("otp_last_step"),
    /** sha256 of each unused recovery code, space-separated; one is removed when it is used. */
    otpRecoveryCodes: text("otp_recovery_codes").notNull().default(""),
    /** sha256 of the secret in the password-reset link, and when it was sent (it expires). */
    resetPasswordTokenHash: text("reset_password_token_hash"),
    resetPasswordSentAt: timestamp("reset_password_sent_at"),
    /** A new address asked for in settings; `email` stays in effect until its link is followed. */
    unconfirmedEmail: text("unconfirmed_email"),
    emailChangeTokenHash: text("email_change_token_hash"),
    emailChangeSentAt: timestamp("email_change_sent_at"),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    uniqueIndex("users_confirmation_token_unique").on(t.confirmationTokenHash),
    uniqueIndex("users_reset_password_token_unique").on(t.resetPasswordTokenHash),
    uniqueIndex("users_email_change_token_unique").on(t.emailChangeTokenHash),
  ],
);

export type User = typeof users.$inferSelect;

/**
 * The weeks in which each user signed in (web or OAuth), one row per user and week: the "logins" of
 * /api/v1/instance/activity count distinct users per week, as Mastodon's do.
 */
export const loginWeeks = sqliteTable(
  "login_weeks",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Monday 00:00 UTC of the week. */
    week: timestamp("week").notNull(),
  },
  (t) => [primaryKey({ columns: [t.week, t.accountId] })],
);
export type NewUser = typeof users.$inferInsert;

export type KeyAlgorithm = "RSASSA-PKCS1-v1_5" | "Ed25519";

/** Signing key pairs of local actors (and the instance actor), as JWK. */
export const actorKeys = sqliteTable(
  "actor_keys",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    algorithm: text("algorithm").$type<KeyAlgorithm>().notNull(),
    publicKeyJwk: text("public_key_jwk", { mode: "json" }).$type<JsonWebKey>().notNull(),
    privateKeyJwk: text("private_key_jwk", { mode: "json" }).$type<JsonWebKey>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.algorithm] })],
);

export type ActorKey = typeof actorKeys.$inferSelect;
