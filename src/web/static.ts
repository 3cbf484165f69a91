// Static assets of the pages (CSS, JS, icons) served under content-hashed names with a one-year immutable
// cache: a changed file gets a new name, so browsers never use a stale one.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { Hono } from "hono";

const staticDir = join(import.meta.dirname, "static");

const contentTypes: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/** The stylesheet's page colours in one theme (its `--bg` and `--surface` custom properties). */
export interface ThemeColours {
  background: string;
  surface: string;
}

export interface StaticAssets {
  /** The hashed URL path of an asset by its file name, e.g. "app.css" → "/static/app.3f2a….css". */
  url(name: string): string;
  /** The served bytes of an asset by its file name. */
  body(name: string): Uint8Array;
  /** app.css's colours, light and dark: the web app manifest and the theme-color meta repeat them. */
  theme: { light: ThemeColours; dark: ThemeColours };
  mount(app: Hono<never>): void;
}

interface Asset {
  body: Uint8Array;
  type: string;
  etag: string;
}

/** Reads and hashes every file in src/web/static once, at startup. */
export function loadStaticAssets(): StaticAssets {
  const byHashedName = new Map<string, Asset>();
  const urlByName = new Map<string, string>();
  let theme: StaticAssets["theme"] | undefined;
  for (const name of readdirSync(staticDir)) {
    const ext = extname(name);
    const type = contentTypes[ext];
    if (type === undefined) continue;
    const raw = readFileSync(join(staticDir, name));
    if (name === "app.css") theme = themeColours(raw.toString("utf8"));
    // The stylesheet's comments and indentation are for its readers, not for every page view's bytes.
    const body = new Uint8Array(
      ext === ".css" ? Buffer.from(compactCss(raw.toString("utf8"))) : raw,
    );
    const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
    const hashed = `${name.slice(0, -ext.length)}.${hash}${ext}`;
    byHashedName.set(hashed, { body, type, etag: `"${hash}"` });
    urlByName.set(name, `/static/${hashed}`);
  }
  if (theme === undefined) throw new Error("src/web/static has no app.css");
  const url = (name: string): string => {
    const hashed = urlByName.get(name);
    if (hashed === undefined) throw new Error(`No static asset named ${name}`);
    return hashed;
  };
  return {
    url,
    body: (name) => byHashedName.get(url(name).slice("/static/".length))!.body,
    theme,
    mount(app) {
      app.get("/static/:file", (c) => {
        const asset = byHashedName.get(c.req.param("file"));
        if (asset === undefined) return c.text("Not found", 404);
        const headers = {
          "Content-Type": asset.type,
          "Cache-Control": "public, max-age=31536000, immutable",
          ETag: asset.etag,
          "X-Content-Type-Options": "nosniff",
        };
        if (c.req.header("if-none-match") === asset.etag) {
          return c.body(null, 304, headers);
        }
        return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, headers);
      });
    },
  };
}

/** CSS without comments and leading whitespace (app.css puts no comment marker inside a string). */
export function compactCss(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\n\s+/g, "\n");
}

/**
 * The light theme's colours from app.css's first `:root` block and the dark theme's from the `:root`
 * inside `@media (prefers-color-scheme: dark)`, so the stylesheet stays their one source.
 */
export function themeColours(css: string): { light: ThemeColours; dark: ThemeColours } {
  const light = /:root\s*\{([^}]*)\}/.exec(css)?.[1];
  const dark = /@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)?.[1];
  const colour = (block: string | undefined, property: string): string => {
    const value =
      block && new RegExp(`${property}:\\s*(#[0-9a-f]{3,8})\\s*;`, "i").exec(block)?.[1];
    if (!value) throw new Error(`app.css sets no ${property} colour in each theme`);
    return value;
  };
  return {
    light: { background: colour(light, "--bg"), surface: colour(light, "--surface") },
    dark: { background: colour(dark, "--bg"), surface: colour(dark, "--surface") },
  };
}
