// OAuth 2 for the Mastodon client API: registered client applications, authorization codes (with PKCE) and
// access tokens. Secrets, codes and tokens are stored only as SHA-256 hashes, so a leaked database does not
// leak working credentials.
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, id, timestamp } from "./columns.ts";

export const oauthApplications = sqliteTable(
  "oauth_applications",
  {
    id: id(),
    name: text("name").notNull(),
    website: text("website"),
    /** Registered redirect URIs (exact match required), `urn:ietf:wg:oauth:2.0:oob` included if asked. */
    redirectUris: text("redirect_uris", { mode: "json" }).$type<string[]>().notNull(),
    /** Space-separated scopes the application may ask for. */
    scopes: text("scopes").notNull(),
    clientId: text("client_id").notNull(),
    clientSecretHash: text("client_secret_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("oauth_applications_client_id_unique").on(t.clientId)],
);

export type OAuthApplication = typeof oauthApplications.$inferSelect;

export const oauthAuthorizationCodes = sqliteTable(
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
    /** PKCE (RFC 7636), S256 only. */
    codeChallenge: text("code_challenge"),
    expiresAt: timestamp("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("oauth_authorization_codes_expiry_idx").on(t.expiresAt)],
);

export const oauthAccessTokens = sqliteTable(
  "oauth_access_tokens",
  {
    id: id(),
    tokenHash: text("token_hash").notNull(),
    refreshTokenHash: text("refresh_token_hash"),
    /** null for tokens made with the admin CLI. */
    applicationId: text("application_id").references(() => oauthApplications.id, {
      onDelete: "cascade",
    }),
    /** null for client_credentials tokens (the application acting for itself). */
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

export type OAuthAccessToken = typeof oauthAccessTokens.$inferSelect;
