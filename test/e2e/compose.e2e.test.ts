// Signed-in actions in real headless Chromium: the first-start administrator generates an image with the
// local provider (watching the progress state), posts it, finds it on the profile and explore pages,
// follows another local account and sees its post at home, likes it from the timeline card without a
// reload; the administration pages render; someone else's post cannot be deleted.
import type { Browser, BrowserContext, ConsoleMessage, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2eInstance, launchChromium, screenshots, serveE2eInstance } from "./browser.ts";

let browser: Browser;
let site: E2eInstance;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

beforeAll(async () => {
  site = await serveE2eInstance();
  browser = await launchChromium();
  context = await browser.newContext();
  context.on("console", (m: ConsoleMessage) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
  });
  page = await context.newPage();
});

afterAll(async () => {
  if (process.env.E2E_SERVER_LOG) console.error(site?.output().slice(-3000));
  await context?.close();
  await browser?.close();
  await site?.close();
});

describe("creating and acting in Chromium", () => {
  it("signs in as the administrator printed at first start", async () => {
    expect(site.adminPassword).not.toBe("");
    await page.goto(`${site.url}/auth/sign_in`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(site.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${site.url}/home`);
    expect(await page.getByRole("link", { name: "Create", exact: true }).isVisible()).toBe(true);
  });

  it("generates an image with the local provider, shows progress, and posts the chosen candidate", async () => {
    await page.goto(`${site.url}/compose`);
    await screenshots(page, "compose");
    await page
      .getByLabel("Prompt", { exact: true })
      .fill("a paper boat on a copper sea, risograph");
    await page.getByRole("button", { name: "Generate" }).click();
    // Either the progress page (then app.js reloads into the result) or, if the job was that fast, the
    // result page itself.
    await page.waitForURL(/\/compose\/jobs\/\d+$/);
    await page.getByRole("heading", { name: "Pick an image" }).waitFor({ timeout: 30_000 });
    await screenshots(page, "compose-candidates");
    // The draft is the local provider's description of what it drew, editable before posting.
    expect(await page.getByLabel(/Alt text/).inputValue()).toMatch(/^A boat on the sea.*risograph/);
    await page.getByLabel("Caption").fill("Set sail");
    await page.getByRole("button", { name: "Post" }).click();
    await page.waitForURL(/\/@admin\/\d+$/);
    expect(await page.locator(".post .prose").textContent()).toContain("Set sail");
    const img = page.locator(".post-image img").first();
    // The draft alt text is what the local provider drew, from the prompt's scene.
    expect(await img.getAttribute("alt")).toMatch(/boat/i);
    expect(await page.locator(".post .ai-label").first().textContent()).toContain("AI-generated");
    await screenshots(page, "posted");

    const postPath = new URL(page.url()).pathname;
    await page.goto(`${site.url}/@admin`);
    expect(await page.locator(`a[href="${postPath}"]`).count()).toBeGreaterThan(0);
    await page.goto(`${site.url}/explore`);
    expect(await page.locator(`a[href="${postPath}"]`).count()).toBeGreaterThan(0);
  });

  it("follows another local account and sees its post in the home timeline", async () => {
    await page.goto(`${site.url}/home`);
    expect(await page.getByText("Lighthouse at dusk").count()).toBe(0);
    await page.goto(`${site.url}/@alice`);
    await page.getByRole("button", { name: "Follow", exact: true }).click();
    await page.waitForURL(`${site.url}/@alice`);
    expect(await page.getByRole("button", { name: "Unfollow" }).isVisible()).toBe(true);
    await page.goto(`${site.url}/home`);
    expect(await page.getByText("Lighthouse at dusk").count()).toBeGreaterThan(0);
  });

  it("likes a post from its timeline card with the keyboard, without a reload", async () => {
    const { publicId } = site.seeded;
    await page.goto(`${site.url}/home`);
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    const card = page.locator(`#c-${publicId}`);
    const like = card.getByRole("button", { name: /^Like/ });
    expect(await like.getAttribute("aria-pressed")).toBe("false");
    await like.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      (id) =>
        document
          .querySelector(`#c-${id} button[data-toggle="favourite"]`)
          ?.getAttribute("aria-pressed") === "true",
      publicId,
    );
    expect(await like.locator(".count").textContent()).toBe("1");
    // The same page: app.js sent the form with fetch.
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
      true,
    );
    await screenshots(page, "home-liked");
    await page.goto(`${site.url}/@alice/${publicId}`);
    expect(await page.locator(".status-counts").textContent()).toContain("1 like");
    expect(
      await page.getByRole("button", { name: /^Like/ }).first().getAttribute("aria-pressed"),
    ).toBe("true");
  });

  it("renders the administration pages", async () => {
    for (const [path, heading] of [
      ["/admin/spending", "Generation spending"],
      ["/admin/domain_blocks", "Blocked instances"],
      ["/admin/reports", "Open reports"],
    ] as const) {
      const res = await page.goto(`${site.url}${path}`);
      expect(res?.status()).toBe(200);
      expect(await page.getByRole("heading", { name: new RegExp(heading) }).isVisible()).toBe(true);
      await screenshots(page, `admin-${path.split("/").pop()}`);
    }
    await page.goto(`${site.url}/admin/domain_blocks`);
    await page.getByLabel(/^Instance/).fill("spam.example");
    await page.getByRole("button", { name: "Block instance" }).click();
    await page.waitForURL(/done=blocked/);
    expect(await page.getByRole("row", { name: /spam\.example/ }).isVisible()).toBe(true);
  });

  it("cannot delete another user's post, with or without a CSRF token", async () => {
    const { publicId } = site.seeded;
    await page.goto(`${site.url}/@alice/${publicId}`);
    expect(await page.getByRole("button", { name: "Delete" }).count()).toBe(0);
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const withToken = await page.request.post(`${site.url}/statuses/${publicId}/delete`, {
      form: { csrf },
      maxRedirects: 0,
    });
    expect(withToken.status()).toBe(403);
    const withoutToken = await page.request.post(`${site.url}/statuses/${publicId}/delete`, {
      form: {},
      maxRedirects: 0,
    });
    expect(withoutToken.status()).toBe(403);
    const after = await page.request.get(`${site.url}/@alice/${publicId}`);
    expect(after.status()).toBe(200);
  });

  it("loaded every page without a Content-Security-Policy violation", () => {
    expect(cspViolations).toEqual([]);
  });
});
