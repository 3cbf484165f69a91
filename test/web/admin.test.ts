import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reports } from "../../src/db/schema/index.ts";
import { isDomainBlocked } from "../../src/domain/moderation.ts";
import { receiveReport } from "../../src/domain/reports.ts";
import { recordSpending } from "../../src/generation/quota.ts";
import { localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
let admin: PageClient;
let user: PageClient;
let reportId: string;

beforeAll(async () => {
  i = await createTestInstance({
    GENERATION_MONTHLY_BUDGET_USD: "10",
    GENERATION_DAILY_QUOTA: "20",
  });
  const { db, urls } = i.deps;
  await localUser({ db, urls }, "boss", { admin: true });
  const alice = (await localUser({ db, urls }, "alice")).account;
  const spend = async (accountId: string | null, images: number, usd: number) =>
    await recordSpending(db, {
      jobId: null,
      accountId,
      provider: "openai",
      model: "gpt-image-1",
      size: "1024x1024",
      quality: "medium",
      images,
      price: { microsPerImage: Math.round((usd / images) * 1_000_000), priced: true },
    });
  await spend(alice.id, 3, 0.12);
  await spend(alice.id, 1, 0.04);
  await spend(null, 2, 0.5);
  const spammer = await remoteAccount({ db, urls }, "spammer", "spam.example");
  const reporter = await remoteAccount({ db, urls }, "mod", "good.example");
  const post = await status({ db, urls }, alice.id, { content: "<p>The reported words</p>" });
  reportId = await receiveReport(db, {
    iri: "https://good.example/flags/1",
    reporter,
    target: alice,
    statusIds: [post.id],
    comment: "Looks like spam to me",
  });
  expect(spammer.domain).toBe("spam.example");
  admin = new PageClient(i.app);
  await admin.signIn("boss");
  user = new PageClient(i.app);
  await user.signIn("alice");
});
afterAll(() => i.close());

describe("administration pages", () => {
  it("are for administrators only: 403 for others, even with a valid token", async () => {
    for (const path of ["/admin", "/admin/spending", "/admin/domain_blocks", "/admin/reports"]) {
      expect((await user.get(path)).res.status).toBe(403);
    }
    expect((await user.get(`/admin/reports/${reportId}`)).res.status).toBe(403);
    const csrf = await user.csrfFrom("/settings");
    const post = await user.post("/admin/domain_blocks", { csrf, domain: "spam.example" });
    expect(post.status).toBe(403);
    expect(await isDomainBlocked(i.deps.db, "spam.example")).toBe(false);
  });

  it("shows spending this month against the budget, per user and per day", async () => {
    const { res, body } = await admin.get("/admin/spending");
    expect(res.status).toBe(200);
    expect(body).toContain("$0.66");
    expect(body).toContain("$10.00");
    expect(body).toContain("7% used");
    expect(body).toContain("20 images");
    expect(body).toMatch(/@alice<\/a><\/th>\s*<td>4<\/td><td>\$0\.16/);
    expect(body).toContain("deleted account");
    expect(body).toContain(new Date().toISOString().slice(0, 10));
    expect((await admin.get("/admin/spending?month=2001-01")).body).toContain(
      "No images were generated",
    );
    expect((await admin.get("/admin/spending?month=nope")).res.status).toBe(400);
  });

  it("adds and removes domain blocks with the CSRF token, refusing a bad host", async () => {
    const csrf = await admin.csrfFrom("/admin/domain_blocks");
    expect((await admin.post("/admin/domain_blocks", { domain: "spam.example" })).status).toBe(403);
    const added = await admin.post("/admin/domain_blocks", {
      csrf,
      domain: "https://Spam.Example/",
      reason: "spam waves",
      private_comment: "three reports",
      obfuscate: "1",
    });
    expect(added.status).toBe(303);
    expect(await isDomainBlocked(i.deps.db, "spam.example")).toBe(true);
    const list = (await admin.get("/admin/domain_blocks?done=blocked")).body;
    expect(list).toContain("spam.example");
    expect(list).toContain("spam waves");
    expect(list).toContain("Private: three reports");
    expect(list).toContain("published as spa*.****ple");
    const long = await admin.post("/admin/domain_blocks", {
      csrf,
      domain: "long.example",
      reason: "x".repeat(1001),
    });
    expect([long.status, await long.text()]).toEqual([400, expect.stringContaining("too long")]);
    expect(await isDomainBlocked(i.deps.db, "long.example")).toBe(false);
    expect(list).toContain("The instance is blocked.");
    const bad = await admin.post("/admin/domain_blocks", { csrf, domain: "not a host" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Not a host name");
    await admin.post("/admin/domain_blocks/delete", { csrf, domain: "spam.example" });
    expect(await isDomainBlocked(i.deps.db, "spam.example")).toBe(false);
  });

  it("lists a received Flag, shows it with the reported post, and resolves it", async () => {
    const list = (await admin.get("/admin/reports")).body;
    expect(list).toContain("Looks like spam to me");
    expect(list).toContain(`/admin/reports/${reportId}`);
    const one = (await admin.get(`/admin/reports/${reportId}`)).body;
    expect(one).toContain("The reported words");
    expect(one).toContain("good.example");
    const csrf = await admin.csrfFrom(`/admin/reports/${reportId}`);
    expect((await admin.post(`/admin/reports/${reportId}/resolve`, { csrf })).status).toBe(303);
    const row = (
      await i.deps.db.select().from(reports).where(eq(reports.id, reportId)).limit(1)
    )[0]!;
    expect(row.resolvedAt).not.toBeNull();
    expect((await admin.get("/admin/reports")).body).toContain("No open reports.");
    expect((await admin.get("/admin/reports?state=resolved")).body).toContain("Looks like spam");
    expect((await admin.get("/admin/reports/123")).res.status).toBe(404);
  });
});
