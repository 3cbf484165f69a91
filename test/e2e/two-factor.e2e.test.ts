// Two-factor sign-in in real Chromium, from the start: sign up, confirm the address by the link in the
// e-mail a real SMTP server on loopback received, sign in, turn two-factor sign-in on with a code computed from the secret the page shows, sign out, and
// sign in again with the password and then a TOTP code.
import { Secret, TOTP } from "otpauth";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkToken } from "../helpers/sign-up.ts";
import { type SmtpSink, smtpServer } from "../helpers/smtp.ts";
import { type E2eInstance, launchChromium, screenshots, serveE2eInstance } from "./browser.ts";

let browser: Browser;
let site: E2eInstance;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await smtpServer();
  site = await serveE2eInstance({
    REGISTRATIONS: "open",
    SMTP_URL: smtp.url,
    MAIL_FROM: "Atelier <hello@atelier.example>",
  });
  browser = await launchChromium();
});

afterAll(async () => {
  if (process.env.E2E_SERVER_LOG) console.error(site?.output().slice(-3000));
  await browser?.close();
  await site?.close();
  await smtp?.close();
});

const PASSWORD = "a passphrase for the browser";

const codeOf = (secret: string, offsetS = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetS * 1000,
  });

describe("two-factor sign-in in Chromium", () => {
  it("signs up, confirms, turns two-factor on and signs in with a TOTP code", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/auth/sign_up`);
    await page.getByLabel("Username").fill("tess");
    await page.getByLabel("E-mail address").fill("tess@example.com");
    await page.getByLabel("Password (at least 8 characters)").fill(PASSWORD);
    await page.getByLabel(/I accept the rules/).check();
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect(
      page.getByRole("heading", { name: "Check your e-mail" }).isVisible(),
    ).resolves.toBe(true);
    const confirmation = await smtp.waitFor("tess@example.com", /\/auth\/confirmation\?token=/);
    expect(confirmation.from).toBe("hello@atelier.example");
    const token = linkToken(confirmation.data, "/auth/confirmation")!;
    await page.goto(`${site.url}/auth/confirmation?token=${token}`);
    await expect(
      page.getByRole("heading", { name: "Address confirmed" }).isVisible(),
    ).resolves.toBe(true);

    const signIn = async () => {
      await page.goto(`${site.url}/auth/sign_in`);
      await page.getByLabel("Username").fill("tess");
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
    };
    await signIn();
    await page.waitForURL(`${site.url}/home`);

    await page.goto(`${site.url}/settings/security`);
    await page.getByRole("link", { name: "Set up two-factor sign-in" }).click();
    await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    const secret = (await page.locator("#otp-secret").textContent()) ?? "";
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.locator(".qr-code svg").count()).toBe(1);
    await screenshots(page, "two-factor-setup");
    await page.getByLabel("The 6-digit code your app shows now").fill(codeOf(secret));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    expect(await page.locator("#recovery-codes li").count()).toBe(10);

    await page.goto(`${site.url}/settings/security`);
    await page.getByRole("button", { name: "Sign out" }).first().click();
    await page.waitForURL(`${site.url}/`);

    await signIn();
    await page.getByLabel(/Code from your authenticator app/).fill(codeOf(secret, 30));
    await screenshots(page, "two-factor-sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${site.url}/home`);
    await expect(page.getByRole("heading", { name: "Home" }).isVisible()).resolves.toBe(true);
    await context.close();
  });
});
