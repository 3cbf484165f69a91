// The web pages in real headless Chromium: signing in, explore and profile with a posted image, the post
// page and its lightbox, followers-only posts hidden from visitors, and screenshots of every page.
import { existsSync } from "node:fs";
import type { Browser, BrowserContext, ConsoleMessage } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../helpers/factories.ts";
import { type E2eInstance, launchChromium, screenshots, serveE2eInstance } from "./browser.ts";

let browser: Browser;
let site: E2eInstance;
const cspViolations: string[] = [];

function watchCsp(context: BrowserContext) {
  context.on("console", (m: ConsoleMessage) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
  });
}

let publicId: string;
let secretId: string;
let multiId: string;

beforeAll(async () => {
  site = await serveE2eInstance();
  ({ publicId, secretId, multiId } = site.seeded);
  browser = await launchChromium();
});

afterAll(async () => {
  if (process.env.E2E_SERVER_LOG) console.error(site?.output().slice(-3000));
  await browser?.close();
  await site?.close();
});

describe("the web pages in Chromium", () => {
  it("signs in as a user created in the test and lands on the home timeline", async () => {
    const context = await browser.newContext();
    watchCsp(context);
    const page = await context.newPage();
    await page.goto(`${site.url}/auth/sign_in`);
    await screenshots(page, "sign-in");
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${site.url}/home`);
    await expect(page.getByRole("heading", { name: "Home" }).isVisible()).resolves.toBe(true);
    expect(await page.locator(".status").count()).toBeGreaterThan(0);
    expect(await page.locator('a[href="/notifications"] .badge').textContent()).toBe("2");
    await screenshots(page, "home");
    await page.goto(`${site.url}/settings`);
    await screenshots(page, "settings");
    await page.goto(`${site.url}/notifications`);
    expect(await page.locator(".notification").count()).toBe(2);
    await screenshots(page, "notifications");
    await context.close();
  });

  it("shows the posted image on the explore page and the profile, with placeholders and alt text", async () => {
    const context = await browser.newContext();
    watchCsp(context);
    const page = await context.newPage();
    await page.goto(`${site.url}/explore`);
    const tile = page.locator(`a[href="/@alice/${publicId}"] img`);
    await tile.waitFor();
    expect(await tile.getAttribute("alt")).toBe(
      "a lighthouse at dusk, watercolor, soft light (image 1)",
    );
    await page.waitForFunction((sel) => {
      const img = document.querySelector(sel) as HTMLImageElement | null;
      return img?.complete === true && img.naturalWidth > 0;
    }, `a[href="/@alice/${publicId}"] img`);
    expect(await tile.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(768);
    const placeholder = await page
      .locator(`a[href="/@alice/${publicId}"]`)
      .evaluate((a) => getComputedStyle(a.parentElement!).backgroundImage);
    expect(placeholder).toContain("linear-gradient");
    await screenshots(page, "explore");
    await page.goto(`${site.url}/@alice`);
    await expect(page.getByRole("heading", { name: "Alice Moreau" }).isVisible()).resolves.toBe(
      true,
    );
    expect(await page.locator(`a[href="/@alice/${publicId}"]`).count()).toBe(1);
    await screenshots(page, "profile");
    await page.goto(`${site.url}/@alice/remote_follow`);
    await screenshots(page, "remote-follow");
    await page.goto(`${site.url}/about/data`);
    await screenshots(page, "about-data");
    await context.close();

    // With images still loading (here: never arriving), tiles show their blurhash placeholders.
    const slow = await browser.newContext();
    await slow.route("**/img/**", (route) => route.abort());
    const slowPage = await slow.newPage();
    await slowPage.goto(`${site.url}/explore`);
    await slowPage.setViewportSize({ width: 1280, height: 900 });
    await slowPage.screenshot({ path: "test-output/screenshots/explore-placeholders-desktop.png" });
    await slow.close();

    // The dark theme follows the system setting.
    const dark = await browser.newContext({ colorScheme: "dark" });
    watchCsp(dark);
    const darkPage = await dark.newPage();
    await darkPage.goto(`${site.url}/explore`);
    const background = await darkPage.evaluate(
      () => getComputedStyle(document.body).backgroundColor,
    );
    expect(background).toBe("rgb(18, 17, 24)");
    await screenshots(darkPage, "explore-dark");
    await darkPage.goto(`${site.url}/@alice/${multiId}`);
    await screenshots(darkPage, "post-dark");
    await dark.close();
  });

  it("loads the next page of the gallery on scroll, without breaking the CSP", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    watchCsp(context);
    const page = await context.newPage();
    await page.goto(`${site.url}/explore`);
    const tiles = page.locator("ul.grid > li.tile");
    expect(await tiles.count()).toBe(24);
    await page.locator("a[data-next]").scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelectorAll("ul.grid > li.tile").length === 29);
    expect(await page.locator("a[data-next]").count()).toBe(0);
    // Tiles that arrived by script get their placeholder through the CSSOM.
    const appended = await tiles.nth(28).evaluate((li) => (li as HTMLElement).style.background);
    expect(appended).toContain("linear-gradient");
    await context.close();
  });

  it("opens the post page and its lightbox with the keyboard, and closes it back to the image", async () => {
    const context = await browser.newContext();
    watchCsp(context);
    const page = await context.newPage();
    await page.goto(`${site.url}/@alice/${multiId}`);
    await expect(page.locator(".ai-label").textContent()).resolves.toContain(
      "a lighthouse in a storm at dusk, oil painting",
    );
    expect(await page.getByRole("link", { name: "Remix this prompt" }).count()).toBe(1);
    await screenshots(page, "post");
    const opener = page.locator("a.lightbox-open").first();
    await opener.focus();
    await page.keyboard.press("Enter");
    const dialog = page.locator("dialog#lightbox");
    await dialog.waitFor({ state: "visible" });
    expect(await dialog.locator(".lightbox-position").textContent()).toBe("1 / 2");
    expect(await dialog.locator("img").getAttribute("alt")).toContain("(image 1)");
    await page.keyboard.press("ArrowRight");
    expect(await dialog.locator(".lightbox-position").textContent()).toBe("2 / 2");
    expect(await dialog.locator("img").getAttribute("alt")).toContain("(image 2)");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: "test-output/screenshots/lightbox-desktop.png" });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(
      await page.evaluate(() => document.activeElement?.classList.contains("lightbox-open")),
    ).toBe(true);
    await context.close();
  });

  it("hides a followers-only post from an anonymous visitor but shows it to a follower", async () => {
    const anonymous = await browser.newContext();
    watchCsp(anonymous);
    const page = await anonymous.newPage();
    await page.goto(`${site.url}/@alice`);
    expect(await page.locator(`a[href="/@alice/${secretId}"]`).count()).toBe(0);
    await page.goto(`${site.url}/@alice?tab=posts`);
    expect(await page.content()).not.toContain("secret sketch");
    const res = await page.goto(`${site.url}/@alice/${secretId}`);
    expect(res?.status()).toBe(404);
    expect(await page.content()).not.toContain("secret sketch");
    await screenshots(page, "not-found");
    await anonymous.close();

    const follower = await browser.newContext();
    const bobPage = await follower.newPage();
    await bobPage.goto(`${site.url}/auth/sign_in`);
    await bobPage.getByLabel("Username").fill("bob");
    await bobPage.getByLabel("Password").fill(PASSWORD);
    await bobPage.getByRole("button", { name: "Sign in" }).click();
    await bobPage.waitForURL(`${site.url}/home`);
    expect(await bobPage.content()).toContain("secret sketch");
    await follower.close();
  });

  it("loaded every page without a Content-Security-Policy violation", () => {
    expect(cspViolations).toEqual([]);
    expect(existsSync("test-output/screenshots/explore-phone.png")).toBe(true);
  });
});
