// Signing up as an app does (POST /api/v1/accounts with a client_credentials token) and reading the
// e-mails an instance without SMTP_URL writes to DATA_DIR/mail.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { call } from "./factories.ts";
import type { TestInstance } from "./instance.ts";

/** An app registered on `instance` and its client_credentials token. */
export async function appToken(instance: Pick<TestInstance, "app">, scopes = "read write follow") {
  const app = await call(instance, "POST", "/api/v1/apps", {
    body: { client_name: "Sign-up client", redirect_uris: "urn:ietf:wg:oauth:2.0:oob", scopes },
  });
  const token = await call(instance, "POST", "/oauth/token", {
    body: {
      grant_type: "client_credentials",
      client_id: app.json.client_id,
      client_secret: app.json.client_secret,
      scope: scopes,
    },
  });
  return token.json.access_token as string;
}

/** The .eml files written so far, oldest first, as text. */
export function mailFiles(instance: Pick<TestInstance, "config">): string[] {
  const dir = join(instance.config.dataDir, "mail");
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".eml"));
  } catch {
    return [];
  }
  return names.sort().map((n) => readFileSync(join(dir, n), "utf8"));
}

/** The confirmation link's token in an e-mail (plain-text part, quoted-printable undone). */
export function confirmationToken(eml: string): string {
  const unfolded = eml.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const m = /\/auth\/confirmation\?token=([A-Za-z0-9_-]+)/.exec(unfolded);
  if (m === null) throw new Error(`No confirmation link in:\n${eml}`);
  return m[1]!;
}

/** The token of the first link to `path` in an e-mail (quoted-printable undone), or null. */
export function linkToken(eml: string, path: string): string | null {
  const unfolded = eml.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const escaped = path.replace(/[/.]/g, "\\$&");
  return new RegExp(`${escaped}\\?token=([A-Za-z0-9_-]+)`).exec(unfolded)?.[1] ?? null;
}
