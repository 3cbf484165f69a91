// The web app manifest (installing the site as an app: its name, colours and icons) and its PNG icons,
// drawn from favicon.svg by sharp on the first request for each size and kept in memory, so that
// starting the server loads no image library.
import type { Hono } from "hono";
import { svgIcon } from "../media/icons.ts";
import type { WebEnv } from "./context.ts";
import type { WebRouterDeps } from "./deps.ts";

/** The icon sizes the manifest lists (the two that install prompts ask for). */
export const ICON_SIZES = [192, 512] as const;
const ICON_SOURCE = "favicon.svg";
/** Launchers show a dozen characters under an icon; longer names are cut at a word. */
const SHORT_NAME_MAX = 12;

export function iconPath(size: number): string {
  return `/icons/${size}.png`;
}

function shortName(name: string): string {
  if (name.length <= SHORT_NAME_MAX) return name;
  const firstWord = name.split(/\s+/)[0]!;
  return firstWord.slice(0, SHORT_NAME_MAX);
}

export function manifestRoutes(web: Hono<WebEnv>, deps: Pick<WebRouterDeps, "config" | "assets">) {
  const { config, assets } = deps;
  const manifest = JSON.stringify({
    name: config.instanceName,
    short_name: shortName(config.instanceName),
    id: "/",
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: assets.theme.light.background,
    theme_color: assets.theme.light.surface,
    icons: ICON_SIZES.map((size) => ({
      src: iconPath(size),
      sizes: `${size}x${size}`,
      type: "image/png",
    })),
  });
  web.get("/manifest.webmanifest", (c) =>
    c.body(manifest, 200, {
      "Content-Type": "application/manifest+json; charset=utf-8",
      "Cache-Control": "public, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    }),
  );

  const icons = new Map<number, Promise<Buffer>>();
  web.get("/icons/:file{[0-9]{1,4}\\.png}", async (c, next) => {
    const size = Number(c.req.param("file").slice(0, -".png".length));
    // Other sizes go on to the not-found answer.
    if (!(ICON_SIZES as readonly number[]).includes(size)) return next();
    let icon = icons.get(size);
    if (icon === undefined) {
      icon = svgIcon(assets.body(ICON_SOURCE), size);
      icons.set(size, icon);
      // A failed drawing is not kept: the next request tries again.
      icon.catch(() => icons.delete(size));
    }
    return c.body(new Uint8Array(await icon), 200, {
      "Content-Type": "image/png",
      "Cache-Control": "public, max-age=86400",
      "X-Content-Type-Options": "nosniff",
    });
  });
}
