// PostgreSQL's accounts, users, login weeks and actor keys: the tables of src/db/schema/accounts.ts, whose
// comments say what each column holds.
import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { ActorType, CustomEmoji, KeyAlgorithm, ProfileField } from "../../schema/accounts.ts";
import { counter, createdAt, flag, id, timestamp } from "./columns.ts";

export const accounts = pgTable(
  "accounts",
  {
    id: id(),
    username: text("username").notNull(),
    domain: text("domain"),
    iri: text("iri").notNull(),
    url: text("url"),
    type: text("type").$type<ActorType>().notNull().default("Person"),
    displayName: text("display_name").notNull().default(""),
    note: text("note").notNull().default(""),
    avatarUrl: text("avatar_url"),
    headerUrl: text("header_url"),
    avatarMediaId: text("avatar_media_id"),
    headerMediaId: text("header_media_id"),
    inboxUrl: text("inbox_url"),
    sharedInboxUrl: text("shared_inbox_url"),
    outboxUrl: text("outbox_url"),
    followersUrl: text("followers_url"),
    followingUrl: text("following_url"),
    featuredUrl: text("featured_url"),
    featuredTagsUrl: text("featured_tags_url"),
    locked: flag("locked"),
    bot: flag("bot"),
    discoverable: flag("discoverable"),
    indexable: flag("indexable"),
    fields: jsonb("fields").$type<ProfileField[]>().notNull().default(sql`'[]'::jsonb`),
    emojis: jsonb("emojis").$type<CustomEmoji[]>().notNull().default(sql`'[]'::jsonb`),
    alsoKnownAs: jsonb("also_known_as").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    movedToAccountId: text("moved_to_account_id"),
    followersCount: counter("followers_count"),
    followingCount: counter("following_count"),
    statusesCount: counter("statuses_count"),
    lastStatusAt: timestamp("last_status_at"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at"),
    fetchedAt: timestamp("fetched_at"),
    suspendedAt: timestamp("suspended_at"),
    deletedAt: timestamp("deleted_at"),
  },
  (t) => [
    uniqueIndex("accounts_iri_unique").on(t.iri),
    uniqueIndex("accounts_local_username_unique")
      .on(sql`lower(${t.username})`)
      .where(sql`${t.domain} is null`),
    uniqueIndex("accounts_remote_handle_unique")
      .on(sql`lower(${t.username})`, t.domain)
      .where(sql`${t.domain} is not null`),
    index("accounts_domain_idx").on(t.domain),
  ],
);

export const users = pgTable(
  "users",
  {
    accountId: text("account_id")
      .primaryKey()
      .references(() => accounts.id, { onDelete: "cascade" }),
    email: text("email"),
    passwordHash: text("password_hash").notNull(),
    admin: flag("admin"),
    aiDataConsent: flag("ai_data_consent"),
    locale: text("locale").notNull().default("en"),
    defaultVisibility: text("default_visibility")
      .$type<"public" | "unlisted" | "private" | "direct">()
      .notNull()
      .default("public"),
    defaultSensitive: flag("default_sensitive"),
    defaultLanguage: text("default_language"),
    expandMedia: text("expand_media")
      .$type<"default" | "show_all" | "hide_all">()
      .notNull()
      .default("default"),
    expandSpoilers: flag("expand_spoilers"),
    createdAt: createdAt(),
    lastSignInAt: timestamp("last_sign_in_at"),
    disabledAt: timestamp("disabled_at"),
  },
  (t) => [uniqueIndex("users_email_unique").on(sql`lower(${t.email})`)],
);

export const loginWeeks = pgTable(
  "login_weeks",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    week: timestamp("week").notNull(),
  },
  (t) => [primaryKey({ columns: [t.week, t.accountId] })],
);

export const actorKeys = pgTable(
  "actor_keys",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    algorithm: text("algorithm").$type<KeyAlgorithm>().notNull(),
    publicKeyJwk: jsonb("public_key_jwk").$type<JsonWebKey>().notNull(),
    privateKeyJwk: jsonb("private_key_jwk").$type<JsonWebKey>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.algorithm] })],
);
