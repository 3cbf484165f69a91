// PostgreSQL's OAuth applications, authorization codes and access tokens: the tables of
// src/db/schema/oauth.ts (secrets, codes and tokens stored only as SHA-256 hashes there as here).
import { index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";

export const oauthApplications = pgTable(
  "oauth_applications",
  {
    id: id(),
    name: text("name").notNull(),
    website: text("website"),
    redirectUris: jsonb("redirect_uris").$type<string[]>().notNull(),
    scopes: text("scopes").notNull(),
    clientId: text("client_id").notNull(),
    clientSecretHash: text("client_secret_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("oauth_applications_client_id_unique").on(t.clientId)],
);

export const oauthAuthorizationCodes = pgTable(
  "oauth_authorization_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    applicationId: text("application_id")
      .notNull()
      .references(() => oauthApplications.id, { onDelete: "cascade" }),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    redirectUri: text("redirect_uri").notNull(),
    scopes: text("scopes").notNull(),
    codeChallenge: text("code_challenge"),
    expiresAt: timestamp("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("oauth_authorization_codes_expiry_idx").on(t.expiresAt)],
);

export const oauthAccessTokens = pgTable(
  "oauth_access_tokens",
  {
    id: id(),
    tokenHash: text("token_hash").notNull(),
    refreshTokenHash: text("refresh_token_hash"),
    applicationId: text("application_id").references(() => oauthApplications.id, {
      onDelete: "cascade",
    }),
    accountId: text("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    scopes: text("scopes").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at"),
    revokedAt: timestamp("revoked_at"),
  },
  (t) => [
    uniqueIndex("oauth_access_tokens_token_unique").on(t.tokenHash),
    uniqueIndex("oauth_access_tokens_refresh_unique").on(t.refreshTokenHash),
    index("oauth_access_tokens_account_idx").on(t.accountId),
  ],
);
