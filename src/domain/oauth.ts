// OAuth 2 authorization server rules: registering client applications, issuing authorization codes
// (PKCE S256), exchanging them for tokens, refreshing, revoking and resolving bearer tokens. Every secret
// is random (256 bits), shown once and stored as its SHA-256 hash.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { preparedPerHandle } from "../db/prepared.ts";
import { returned } from "../db/returned.ts";
import {
  accounts,
  type OAuthAccessToken,
  type OAuthApplication,
  oauthAccessTokens,
  oauthApplications,
  oauthAuthorizationCodes,
  users,
} from "../db/schema/index.ts";
import { AppError, unprocessable } from "../errors.ts";
import { parseScopes, scopesWithin } from "./scopes.ts";

export const OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob";
/** Authorization codes are single-use and short-lived (RFC 6749 recommends at most 10 minutes). */
export const AUTHORIZATION_CODE_TTL_MS = 10 * 60 * 1000;

export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const secret = () => randomBytes(32).toString("base64url");

/** An OAuth protocol error (RFC 6749 §5.2): the token endpoint answers `{error, error_description}`. */
export class OAuthError extends Error {
  readonly error: string;
  readonly status: number;
  constructor(error: string, description: string, status = 400) {
    super(description);
    this.name = "OAuthError";
    this.error = error;
    this.status = status;
  }
}

export interface RegisterApplicationInput {
  name: string;
  redirectUris: string[];
  scopes?: string | null;
  website?: string | null;
}

function validRedirectUri(uri: string): boolean {
  if (uri === OOB_REDIRECT_URI) return true;
  try {
    const url = new URL(uri);
    // Custom schemes (com.example.app:/callback) are how mobile apps receive the code; fragments are
    // forbidden by RFC 6749 §3.1.2.
    return url.hash === "" && !["javascript:", "data:", "file:"].includes(url.protocol);
  } catch {
    return false;
  }
}

/** Registers a client application; returns it with its client secret in clear (shown only now). */
export async function registerApplication(
  db: DatabaseLike,
  input: RegisterApplicationInput,
): Promise<{ application: OAuthApplication; clientSecret: string }> {
  const details: Record<string, { error: string; description: string }[]> = {};
  const name = input.name.trim();
  if (name === "") details.client_name = [{ error: "ERR_BLANK", description: "can't be blank" }];
  if (name.length > 60) {
    details.client_name = [{ error: "ERR_TOO_LONG", description: "is too long (60 max)" }];
  }
  const redirectUris = [...new Set(input.redirectUris.map((u) => u.trim()).filter((u) => u))];
  if (redirectUris.length === 0) {
    details.redirect_uris = [{ error: "ERR_BLANK", description: "can't be blank" }];
  } else if (!redirectUris.every(validRedirectUri) || redirectUris.some((u) => u.length > 2000)) {
    details.redirect_uris = [{ error: "ERR_INVALID", description: "must be absolute URIs" }];
  }
  const website = input.website?.trim() || null;
  if (website !== null && !/^https?:\/\//i.test(website)) {
    details.website = [{ error: "ERR_INVALID", description: "is not a valid URL" }];
  }
  if (Object.keys(details).length > 0) {
    const fields = Object.keys(details).join(", ");
    throw unprocessable(`Validation failed: ${fields} invalid`, details);
  }
  const scopes = parseScopes(input.scopes);
  const clientSecret = secret();
  const application = returned(
    await db
      .insert(oauthApplications)
      .values({
        id: newId(),
        name,
        website,
        redirectUris,
        scopes: scopes.join(" "),
        clientId: secret(),
        clientSecretHash: sha256(clientSecret),
      })
      .returning(),
  );
  return { application, clientSecret };
}

export async function findApplicationByClientId(
  db: DatabaseLike,
  clientId: string,
): Promise<OAuthApplication | undefined> {
  return (
    await db
      .select()
      .from(oauthApplications)
      .where(eq(oauthApplications.clientId, clientId))
      .limit(1)
  )[0];
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The application whose id and secret these are, or an `invalid_client` error. */
export async function authenticateClient(
  db: DatabaseLike,
  clientId: string | undefined,
  clientSecret: string | undefined,
  options: { secretOptional?: boolean } = {},
): Promise<OAuthApplication> {
  const app = clientId ? await findApplicationByClientId(db, clientId) : undefined;
  if (app === undefined) {
    throw new OAuthError("invalid_client", "Client authentication failed: unknown client", 401);
  }
  if (clientSecret === undefined && options.secretOptional) return app;
  if (clientSecret === undefined || !sameHash(sha256(clientSecret), app.clientSecretHash)) {
    throw new OAuthError("invalid_client", "Client authentication failed: wrong secret", 401);
  }
  return app;
}

export interface AuthorizationRequest {
  application: OAuthApplication;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  codeChallenge: string | null;
}

/**
 * Validates the query of /oauth/authorize. Problems with the client or redirect URI must not redirect
 * (RFC 6749 §4.1.2.1), so they throw AppError; the rest are answered to the client's redirect URI.
 */
export async function validateAuthorizationRequest(
  db: DatabaseLike,
  query: Record<string, string | undefined>,
): Promise<AuthorizationRequest> {
  const application = query.client_id
    ? await findApplicationByClientId(db, query.client_id)
    : undefined;
  if (application === undefined) {
    throw new AppError("bad_request", "Client authentication failed due to unknown client.");
  }
  const redirectUri =
    query.redirect_uri ??
    (application.redirectUris.length === 1 ? application.redirectUris[0] : undefined);
  if (redirectUri === undefined || !application.redirectUris.includes(redirectUri)) {
    throw new AppError(
      "bad_request",
      "The redirect URI included is not valid: it must be one the application registered.",
    );
  }
  if ((query.response_type ?? "code") !== "code") {
    throw new AppError("bad_request", "The authorization server only supports response_type=code.");
  }
  let scopes: string[];
  try {
    scopes = parseScopes(query.scope, application.scopes);
  } catch {
    throw new AppError("bad_request", "The requested scope is invalid or unknown.");
  }
  if (!scopesWithin(scopes, application.scopes.split(" "))) {
    throw new AppError(
      "bad_request",
      "The requested scope exceeds what the application registered.",
    );
  }
  let codeChallenge: string | null = null;
  if (query.code_challenge !== undefined && query.code_challenge !== "") {
    if ((query.code_challenge_method ?? "plain") !== "S256") {
      throw new AppError("bad_request", "Only the S256 code challenge method is supported.");
    }
    if (!/^[A-Za-z0-9_-]{43}$/.test(query.code_challenge)) {
      throw new AppError("bad_request", "The code challenge must be a base64url SHA-256 digest.");
    }
    codeChallenge = query.code_challenge;
  }
  return { application, redirectUri, scopes, state: query.state ?? null, codeChallenge };
}

/** Issues a single-use authorization code for an approved request; returns it in clear. */
export async function issueAuthorizationCode(
  db: DatabaseLike,
  request: AuthorizationRequest,
  accountId: string,
  now = new Date(),
): Promise<string> {
  const code = secret();
  await db.delete(oauthAuthorizationCodes).where(lt(oauthAuthorizationCodes.expiresAt, now));
  await db.insert(oauthAuthorizationCodes).values({
    codeHash: sha256(code),
    applicationId: request.application.id,
    accountId,
    redirectUri: request.redirectUri,
    scopes: request.scopes.join(" "),
    codeChallenge: request.codeChallenge,
    expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_TTL_MS),
  });
  return code;
}

export interface IssuedToken {
  accessToken: string;
  refreshToken: string | null;
  scopes: string[];
  createdAt: Date;
  row: OAuthAccessToken;
}

/** Creates an access token (and, for user tokens, a refresh token). */
export async function issueAccessToken(
  db: DatabaseLike,
  input: { applicationId: string | null; accountId: string | null; scopes: string[] },
): Promise<IssuedToken> {
  const accessToken = secret();
  const refreshToken = input.accountId !== null && input.applicationId !== null ? secret() : null;
  const row = returned(
    await db
      .insert(oauthAccessTokens)
      .values({
        id: newId(),
        tokenHash: sha256(accessToken),
        refreshTokenHash: refreshToken === null ? null : sha256(refreshToken),
        applicationId: input.applicationId,
        accountId: input.accountId,
        scopes: input.scopes.join(" "),
      })
      .returning(),
  );
  return { accessToken, refreshToken, scopes: input.scopes, createdAt: row.createdAt, row };
}

/** grant_type=authorization_code: checks the code, its redirect URI and PKCE verifier; single use. */
export async function exchangeAuthorizationCode(
  db: Database,
  input: {
    application: OAuthApplication;
    code: string;
    redirectUri: string | undefined;
    codeVerifier: string | undefined;
    clientAuthenticated: boolean;
  },
  now = new Date(),
): Promise<IssuedToken> {
  // Consuming the code first (an atomic DELETE … RETURNING) makes it single-use, even when the exchange
  // then fails: a stolen code cannot be retried with guessed verifiers.
  const row = (
    await db
      .delete(oauthAuthorizationCodes)
      .where(eq(oauthAuthorizationCodes.codeHash, sha256(input.code)))
      .returning()
  )[0];
  if (row === undefined || row.applicationId !== input.application.id || row.expiresAt < now) {
    throw new OAuthError("invalid_grant", "The authorization code is invalid, expired or used.");
  }
  if (input.redirectUri !== undefined && input.redirectUri !== row.redirectUri) {
    throw new OAuthError("invalid_grant", "The redirect URI does not match the authorization.");
  }
  if (row.codeChallenge !== null) {
    const verifier = input.codeVerifier ?? "";
    const digest = createHash("sha256").update(verifier).digest("base64url");
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !sameHash(digest, row.codeChallenge)) {
      throw new OAuthError("invalid_grant", "The PKCE code verifier does not match.");
    }
  } else if (!input.clientAuthenticated) {
    // Without PKCE, the client secret is what proves the caller is the client.
    throw new OAuthError("invalid_client", "Client authentication failed: secret required", 401);
  }
  return await issueAccessToken(db, {
    applicationId: row.applicationId,
    accountId: row.accountId,
    scopes: row.scopes.split(" "),
  });
}

/** grant_type=refresh_token: rotates the pair (the old access and refresh tokens stop working). */
export async function refreshAccessToken(
  db: Database,
  input: { application: OAuthApplication; refreshToken: string; scope?: string | undefined },
): Promise<IssuedToken> {
  return await db.transaction(async (tx) => {
    const row = (
      await tx
        .select()
        .from(oauthAccessTokens)
        .where(eq(oauthAccessTokens.refreshTokenHash, sha256(input.refreshToken)))
        .limit(1)
    )[0];
    if (row === undefined || row.revokedAt !== null || row.applicationId !== input.application.id) {
      throw new OAuthError("invalid_grant", "The refresh token is invalid or revoked.");
    }
    let scopes = row.scopes.split(" ");
    if (input.scope !== undefined && input.scope.trim() !== "") {
      const narrower = parseScopesOrOAuthError(input.scope);
      if (!scopesWithin(narrower, scopes)) {
        throw new OAuthError("invalid_scope", "A refreshed token cannot gain scopes.");
      }
      scopes = narrower;
    }
    await tx
      .update(oauthAccessTokens)
      .set({ revokedAt: new Date() })
      .where(eq(oauthAccessTokens.id, row.id));
    return await issueAccessToken(tx, {
      applicationId: row.applicationId,
      accountId: row.accountId,
      scopes,
    });
  });
}

export function parseScopesOrOAuthError(scope: string | undefined, fallback = "read"): string[] {
  try {
    return parseScopes(scope, fallback);
  } catch {
    throw new OAuthError("invalid_scope", "The requested scope is invalid or unknown.");
  }
}

/** grant_type=client_credentials: a token for the application itself, with no account. */
export async function issueClientToken(
  db: DatabaseLike,
  application: OAuthApplication,
  scope: string | undefined,
): Promise<IssuedToken> {
  const scopes = parseScopesOrOAuthError(scope);
  if (!scopesWithin(scopes, application.scopes.split(" "))) {
    throw new OAuthError("invalid_scope", "The requested scope exceeds the application's scopes.");
  }
  return await issueAccessToken(db, { applicationId: application.id, accountId: null, scopes });
}

/**
 * Revokes an access or refresh token of this application (RFC 7009). Unknown tokens are not an error:
 * the answer must not reveal whether a token existed.
 */
export async function revokeToken(
  db: DatabaseLike,
  application: OAuthApplication,
  token: string,
): Promise<void> {
  const hash = sha256(token);
  for (const column of [oauthAccessTokens.tokenHash, oauthAccessTokens.refreshTokenHash]) {
    await db
      .update(oauthAccessTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(column, hash),
          eq(oauthAccessTokens.applicationId, application.id),
          isNull(oauthAccessTokens.revokedAt),
        ),
      );
  }
}

export interface ResolvedToken {
  token: OAuthAccessToken;
  application: OAuthApplication | null;
  scopes: string[];
  /**
   * What a user's new account still waits for: its e-mail address confirmed, or an administrator's
   * approval. Such a token is valid (the app that signed up holds it) but acts for no one yet.
   */
  pending: "confirmation" | "approval" | null;
}

// Prepared once: every authenticated API request resolves its token.
const tokenByHash = preparedPerHandle((db) =>
  db
    .select({ token: oauthAccessTokens, application: oauthApplications })
    .from(oauthAccessTokens)
    .leftJoin(oauthApplications, eq(oauthApplications.id, oauthAccessTokens.applicationId))
    .where(eq(oauthAccessTokens.tokenHash, sql.placeholder("hash")))
    .prepare(),
);

// A token of a disabled user or a suspended account answers as if it did not exist (401); it is kept, so
// lifting a suspension brings it back, as Mastodon does.
const userStanding = preparedPerHandle((db) =>
  db
    .select({
      disabledAt: users.disabledAt,
      suspendedAt: accounts.suspendedAt,
      confirmedAt: users.confirmedAt,
      approvedAt: users.approvedAt,
    })
    .from(users)
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .where(eq(users.accountId, sql.placeholder("account")))
    .prepare(),
);

/**
 * The live token a bearer string names, or undefined (unknown, revoked, its user disabled or its account
 * suspended).
 */
export async function resolveAccessToken(
  db: DatabaseLike,
  bearer: string,
): Promise<ResolvedToken | undefined> {
  const row = await tokenByHash(db).get({ hash: sha256(bearer) });
  if (row === undefined || row.token.revokedAt !== null) return undefined;
  let pending: ResolvedToken["pending"] = null;
  if (row.token.accountId !== null) {
    const user = await userStanding(db).get({ account: row.token.accountId });
    if (user === undefined || user.disabledAt !== null || user.suspendedAt !== null)
      return undefined;
    pending =
      user.confirmedAt === null ? "confirmation" : user.approvedAt === null ? "approval" : null;
  }
  return {
    token: row.token,
    application: row.application,
    scopes: row.token.scopes.split(" "),
    pending,
  };
}
