// POST /oauth/token and POST /oauth/revoke (RFC 6749, 7636, 7009). Clients authenticate with HTTP Basic or
// client_id/client_secret in the body; errors use OAuth's {error, error_description} shape.
import { type Context, Hono } from "hono";
import {
  authenticateClient,
  exchangeAuthorizationCode,
  type IssuedToken,
  issueClientToken,
  OAuthError,
  refreshAccessToken,
  revokeToken,
} from "../../domain/oauth.ts";
import { AppError } from "../../errors.ts";
import { readParams } from "../http.ts";
import type { ApiDeps } from "../types.ts";

function clientCredentials(c: Context, params: Record<string, unknown>) {
  const header = c.req.header("authorization");
  if (header?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString();
    const i = decoded.indexOf(":");
    if (i > 0) {
      return {
        clientId: decodeURIComponent(decoded.slice(0, i)),
        clientSecret: decodeURIComponent(decoded.slice(i + 1)),
      };
    }
  }
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  return { clientId: str(params.client_id), clientSecret: str(params.client_secret) };
}

/** Mastodon's Token entity (also the answer of POST /api/v1/accounts). */
export const tokenResponse = (t: IssuedToken) => ({
  access_token: t.accessToken,
  token_type: "Bearer",
  scope: t.scopes.join(" "),
  created_at: Math.floor(t.createdAt.getTime() / 1000),
  ...(t.refreshToken !== null ? { refresh_token: t.refreshToken } : {}),
});

export function tokenRouter(deps: ApiDeps): Hono {
  const app = new Hono();

  app.onError((error, c) => {
    c.header("Cache-Control", "no-store");
    if (error instanceof OAuthError) {
      return c.json({ error: error.error, error_description: error.message }, error.status as 400);
    }
    if (error instanceof AppError) {
      return c.json({ error: "invalid_request", error_description: error.message }, 400);
    }
    throw error;
  });

  app.post("/token", async (c) => {
    const params = await readParams(c);
    const str = (k: string) => (typeof params[k] === "string" ? (params[k] as string) : undefined);
    const { clientId, clientSecret } = clientCredentials(c, params);
    const grant = str("grant_type");
    let issued: IssuedToken;
    if (grant === "authorization_code") {
      const application = await authenticateClient(deps.db, clientId, clientSecret, {
        secretOptional: true,
      });
      const code = str("code");
      if (!code) throw new OAuthError("invalid_request", "code is required");
      issued = await exchangeAuthorizationCode(deps.db, {
        application,
        code,
        redirectUri: str("redirect_uri"),
        codeVerifier: str("code_verifier"),
        clientAuthenticated: clientSecret !== undefined,
      });
    } else if (grant === "refresh_token") {
      const application = await authenticateClient(deps.db, clientId, clientSecret, {
        secretOptional: true,
      });
      const refreshToken = str("refresh_token");
      if (!refreshToken) throw new OAuthError("invalid_request", "refresh_token is required");
      issued = await refreshAccessToken(deps.db, {
        application,
        refreshToken,
        scope: str("scope"),
      });
    } else if (grant === "client_credentials") {
      const application = await authenticateClient(deps.db, clientId, clientSecret);
      issued = await issueClientToken(deps.db, application, str("scope"));
    } else {
      throw new OAuthError(
        "unsupported_grant_type",
        "Supported grant types: authorization_code, refresh_token, client_credentials",
      );
    }
    c.header("Cache-Control", "no-store");
    return c.json(tokenResponse(issued));
  });

  app.post("/revoke", async (c) => {
    const params = await readParams(c);
    const { clientId, clientSecret } = clientCredentials(c, params);
    const application = await authenticateClient(deps.db, clientId, clientSecret);
    const token = typeof params.token === "string" ? params.token : "";
    if (token === "") throw new OAuthError("invalid_request", "token is required");
    await revokeToken(deps.db, application, token);
    return c.json({});
  });

  return app;
}
