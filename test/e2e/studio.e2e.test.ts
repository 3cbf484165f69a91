// A three-step studio session in real headless Chromium (issue #20): the first-start administrator starts
// a session with a prompt, waits through the self-refreshing pending state, refines the image, varies the
// refinement, compares two steps side by side, posts the last step, and the post's page lists the three
// steps of its lineage in order. Then an inpaint whose region is painted over the image with the mouse:
// only the painted side of the picture changes.
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2eInstance, launchChromium, screenshots, serveE2eInstance } from "./browser.ts";

let browser: Browser;
let site: E2eInstance;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  site = await serveE2eInstance();
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error.message));
});

afterAll(async () => {
  if (process.env.E2E_SERVER_LOG) console.error(site?.output().slice(-3000));
  await context?.close();
  await browser?.close();
  await site?.close();
});

/** Waits until the session page shows `count` steps and none is pending (the page refreshes itself). */
async function stepsDone(count: number) {
  await page
    .waitForFunction(
      (n) =>
        document.querySelectorAll(".studio-step").length === n &&
        document.querySelector("#next-step h2") !== null,
      count,
      { timeout: 30_000 },
    )
    .catch(async (e) => {
      // What the page was stuck on (a step that never finished, or a refresh that never came).
      console.error(page.url(), await page.locator("main").innerHTML());
      throw e;
    });
}

describe("a studio session in Chromium", () => {
  it("starts, refines and varies a session, then posts its last step with the lineage shown", async () => {
    await page.goto(`${site.url}/auth/sign_in`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(site.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${site.url}/home`);

    await page.goto(`${site.url}/studio`);
    await page.getByLabel("Start a session with a prompt").fill("a lighthouse on a cliff at dusk");
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await page.waitForURL(/\/studio\/\d+/);
    await stepsDone(1);
    // The image is shown large: as wide as the column, not a thumbnail.
    const first = page.locator(".studio-step img.studio-image").first();
    expect((await first.boundingBox())!.width).toBeGreaterThan(500);

    await page.getByLabel("Refine: what to change").fill("at night");
    await page.getByRole("button", { name: "Refine", exact: true }).click();
    await stepsDone(2);
    expect(await page.locator(".studio-step").nth(1).textContent()).toContain("2. Refined");

    // "Vary this" on the refined step, keyboard only.
    await page.locator(".studio-step").nth(1).getByRole("button", { name: "Vary this" }).focus();
    await page.keyboard.press("Enter");
    await stepsDone(3);
    const third = page.locator(".studio-step").nth(2);
    expect(await third.locator("strong").first().textContent()).toBe("3. Variation");
    expect(await third.locator(".step-parent").textContent()).toBe("from step 2");
    await screenshots(page, "studio-session");

    // Compared with its parent: side by side on a desktop, one above the other on a phone.
    await third.getByRole("link", { name: /Compare with previous/ }).click();
    await page.waitForURL(/compare=/);
    const figures = page.locator(".studio-compare figure");
    expect(await figures.count()).toBe(2);
    await page.setViewportSize({ width: 1280, height: 900 });
    const [a, b] = [(await figures.nth(0).boundingBox())!, (await figures.nth(1).boundingBox())!];
    expect(Math.abs(a.y - b.y)).toBeLessThan(2);
    expect(b.x).toBeGreaterThan(a.x + a.width - 1);
    await page.setViewportSize({ width: 390, height: 844 });
    const [p, q] = [(await figures.nth(0).boundingBox())!, (await figures.nth(1).boundingBox())!];
    expect(q.y).toBeGreaterThan(p.y + p.height - 1);
    await screenshots(page, "studio-compare");

    await page.locator(".studio-step").nth(2).getByRole("link", { name: "Post this" }).click();
    await page.waitForURL(/\/compose\/jobs\/\d+$/);
    await page.getByRole("heading", { name: "Pick an image" }).waitFor({ timeout: 30_000 });
    await page.getByLabel("Caption").fill("Three steps to the night");
    await page.getByRole("button", { name: "Post" }).click();
    await page.waitForURL(/\/@admin\/\d+$/);

    const lineage = page.locator("details.lineage");
    expect(await lineage.locator("summary").textContent()).toBe("Made in 3 steps");
    const steps = (await lineage.locator("li").allTextContents()).map((t) => t.trim());
    expect(steps).toHaveLength(3);
    expect(steps[0]).toMatch(/^Generated: a lighthouse on a cliff at dusk/);
    expect(steps[1]).toMatch(/^Refined: at night/);
    expect(steps[2]).toMatch(/^Varied: /);
    await screenshots(page, "studio-posted");
  });

  it("inpaints a region painted over the image in the browser, and only that region changes", async () => {
    // Signed in by the test above.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${site.url}/studio`);
    await page.getByLabel("Start a session with a prompt").fill("a quiet harbour at noon");
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await page.waitForURL(/\/studio\/\d+/);
    await stepsDone(1);
    // The painting tool is shown (the script unhides it) over the step's image.
    const canvas = page.locator("form[data-inpaint] .mask-canvas canvas");
    await canvas.waitFor();
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    // Strokes down the right third of the picture, edge to edge.
    for (const x of [0.75, 0.85, 0.95]) {
      await page.mouse.move(box.x + box.width * x, box.y + 2);
      await page.mouse.down();
      for (let y = 0.05; y <= 1; y += 0.05) {
        await page.mouse.move(box.x + box.width * x, box.y + box.height * y - 2);
      }
      await page.mouse.up();
    }
    // The painting became the form's PNG mask.
    await page.waitForFunction(
      () => (document.querySelector('input[name="mask"]') as HTMLInputElement).files?.length === 1,
    );
    await page.getByLabel("What to paint there").fill("at night");
    await page.getByRole("button", { name: "Inpaint", exact: true }).click();
    await stepsDone(2);
    expect(await page.locator(".studio-step").nth(1).locator("strong").first().textContent()).toBe(
      "2. Inpainted",
    );
    await screenshots(page, "studio-inpainted");

    // The two images, compared by their columns: the left half unchanged, the painted side changed.
    const sources = await page
      .locator(".studio-step img.studio-image")
      .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).currentSrc));
    const columns = async (url: string) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const { data, info } = await sharp(bytes)
        .removeAlpha()
        .resize(64, 64, { fit: "fill" })
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width };
    };
    const [a, b] = [await columns(sources[0]!), await columns(sources[1]!)];
    const difference = (from: number, to: number) => {
      let sum = 0;
      for (let y = 0; y < 64; y++)
        for (let x = from; x < to; x++)
          for (let c = 0; c < 3; c++)
            sum += Math.abs(a.data[(y * 64 + x) * 3 + c]! - b.data[(y * 64 + x) * 3 + c]!);
      return sum / (64 * (to - from) * 3);
    };
    expect(difference(0, 28)).toBeLessThan(4);
    expect(difference(50, 64)).toBeGreaterThan(20);
  });
});
