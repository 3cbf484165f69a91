// The page-weight budget (issue #23): each main page loaded cold in real Chromium at desktop size, the
// bytes it transferred summed by kind (HTML, CSS, JS, images, the rest), and each page held to a budget.
// A page that grows past its budget fails here with its figures, so the growth is a decision, not drift.
import type { Browser, BrowserContext, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../helpers/factories.ts";
import { type E2eInstance, launchChromium, serveE2eInstance, WIDTHS } from "./browser.ts";

/**
 * Kilobytes per page, measured on the seeded instance (test/e2e/seed.ts: 768-pixel WebP paintings of a
 * few KB each, served as remote media) at 1280×800 with an empty cache, plus about 40% headroom (the
 * paintings' sizes vary a little with the ids they are drawn from). Images are most of the image pages'
 * weight, and they are lazy: only those near the first screen are fetched. "Other" is the favicon.
 * Measured when the budget was set (html + css + js + images + other = total → budget):
 *   home      28 + 22 + 10 +  25 + 1 =  86 → 120
 *   explore   42 + 22 + 10 + 138 + 1 = 213 → 300
 *   status    10 + 22 + 10 +  12 + 1 =  55 →  80
 *   profile   20 + 22 + 10 +  60 + 1 = 114 → 160
 *   compose    7 + 22 + 10 +   0 + 1 =  40 →  56
 *   studio     4 + 22 + 10 +   0 + 1 =  37 →  52
 * HTML, CSS and JS together are also held under 100 KB on every page (no framework creeps in).
 */
const BUDGET_KB: Record<string, number> = {
  home: 120,
  explore: 300,
  status: 80,
  profile: 160,
  compose: 56,
  studio: 52,
};
const CODE_BUDGET_KB = 100;

type Kind = "html" | "css" | "js" | "images" | "other";

function kindOf(request: Request): Kind {
  switch (request.resourceType()) {
    case "document":
      return "html";
    case "stylesheet":
      return "css";
    case "script":
      return "js";
    case "image":
      return "images";
    default:
      return "other";
  }
}

let browser: Browser;
let site: E2eInstance;
let signedIn: Awaited<ReturnType<BrowserContext["storageState"]>>;

beforeAll(async () => {
  site = await serveE2eInstance();
  browser = await launchChromium();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}/auth/sign_in`);
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${site.url}/home`);
  signedIn = await context.storageState();
  await context.close();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/**
 * Loads `path` in a fresh context (an empty cache, as a first visit) and answers the bytes transferred
 * (encoded bodies plus response headers, as the network carries them) by kind, once the network is idle.
 */
async function weigh(path: string): Promise<Record<Kind, number>> {
  const context = await browser.newContext({
    storageState: signedIn,
    viewport: { width: WIDTHS.desktop, height: 800 },
  });
  const page = await context.newPage();
  const pending: Promise<void>[] = [];
  const bytes: Record<Kind, number> = { html: 0, css: 0, js: 0, images: 0, other: 0 };
  page.on("requestfinished", (request) => {
    pending.push(
      request.sizes().then((s) => {
        bytes[kindOf(request)] += s.responseBodySize + s.responseHeadersSize;
      }),
    );
  });
  const response = await page.goto(`${site.url}${path}`);
  expect(response?.status(), `${path} answered`).toBe(200);
  await page.waitForLoadState("networkidle");
  await Promise.all(pending);
  await context.close();
  return bytes;
}

describe("page weight", () => {
  it("keeps every main page within its budget of transferred bytes", async () => {
    const pages: Record<string, string> = {
      home: "/home",
      explore: "/explore",
      status: `/@alice/${site.seeded.multiId}`,
      profile: "/@alice",
      compose: "/compose",
      studio: "/studio",
    };
    const over: string[] = [];
    const report: string[] = [];
    for (const [name, path] of Object.entries(pages)) {
      const b = await weigh(path);
      const kb = (n: number) => Math.round(n / 1024);
      const total = b.html + b.css + b.js + b.images + b.other;
      const line = `${name} ${path}: html ${kb(b.html)} + css ${kb(b.css)} + js ${kb(b.js)} + images ${kb(b.images)} + other ${kb(b.other)} = ${kb(total)} KB (budget ${BUDGET_KB[name]} KB)`;
      report.push(line);
      // The page really loaded its parts: a figure of zero would pass any budget.
      expect(b.html, `${name} HTML`).toBeGreaterThan(1024);
      expect(b.css, `${name} CSS`).toBeGreaterThan(1024);
      if (total > BUDGET_KB[name]! * 1024) over.push(line);
      if (b.html + b.css + b.js > CODE_BUDGET_KB * 1024)
        over.push(`${line} — code over ${CODE_BUDGET_KB} KB`);
    }
    if (process.env.PAGE_WEIGHT_REPORT) console.log(report.join("\n"));
    expect(over).toEqual([]);
    // The image-heavy pages did fetch images (the lazy ones near the first screen included).
    expect(report.find((l) => l.startsWith("explore"))).not.toMatch(/images 0 /);
  }, 120_000);
});
