// Accessibility in real Chromium (issue #23): axe-core checks every page a visitor, a user and an
// administrator sees against WCAG 2.2 AA, at phone and desktop sizes, in the light and the dark theme,
// and the states a page can be put in (the lightbox, the reaction picker, forms with errors); focus stays
// in the lightbox and reduced motion turns transitions off. A failure lists each violation (rule,
// element, help) so it can be fixed in the shared components or the stylesheet. Every page it visits is
// also saved as a full-page screenshot at both sizes (light theme) under test-output/screenshots/pages/,
// which git ignores: what a reviewer looks at, not what the test asserts.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../helpers/factories.ts";
import {
  type E2eInstance,
  launchChromium,
  SCREENSHOT_DIR,
  serveE2eInstance,
  WIDTHS,
} from "./browser.ts";

const PAGE_SHOTS = join(SCREENSHOT_DIR, "pages");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const SIZES = [
  { label: "phone", width: WIDTHS.phone, height: 844 },
  { label: "desktop", width: WIDTHS.desktop, height: 800 },
] as const;
const SCHEMES = ["light", "dark"] as const;

let browser: Browser;
let site: E2eInstance;
const contexts: BrowserContext[] = [];

async function signedInPage(username: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${site.url}/auth/sign_in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${site.url}/home`);
  return page;
}

let visitor: Page;
let alice: Page;
let admin: Page;
let bob: Page;

beforeAll(async () => {
  site = await serveE2eInstance({ REGISTRATIONS: "open" });
  browser = await launchChromium();
  const context = await browser.newContext();
  contexts.push(context);
  visitor = await context.newPage();
  alice = await signedInPage("alice", PASSWORD);
  admin = await signedInPage("admin", site.adminPassword);
  bob = await signedInPage("bob", PASSWORD);
  await reactAndReply(bob, `/@alice/${site.seeded.publicId}`);
});

/**
 * Bob likes, boosts, reacts to and replies (with a hashtag) to a post through its page's forms, so that
 * the post page shows reactions and a reply, the tag page a post, and alice's notifications each kind.
 */
async function reactAndReply(page: Page, path: string) {
  await page.goto(`${site.url}${path}`);
  for (const name of ["Like", "Boost"]) {
    await page.getByRole("button", { name: new RegExp(`^${name} `) }).click();
    await page
      // The post's own buttons: the lightbox holds a second, hidden set.
      .locator(`main article.post button[aria-pressed="true"]`, { hasText: name })
      .waitFor({ timeout: 10_000 });
  }
  await page.getByText("Add a reaction").click();
  await page.getByRole("button", { name: "🎨", exact: true }).click();
  await page.waitForURL(`${site.url}${path}`);
  await page.getByLabel("Reply", { exact: true }).fill("The light on the water! #lighthouse");
  await page.getByRole("button", { name: "Reply", exact: true }).click();
  await page.waitForLoadState("load");
  await page.goto(`${site.url}${path}`);
  expect(await page.locator(".reactions .reaction").count()).toBeGreaterThan(0);
  await page.goto(`${site.url}/tags/lighthouse?tab=posts`);
  await page.getByText("The light on the water!").waitFor();
}

/**
 * Runs axe on the page as it is now, in each colour scheme; answers the violations as readable lines
 * ("phone/dark color-contrast `.muted` — Elements must meet minimum color contrast ratio thresholds").
 */
async function violationsNow(page: Page, what: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    // axe really looked at the page (no injection failure passing as "no violations").
    expect(results.passes.length, `${what}: axe checked rules`).toBeGreaterThan(0);
    for (const v of results.violations) {
      for (const node of v.nodes) {
        const summary = node.failureSummary ? ` (${node.failureSummary.replace(/\s+/g, " ")})` : "";
        found.push(
          `${what}/${colorScheme} ${v.id} \`${node.target.join(" ")}\` — ${v.help}${summary}`,
        );
      }
    }
  }
  return found;
}

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await site?.close();
});

/**
 * Opens `path` and runs axe at each size and colour scheme, saving a screenshot of each size first
 * (named after `who` and the path: "visitor-explore-trending-phone.png").
 */
async function violations(page: Page, path: string, who: string): Promise<string[]> {
  const response = await page.goto(`${site.url}${path}`);
  expect(response?.status(), `${path} answered`).toBeLessThan(500);
  mkdirSync(PAGE_SHOTS, { recursive: true });
  const name = `${who}-${path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "root"}`;
  const found: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: join(PAGE_SHOTS, `${name}-${size.label}.png`), fullPage: true });
    found.push(...(await violationsNow(page, size.label)));
  }
  return found;
}

describe("every page passes axe (WCAG 2.2 AA) at phone and desktop sizes, light and dark", () => {
  const visitorPaths = () => [
    "/",
    "/explore/trending",
    "/explore/latest",
    "/explore/tags",
    "/@alice",
    "/@alice?tab=posts",
    "/@alice/remote_follow",
    "/@bob",
    `/@alice/${site.seeded.multiId}`,
    `/@alice/${site.seeded.publicId}`,
    "/tags/lighthouse",
    "/about",
    "/about/data",
    "/auth/sign_in",
    "/auth/sign_up",
    "/auth/password/new",
    "/auth/confirmation/new",
    "/no/such/page",
    "/explore?max_id=abc",
    "/auth/password/edit",
    "/auth/confirmation",
  ];

  it("for a visitor", async () => {
    const found: string[] = [];
    for (const path of visitorPaths()) {
      for (const line of await violations(visitor, path, "visitor")) found.push(`${path} ${line}`);
    }
    expect(found).toEqual([]);
  }, 600_000);

  it("for a signed-in user", async () => {
    const found: string[] = [];
    // A list and a filter, so that their own pages exist.
    await alice.goto(`${site.url}/lists`);
    await alice.getByLabel("Title").fill("Painters");
    await alice.getByRole("button", { name: "Create list" }).click();
    await alice.goto(`${site.url}/lists`);
    const list = await alice.locator('main a[href^="/lists/"]').first().getAttribute("href");
    await alice.goto(`${site.url}/settings/filters`);
    await alice.getByLabel("Title", { exact: true }).fill("Storms");
    await alice.getByLabel("Keyword 1").fill("storm");
    await alice.locator("#context_home").check();
    await alice.getByRole("button", { name: "Create filter" }).click();
    await alice.goto(`${site.url}/settings/filters`);
    const filter = await alice
      .locator('main a[href^="/settings/filters/"]')
      .first()
      .getAttribute("href");
    expect([list, filter]).toEqual([
      expect.stringMatching(/^\/lists\/\d+$/),
      expect.stringMatching(/^\/settings\/filters\/\d+$/),
    ]);
    for (const path of [
      list!,
      filter!,
      "/home",
      "/notifications",
      "/compose",
      "/studio",
      "/search?q=lighthouse",
      "/explore/following",
      "/@alice",
      `/@alice/${site.seeded.publicId}`,
      "/settings",
      "/settings/security",
      "/settings/two_factor",
      "/settings/aliases",
      "/settings/migration",
      "/settings/featured_tags",
      "/settings/followed_tags",
      "/settings/filters",
      "/settings/domain_blocks",
      "/settings/import",
      "/lists",
      "/scheduled",
    ]) {
      for (const line of await violations(alice, path, "user")) found.push(`${path} ${line}`);
    }
    expect(found).toEqual([]);
  }, 600_000);

  it("for an administrator", async () => {
    const found: string[] = [];
    // An image made with the local provider: its candidates page, then the posted image's page.
    await admin.goto(`${site.url}/compose`);
    await admin.getByLabel("Prompt", { exact: true }).fill("a paper boat on a copper sea");
    await admin.getByRole("button", { name: "Generate" }).click();
    await admin.getByRole("heading", { name: "Pick an image" }).waitFor({ timeout: 30_000 });
    const job = new URL(admin.url()).pathname;
    for (const line of await violations(admin, job, "admin")) found.push(`${job} ${line}`);
    await admin.getByLabel("Caption").fill("Set sail #boats");
    await admin.getByRole("button", { name: "Post" }).click();
    await admin.waitForURL(/\/@admin\/\d+$/);
    const posted = new URL(admin.url()).pathname;
    await admin.goto(`${site.url}/studio`);
    const session = await admin.locator('main a[href^="/studio/"]').first().getAttribute("href");
    expect(session).toMatch(/^\/studio\/\d+$/);
    for (const path of [
      posted,
      "/studio",
      session!,
      "/tags/boats",
      "/admin",
      "/admin/reports",
      "/admin/audit",
      "/admin/spending",
      "/admin/domain_blocks",
      "/admin/announcements",
      "/admin/rules",
      "/admin/emojis",
      "/admin/registrations",
      "/admin/crawlers",
      "/admin/datasets",
    ]) {
      for (const line of await violations(admin, path, "admin")) found.push(`${path} ${line}`);
    }
    expect(found).toEqual([]);
  }, 600_000);

  it("keeps a keyboard user's place when infinite scroll loads the last page", async () => {
    await visitor.setViewportSize({ width: WIDTHS.desktop, height: 800 });
    await visitor.goto(`${site.url}/explore`);
    // Focusing the Older link scrolls it into view, which loads the next (and last) page.
    await visitor.locator("a[data-next]").focus();
    await visitor.waitForFunction(() => document.querySelectorAll("a[data-next]").length === 0);
    expect(
      await visitor.evaluate(() => {
        const tiles = Array.from(document.querySelectorAll("ul.grid > li.tile"));
        return tiles.indexOf(document.activeElement?.closest("li.tile") as Element);
      }),
    ).toBe(24);
  });

  it("turns transitions off when the system asks for reduced motion", async () => {
    const transition = async (reducedMotion: "reduce" | "no-preference") => {
      await visitor.emulateMedia({ reducedMotion });
      await visitor.goto(`${site.url}/explore`);
      return await visitor
        .locator(".tile img")
        .first()
        .evaluate((img) => getComputedStyle(img).transitionProperty);
    };
    expect(await transition("no-preference")).toBe("transform");
    expect(await transition("reduce")).toBe("none");
  });

  it("with the lightbox and the reaction picker open, and forms showing their errors", async () => {
    const found: string[] = [];
    await visitor.setViewportSize({ width: WIDTHS.desktop, height: 800 });
    await visitor.goto(`${site.url}/@alice/${site.seeded.multiId}`);
    await visitor.locator("a.lightbox-open").first().click();
    await visitor.locator("dialog#lightbox").waitFor({ state: "visible" });
    found.push(...(await violationsNow(visitor, "lightbox")));
    // Focus stays in the modal dialog however far one tabs, forwards or back.
    for (const key of ["Tab", "Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]) {
      await visitor.keyboard.press(key);
      expect(
        await visitor.evaluate(() => document.activeElement?.closest("dialog#lightbox") != null),
        `focus after ${key}`,
      ).toBe(true);
    }
    await bob.setViewportSize({ width: WIDTHS.phone, height: 844 });
    await bob.goto(`${site.url}/@alice/${site.seeded.publicId}`);
    await bob.getByText("Add a reaction").click();
    await bob.getByLabel("Another emoji").waitFor();
    found.push(...(await violationsNow(bob, "reaction picker")));
    // Forms answered with their errors.
    await visitor.goto(`${site.url}/auth/sign_in`);
    await visitor.getByLabel("Username").fill("alice");
    await visitor.getByLabel("Password").fill("not the password");
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await visitor.locator('[role="alert"]').waitFor();
    found.push(...(await violationsNow(visitor, "failed sign-in")));
    await visitor.goto(`${site.url}/auth/sign_up`);
    await visitor.getByLabel("Username").fill("alice");
    await visitor.getByLabel("E-mail address").fill("alice@example.com");
    await visitor.getByLabel(/^Password/).fill("a long enough passphrase");
    await visitor.getByLabel(/I accept the rules/).check();
    await visitor.getByRole("button", { name: "Sign up" }).click();
    await visitor.locator(".field-error").first().waitFor();
    found.push(...(await violationsNow(visitor, "refused sign-up")));
    expect(found).toEqual([]);
  });
});
