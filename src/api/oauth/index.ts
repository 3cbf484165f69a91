// The OAuth 2 door: /oauth (authorize, token, revoke) and the RFC 8414 discovery document.
import { Hono } from "hono";
import { SUPPORTED_SCOPES } from "../../domain/scopes.ts";
import type { ApiDeps } from "../types.ts";
import { authorizeRouter } from "./authorize.ts";
import { tokenRouter } from "./token.ts";

export function oauthRouter(deps: ApiDeps): Hono {
  const app = new Hono();
  app.route("/authorize", authorizeRouter(deps));
  app.route("/", tokenRouter(deps));
  return app;
}

/** GET /.well-known/oauth-authorization-server */
export function oauthMetadata(deps: ApiDeps) {
  const u = (path: string) => new URL(path, deps.config.origin).href;
  return {
    issuer: u("/"),
    service_documentation: "https://docs.joinmastodon.org/",
    authorization_endpoint: u("/oauth/authorize"),
    token_endpoint: u("/oauth/token"),
    revocation_endpoint: u("/oauth/revoke"),
    app_registration_endpoint: u("/api/v1/apps"),
    scopes_supported: SUPPORTED_SCOPES,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "client_credentials", "refresh_token"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    code_challenge_methods_supported: ["S256"],
  };
}
