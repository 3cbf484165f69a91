// Keyboard-only use of the main actions in real Chromium (issue #23, WCAG 2.1.1): with nothing but Tab,
// Shift+Tab, Enter, Space, Escape, the arrows and typing, a person signs in, likes and boosts a post,
// replies to it, opens the lightbox and closes it back to the image that opened it, reacts with an
// emoji and takes it back, unfollows and follows an account, and makes and posts an image. Each control is reached by tabbing to it, so a control the Tab order skips fails the test.
import type { Browser, BrowserContext, ConsoleMessage, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../helpers/factories.ts";
import { type E2eInstance, launchChromium, serveE2eInstance, WIDTHS } from "./browser.ts";

let browser: Browser;
let site: E2eInstance;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

beforeAll(async () => {
  site = await serveE2eInstance();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: WIDTHS.desktop, height: 800 } });
  context.on("console", (m: ConsoleMessage) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
  });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await site?.close();
});

/** Whether the focused element matches `selector` (and, when given, has `text` in its text or label). */
function focusedIs(selector: string, text?: string): Promise<boolean> {
  return page.evaluate(
    ([sel, t]) => {
      const el = document.activeElement;
      if (!el?.matches(sel!)) return false;
      if (t === undefined) return true;
      return `${el.textContent ?? ""} ${el.getAttribute("aria-label") ?? ""}`.includes(t);
    },
    [selector, text] as const,
  );
}

/**
 * Presses Tab until the focused element matches, as a keyboard user moves through the page; fails,
 * naming the control, when it is not reached within `limit` presses.
 */
async function tabTo(selector: string, text?: string, limit = 120): Promise<void> {
  for (let n = 0; n < limit; n++) {
    if (await focusedIs(selector, text)) return;
    await page.keyboard.press("Tab");
  }
  expect(await focusedIs(selector, text), `reached ${selector} ${text ?? ""} by Tab`).toBe(true);
}

/** Opens a page with the focus at its start (nothing focused yet), as after following a link. */
async function open(path: string): Promise<void> {
  await page.goto(`${site.url}${path}`);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

const pressed = (kind: string) =>
  page
    .locator(`main article.post button[data-toggle="${kind}"]`)
    .first()
    .getAttribute("aria-pressed");

describe("keyboard-only use", () => {
  it("signs in with the keyboard", async () => {
    await open("/auth/sign_in");
    await tabTo("#username");
    await page.keyboard.type("bob");
    await page.keyboard.press("Tab");
    expect(await focusedIs("#password")).toBe(true);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${site.url}/home`);
  });

  it("likes with Space, boosts with Enter and replies to a post", async () => {
    const path = `/@alice/${site.seeded.publicId}`;
    await open(path);
    expect([await pressed("favourite"), await pressed("reblog")]).toEqual(["false", "false"]);
    await tabTo('main article.post button[data-toggle="favourite"]');
    await page.keyboard.press("Space");
    await page.waitForFunction(
      () =>
        document
          .querySelector('main article.post button[data-toggle="favourite"]')
          ?.getAttribute("aria-pressed") === "true",
    );
    await tabTo('main article.post button[data-toggle="reblog"]');
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      () =>
        document
          .querySelector('main article.post button[data-toggle="reblog"]')
          ?.getAttribute("aria-pressed") === "true",
    );
    await tabTo("#reply-text");
    await page.keyboard.type("Typed without a mouse");
    await tabTo(".reply-form button[type=submit]");
    // The form's answer is a navigation; waiting for "load" could see the page before it, and a goto
    // while the form's navigation runs is aborted.
    await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.keyboard.press("Enter"),
    ]);
    await open(path);
    // The like and boost were stored (not only shown), and the reply is listed under the post.
    expect([await pressed("favourite"), await pressed("reblog")]).toEqual(["true", "true"]);
    expect(await page.locator(".replies").textContent()).toContain("Typed without a mouse");
  });

  it("opens the lightbox with Enter, moves with the arrows and closes it with Escape, back to the image", async () => {
    await open(`/@alice/${site.seeded.multiId}`);
    await tabTo("a.lightbox-open");
    await page.keyboard.press("Enter");
    const dialog = page.locator("dialog#lightbox");
    await dialog.waitFor({ state: "visible" });
    expect(await focusedIs("dialog#lightbox [data-lightbox-close]")).toBe(true);
    // The image's prompt is shown beside it, with Remix and the post's like and boost buttons.
    expect(await dialog.locator(".lightbox-prompt-text").textContent()).toBe(
      "a lighthouse in a storm at dusk, oil painting",
    );
    expect(await dialog.locator('.lightbox-actions a[href^="/compose?remix="]').count()).toBe(1);
    expect(await dialog.locator(".lightbox-actions .action-bar").count()).toBe(1);
    await page.keyboard.press("ArrowRight");
    expect(await dialog.locator(".lightbox-position").textContent()).toBe("2 / 2");
    // Tab goes round the dialog's controls and never leaves it.
    for (let n = 0; n < 5; n++) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.closest("dialog") != null)).toBe(
        true,
      );
    }
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await focusedIs("a.lightbox-open")).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-index"))).toBe("0");
  });

  it("reacts with an emoji from the picker, and takes the reaction back", async () => {
    const path = `/@alice/${site.seeded.multiId}`;
    await open(path);
    await tabTo("summary.reaction-toggle");
    await page.keyboard.press("Enter");
    await tabTo(".reaction-choices button", "🎉");
    await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.keyboard.press("Space"),
    ]);
    const mine = 'main .reactions button.reaction[aria-pressed="true"]';
    expect(await page.locator(mine).textContent()).toContain("🎉");
    await open(path);
    // The pressed reaction is a button too: pressing it again takes it back.
    await tabTo(mine);
    await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.keyboard.press("Enter"),
    ]);
    expect(await page.locator(mine).count()).toBe(0);
  });

  it("unfollows and follows an account from its profile", async () => {
    await open("/@alice");
    await tabTo('form[action$="/unfollow"] button[type=submit]');
    await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.keyboard.press("Enter"),
    ]);
    await open("/@alice");
    await tabTo('form[action$="/follow"] button[type=submit]');
    await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.keyboard.press("Enter"),
    ]);
    await open("/@alice");
    expect(await page.locator('form[action$="/unfollow"] button[type=submit]').count()).toBe(1);
  });

  it("makes an image and posts it with the keyboard", async () => {
    await open("/compose");
    await tabTo("#prompt");
    await page.keyboard.type("a kite over the dunes at noon");
    await tabTo('form[action="/compose/generate"] button[type=submit]');
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Pick an image" }).waitFor({ timeout: 30_000 });
    await open(new URL(page.url()).pathname);
    // The first candidate is chosen already; Space on its box would unchoose it.
    expect(await page.locator('input[name="media"]').first().isChecked()).toBe(true);
    await tabTo("#text");
    await page.keyboard.type("Flown by keyboard");
    await tabTo("button[type=submit]", "Post");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/@bob\/\d+$/);
    expect(await page.locator(".post .prose").textContent()).toContain("Flown by keyboard");
    expect(await page.locator(".post-image img").count()).toBeGreaterThan(0);
  });

  it("did it all without a Content-Security-Policy violation", () => {
    expect(cspViolations).toEqual([]);
  });
});
