// What a local user is signed in with: browser sessions and OAuth grants (access tokens and pending
// authorization codes). Listing them for the settings page, ending one, and ending them all when the
// password changes or the account is suspended, so a stolen session or token dies with the old password.
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, isNull, ne } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { changedRows } from "../db/dialect.ts";
import {
  oauthAccessTokens,
  oauthApplications,
  oauthAuthorizationCodes,
  webSessions,
} from "../db/schema/index.ts";
import { notFound } from "../errors.ts";

/**
 * A session's public id for the settings page: derived from the stored token hash, so the page never
 * shows the hash itself (which is what a cookie is checked against).
 */
export const sessionPublicId = (tokenHash: string) =>
  createHash("sha256").update(`session-id:${tokenHash}`).digest("hex").slice(0, 32);

/** Ends every browser session of an account but the one whose token hash is `keepTokenHash`. */
export async function endWebSessions(
  db: DatabaseLike,
  accountId: string,
  keepTokenHash?: string,
): Promise<number> {
  const where = and(
    eq(webSessions.accountId, accountId),
    keepTokenHash === undefined ? undefined : ne(webSessions.tokenHash, keepTokenHash),
  );
  return changedRows(await db.delete(webSessions).where(where));
}

/**
 * Revokes the account's OAuth access tokens (refresh tokens with them) and drops its pending
 * authorization codes; only those of one application when `applicationId` is given.
 */
export async function revokeOAuthGrants(
  db: DatabaseLike,
  accountId: string,
  applicationId?: string,
  now = new Date(),
): Promise<number> {
  const app = (column: typeof oauthAccessTokens.applicationId) =>
    applicationId === undefined ? undefined : eq(column, applicationId);
  await db
    .delete(oauthAuthorizationCodes)
    .where(
      and(
        eq(oauthAuthorizationCodes.accountId, accountId),
        applicationId === undefined
          ? undefined
          : eq(oauthAuthorizationCodes.applicationId, applicationId),
      ),
    );
  return changedRows(
    await db
      .update(oauthAccessTokens)
      .set({ revokedAt: now })
      .where(
        and(
          eq(oauthAccessTokens.accountId, accountId),
          isNull(oauthAccessTokens.revokedAt),
          app(oauthAccessTokens.applicationId),
        ),
      ),
  );
}

/**
 * Ends everything an account is signed in with: all OAuth grants and every web session except the one
 * kept (the session that changed its own password stays signed in).
 */
export async function endAllCredentials(
  db: DatabaseLike,
  accountId: string,
  keepTokenHash?: string,
): Promise<void> {
  await endWebSessions(db, accountId, keepTokenHash);
  await revokeOAuthGrants(db, accountId);
}

export interface WebSessionSummary {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string;
  ip: string;
  current: boolean;
}

/** The account's live browser sessions, most recently used first; `current` marks the viewer's. */
export async function listWebSessions(
  db: DatabaseLike,
  accountId: string,
  currentTokenHash: string,
  now = new Date(),
): Promise<WebSessionSummary[]> {
  return (
    await db
      .select()
      .from(webSessions)
      .where(and(eq(webSessions.accountId, accountId), gt(webSessions.expiresAt, now)))
      .orderBy(desc(webSessions.lastSeenAt))
  ).map((s) => ({
    id: sessionPublicId(s.tokenHash),
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    userAgent: s.userAgent,
    ip: s.ip,
    current: s.tokenHash === currentTokenHash,
  }));
}

/** Ends one of the account's sessions by its public id; not found if it is not the account's. */
export async function endWebSessionById(
  db: DatabaseLike,
  accountId: string,
  id: string,
): Promise<void> {
  const rows = await db
    .select({ tokenHash: webSessions.tokenHash })
    .from(webSessions)
    .where(eq(webSessions.accountId, accountId));
  const row = rows.find((r) => sessionPublicId(r.tokenHash) === id);
  if (row === undefined) throw notFound("That session has already ended.");
  await db.delete(webSessions).where(eq(webSessions.tokenHash, row.tokenHash));
}

export interface AuthorizedApplication {
  id: string;
  name: string;
  website: string | null;
  /** Every scope a live token of this application holds for the account. */
  scopes: string[];
  /** When the oldest live token was issued. */
  authorizedAt: Date;
  lastUsedAt: Date | null;
}

/** The OAuth applications holding live tokens for the account, the most recently authorized first. */
export async function listAuthorizedApplications(
  db: DatabaseLike,
  accountId: string,
): Promise<AuthorizedApplication[]> {
  const rows = await db
    .select({ token: oauthAccessTokens, application: oauthApplications })
    .from(oauthAccessTokens)
    .innerJoin(oauthApplications, eq(oauthApplications.id, oauthAccessTokens.applicationId))
    .where(and(eq(oauthAccessTokens.accountId, accountId), isNull(oauthAccessTokens.revokedAt)))
    .orderBy(asc(oauthAccessTokens.createdAt));
  const byApp = new Map<string, AuthorizedApplication>();
  for (const { token, application } of rows) {
    const seen = byApp.get(application.id);
    const scopes = token.scopes.split(" ");
    if (seen === undefined) {
      byApp.set(application.id, {
        id: application.id,
        name: application.name,
        website: application.website,
        scopes,
        authorizedAt: token.createdAt,
        lastUsedAt: token.lastUsedAt,
      });
      continue;
    }
    seen.scopes = [...new Set([...seen.scopes, ...scopes])];
    if (token.lastUsedAt !== null && (seen.lastUsedAt ?? 0) < token.lastUsedAt) {
      seen.lastUsedAt = token.lastUsedAt;
    }
  }
  return [...byApp.values()].sort((a, b) => b.authorizedAt.getTime() - a.authorizedAt.getTime());
}

/** Revokes every token (and pending code) one application holds for the account. */
export async function revokeApplication(
  db: DatabaseLike,
  accountId: string,
  applicationId: string,
): Promise<void> {
  if ((await revokeOAuthGrants(db, accountId, applicationId)) === 0) {
    throw notFound("That application has no access to revoke.");
  }
}
