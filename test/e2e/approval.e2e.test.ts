// Approval mode in real Chromium: a sign-up with a reason waits (its owner cannot sign in yet, and the
// administrators are told by e-mail), the administrator approves it on the admin page, the applicant
// receives the approval at a real SMTP server on loopback and can then sign in.
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
    REGISTRATIONS: "approval",
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

const PASSWORD = "a passphrase for approval";

describe("sign-up by approval in Chromium", () => {
  it("waits for the administrator, who approves it on the admin page; the applicant is told", async () => {
    const applicant = await browser.newContext();
    const page = await applicant.newPage();
    await page.goto(`${site.url}/auth/sign_up`);
    await page.getByLabel("Username").fill("ines");
    await page.getByLabel("E-mail address").fill("ines@example.com");
    await page.getByLabel("Password (at least 8 characters)").fill(PASSWORD);
    await page.getByLabel("Why do you want to join?").fill("I paint lighthouses with prompts.");
    await page.getByLabel(/I accept the rules/).check();
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect(
      page.getByRole("heading", { name: "Check your e-mail" }).isVisible(),
    ).resolves.toBe(true);
    const confirmation = await smtp.waitFor("ines@example.com", /\/auth\/confirmation\?token=/);
    await page.goto(
      `${site.url}/auth/confirmation?token=${linkToken(confirmation.data, "/auth/confirmation")}`,
    );
    await expect(
      page.getByRole("heading", { name: "Address confirmed" }).isVisible(),
    ).resolves.toBe(true);

    const signIn = async () => {
      await page.goto(`${site.url}/auth/sign_in`);
      await page.getByLabel("Username").fill("ines");
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
    };
    await signIn();
    await expect(
      page.getByText("Your sign-up is waiting for an administrator's approval.").isVisible(),
    ).resolves.toBe(true);
    expect(page.url()).not.toContain("/home");

    const admin = await browser.newContext();
    const adminPage = await admin.newPage();
    await adminPage.goto(`${site.url}/auth/sign_in`);
    await adminPage.getByLabel("Username").fill("admin");
    await adminPage.getByLabel("Password").fill(site.adminPassword);
    await adminPage.getByRole("button", { name: "Sign in" }).click();
    await adminPage.waitForURL(`${site.url}/home`);
    await adminPage.goto(`${site.url}/admin/registrations`);
    const row = adminPage.getByRole("row").filter({ hasText: "@ines" });
    await expect(row.getByText("I paint lighthouses with prompts.").isVisible()).resolves.toBe(
      true,
    );
    await screenshots(adminPage, "admin-registrations-pending");
    await row.getByRole("button", { name: "Approve" }).click();
    await adminPage.waitForURL(/\/admin\/registrations/);
    expect(await adminPage.getByRole("row").filter({ hasText: "@ines" }).count()).toBe(0);
    await admin.close();

    const approved = await smtp.waitFor("ines@example.com", /is approved/);
    expect(approved.from).toBe("hello@atelier.example");
    await signIn();
    await page.waitForURL(`${site.url}/home`);
    await expect(page.getByRole("heading", { name: "Home" }).isVisible()).resolves.toBe(true);
    await applicant.close();
  });
});
