// The web app manifest (issue #23: installable): named after the instance, opening at "/" in its own
// window, coloured like the stylesheet, with PNG icons of the sizes it lists; every page links it.
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { themeColours } from "../../src/web/static.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function instance(env: Record<string, string> = {}): Promise<TestInstance> {
  const i = await createTestInstance(env);
  cleanups.push(() => i.close());
  return i;
}

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string }[];
}

describe("the web app manifest", () => {
  it("names the instance, starts at / standalone, in the stylesheet's colours", async () => {
    const i = await instance({ INSTANCE_NAME: "Harbour Painters Guild" });
    const res = await i.app.request("/manifest.webmanifest");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
    const manifest = JSON.parse(await res.text()) as Manifest;
    expect(manifest.name).toBe("Harbour Painters Guild");
    expect(manifest.short_name).toBe("Harbour");
    expect(manifest.start_url).toBe("/");
    expect(manifest.display).toBe("standalone");
    expect(manifest.background_color).toBe("#f6f5f9");
    expect(manifest.theme_color).toBe("#ffffff");
    expect(manifest.icons.map((icon) => [icon.sizes, icon.type])).toEqual([
      ["192x192", "image/png"],
      ["512x512", "image/png"],
    ]);
  });

  it("serves each icon as a PNG of the size it lists, and no other size", async () => {
    const i = await instance();
    const manifest = (await (await i.app.request("/manifest.webmanifest")).json()) as Manifest;
    for (const icon of manifest.icons) {
      const res = await i.app.request(icon.src);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect(meta.format).toBe("png");
      expect(`${meta.width}x${meta.height}`).toBe(icon.sizes);
    }
    const other = await i.app.request("/icons/64.png");
    expect(other.status).toBe(404);
  });

  it("is linked from every page's head with the theme colour of each scheme", async () => {
    const i = await instance();
    const client = new PageClient(i.app);
    for (const path of ["/explore", "/about", "/auth/sign_in"]) {
      const { body } = await client.get(path);
      expect(body).toContain('<link rel="manifest" href="/manifest.webmanifest">');
      expect(body).toContain(
        '<meta name="theme-color" media="(prefers-color-scheme: light)" content="#ffffff">',
      );
      expect(body).toContain(
        '<meta name="theme-color" media="(prefers-color-scheme: dark)" content="#1c1b24">',
      );
    }
  });

  it("reads the colours from the stylesheet's light and dark custom properties", () => {
    const css = `:root { --bg: #fafafa; --surface-2: #eeeeee; --surface: #fff; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #000000; --surface: #111111; }
}`;
    expect(themeColours(css)).toEqual({
      light: { background: "#fafafa", surface: "#fff" },
      dark: { background: "#000000", surface: "#111111" },
    });
    expect(() => themeColours(":root { --bg: #fff; }")).toThrow(/--surface/);
  });
});
