// Members' dataset choices through every door: the settings form (consent, licence, attribution, each
// change in the history), sign-up (a consent given there opens the history), and the per-post opt-out
// from the compose page and the API (POST and PUT /api/v1/statuses `dataset_opt_out`), listed in settings.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { statuses, users } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { listConsentHistory } from "../../src/domain/datasets/choices.ts";
import { call, localUser, webpImage } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function instance(): Promise<TestInstance> {
  const i = await createTestInstance();
  cleanups.push(() => i.close());
  return i;
}

const userRow = async (i: TestInstance, accountId: string) =>
  (await i.deps.db.select().from(users).where(eq(users.accountId, accountId)))[0]!;
const statusRow = async (i: TestInstance, id: string) =>
  (await i.deps.db.select().from(statuses).where(eq(statuses.id, id)))[0]!;

describe("dataset choices on the settings page", () => {
  it("saves consent, licence and attribution, and records each change once", async () => {
    const i = await instance();
    const { account } = await localUser(i, "alice");
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const before = (await client.get("/settings")).body;
    expect(before).not.toMatch(/id="ai_data_consent"[^>]* checked/);
    expect(before).toMatch(/<option value="cc-by" selected>CC BY 4.0<\/option>/);
    expect(before).toMatch(/id="dataset-attribution-anonymous"[^>]* checked/);
    expect(before).toContain("Posts kept out of datasets (0)");

    const csrf = await client.csrfFrom("/settings");
    const save = (fields: Record<string, string>) =>
      client.post("/settings/profile", { csrf, display_name: "Alice", bio: "", ...fields });
    expect(
      (await save({ ai_data_consent: "1", dataset_license: "cc0", dataset_attribution: "handle" }))
        .status,
    ).toBe(303);
    // The same choices saved again (with another profile edit) add nothing to the history.
    await save({ ai_data_consent: "1", dataset_license: "cc0", dataset_attribution: "handle" });
    expect(await userRow(i, account.id)).toMatchObject({
      aiDataConsent: true,
      datasetLicense: "cc0",
      datasetAttribution: "handle",
    });
    const after = (await client.get("/settings")).body;
    expect(after).toMatch(/id="ai_data_consent"[^>]* checked/);
    expect(after).toMatch(/<option value="cc0" selected>/);
    expect(after).toMatch(/id="dataset-attribution-handle"[^>]* checked/);

    await save({ dataset_license: "cc0", dataset_attribution: "handle" });
    const history = await listConsentHistory(i.deps.db, account.id);
    expect(history.map((e) => [e.change, e.source])).toEqual([
      ["consent_given", "settings"],
      ["license_changed", "settings"],
      ["attribution_changed", "settings"],
      ["consent_withdrawn", "settings"],
    ]);
    expect((await userRow(i, account.id)).aiDataConsent).toBe(false);

    const bad = await save({ dataset_license: "gpl" });
    expect(bad.status).toBe(400);
    expect((await userRow(i, account.id)).datasetLicense).toBe("cc0");
  });

  it("opens the history with a consent given at sign-up, and records nothing for a no", async () => {
    const i = await instance();
    const signUp = (username: string, aiDataConsent: boolean) =>
      createLocalUser(i.deps.db, i.deps.urls, {
        username,
        password: "correct horse battery staple",
        email: `${username}@example.com`,
        signUp: {
          confirmationTokenHash: `hash-${username}`,
          approved: true,
          reason: "",
          locale: "en",
          aiDataConsent,
        },
      });
    const yes = await signUp("fanny", true);
    const no = await signUp("gus", false);
    const history = await listConsentHistory(i.deps.db, yes.account.id);
    expect(history.map((e) => [e.change, e.source, e.consent, e.license, e.attribution])).toEqual([
      ["consent_given", "sign_up", true, "cc-by", "anonymous"],
    ]);
    expect(await listConsentHistory(i.deps.db, no.account.id)).toEqual([]);
  });
});

describe("keeping one post out of datasets", () => {
  it("is a box on the compose page, and settings lists the posts kept out", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const csrf = await client.csrfFrom("/compose");
    expect((await client.get("/compose")).body).toContain('name="dataset_opt_out" value="1"');
    const upload = async (optOut: boolean) => {
      const form = new FormData();
      form.set("csrf", csrf);
      form.set("file", new File([await webpImage({ r: 200, g: 10, b: 10 })], "x.webp"));
      form.set("text", optOut ? "kept out" : "let in");
      if (optOut) form.set("dataset_opt_out", "1");
      const res = await client.request("/compose/upload", { method: "POST", body: form });
      expect(res.status).toBe(303);
      return res.headers.get("location")!.split("/").at(-1)!;
    };
    const keptOut = await upload(true);
    const letIn = await upload(false);
    expect((await statusRow(i, keptOut)).datasetOptOut).toBe(true);
    expect((await statusRow(i, letIn)).datasetOptOut).toBe(false);
    const settings = (await client.get("/settings")).body;
    expect(settings).toContain("Posts kept out of datasets (1)");
    expect(settings).toContain(`href="${i.deps.urls.statusPage("alice", keptOut)}"`);
    expect(settings).not.toContain(`href="${i.deps.urls.statusPage("alice", letIn)}"`);
  });

  it("is dataset_opt_out on POST and PUT /api/v1/statuses", async () => {
    const i = await instance();
    const { token } = await localUser(i, "alice");
    const posted = await call(i, "POST", "/api/v1/statuses", {
      token,
      body: { status: "not for training", dataset_opt_out: true },
    });
    expect(posted.status).toBe(200);
    expect((await statusRow(i, posted.json.id)).datasetOptOut).toBe(true);
    // An edit that does not name it keeps it; one that does changes it (form encoding too).
    await call(i, "PUT", `/api/v1/statuses/${posted.json.id}`, {
      token,
      body: { status: "edited" },
    });
    expect((await statusRow(i, posted.json.id)).datasetOptOut).toBe(true);
    const edited = await call(i, "PUT", `/api/v1/statuses/${posted.json.id}`, {
      token,
      form: { status: "edited again", dataset_opt_out: "false" },
    });
    expect(edited.status).toBe(200);
    expect((await statusRow(i, posted.json.id)).datasetOptOut).toBe(false);
    const plain = await call(i, "POST", "/api/v1/statuses", { token, body: { status: "plain" } });
    expect((await statusRow(i, plain.json.id)).datasetOptOut).toBe(false);
  });
});
