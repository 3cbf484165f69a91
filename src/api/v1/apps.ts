// POST /api/v1/apps (register a client application) and GET /api/v1/apps/verify_credentials.
import { Hono } from "hono";
import { z } from "zod";
import type { OAuthApplication } from "../../db/schema/index.ts";
import { registerApplication } from "../../domain/oauth.ts";
import { AppError } from "../../errors.ts";
import { parseParams } from "../http.ts";
import { requireScope } from "../middleware.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

const registerParams = z.object({
  client_name: z.string({ error: "can't be blank" }),
  redirect_uris: z.union([z.string(), z.array(z.string())], { error: "can't be blank" }),
  scopes: z.string().optional(),
  website: z.string().optional().nullable(),
});

export function toApiApplication(app: OAuthApplication) {
  return {
    id: app.id,
    name: app.name,
    website: app.website,
    scopes: app.scopes.split(" "),
    redirect_uri: app.redirectUris.join("\n"),
    redirect_uris: app.redirectUris,
    // Deprecated but still read by older clients for Web Push.
    vapid_key: "",
  };
}

export function appsRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post("/", async (c) => {
    const p = await parseParams(c, registerParams);
    const uris = Array.isArray(p.redirect_uris) ? p.redirect_uris : p.redirect_uris.split(/\s+/);
    const { application, clientSecret } = await registerApplication(deps.db, {
      name: p.client_name,
      redirectUris: uris,
      scopes: p.scopes ?? null,
      website: p.website ?? null,
    });
    return c.json({
      ...toApiApplication(application),
      client_id: application.clientId,
      client_secret: clientSecret,
      client_secret_expires_at: 0,
    });
  });

  app.get("/verify_credentials", requireScope(null, { allowAppToken: true }), (c) => {
    const application = c.get("auth")?.application;
    if (!application) throw new AppError("unauthorized", "The access token is invalid");
    return c.json(toApiApplication(application));
  });

  return app;
}
