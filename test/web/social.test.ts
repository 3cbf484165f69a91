// The web side of endorsements, announcements and preferences, driven like a browser: a profile's
// "Featured accounts" and its feature button, the home page's announcements with dismiss, the admin
// announcements page, and the settings page's preferences that new posts then get.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import { createAnnouncement } from "../../src/domain/announcements.ts";
import { preferencesOf } from "../../src/domain/preferences.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { follow, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
let alice: Account;
let bob: Account;
let admin: PageClient;
let page: PageClient;

beforeAll(async () => {
  i = await createTestInstance();
  const { db, urls } = i.deps;
  await localUser({ db, urls }, "boss", { admin: true });
  alice = (await localUser({ db, urls }, "alice")).account;
  bob = (await localUser({ db, urls }, "bob")).account;
  await follow({ db, urls }, alice.id, bob.id);
  admin = new PageClient(i.app);
  await admin.signIn("boss");
  page = new PageClient(i.app);
  await page.signIn("alice");
});
afterAll(() => i.close());

describe("featured accounts on profiles", () => {
  it("features a followed account from its profile and shows it on one's own", async () => {
    const before = await page.get("/@bob");
    expect(before.body).toContain("Feature on my profile");
    const csrf = await page.csrfFrom("/@bob");
    const res = await page.post("/@bob/endorse", { csrf });
    expect(res.status).toBe(303);
    expect((await page.get("/@bob")).body).toContain("Stop featuring on my profile");
    // Visitors see it too (the anonymous page cache keys on the featured list).
    const visitor = new PageClient(i.app);
    const profile = await visitor.get("/@alice");
    expect(profile.body).toContain("Featured accounts");
    expect(profile.body).toMatch(/<a class="account-line" href="\/@bob">/);
    await page.post("/@bob/unendorse", { csrf });
    expect((await visitor.get("/@alice")).body).not.toContain("Featured accounts");
  });

  it("refuses to feature an account one does not follow", async () => {
    const csrf = await page.csrfFrom("/settings");
    const res = await page.post("/@boss/endorse", { csrf });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("You must be already following");
  });
});

describe("announcements on the web", () => {
  it("lets an administrator publish, edit and remove one", async () => {
    expect((await page.get("/admin/announcements")).res.status).toBe(403);
    const csrf = await admin.csrfFrom("/admin/announcements");
    const created = await admin.post("/admin/announcements", {
      csrf,
      text: "Gallery night on Friday",
      starts_at: "2099-01-01T18:00",
      ends_at: "",
    });
    expect(created.status).toBe(303);
    const list = (await admin.get("/admin/announcements")).body;
    expect(list).toContain("Gallery night on Friday");
    const id = /action="\/admin\/announcements\/(\d+)"/.exec(list)![1]!;
    const bad = await admin.post(`/admin/announcements/${id}`, {
      csrf,
      text: "Gallery night",
      starts_at: "2099-01-02T00:00",
      ends_at: "2099-01-01T00:00",
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("The end must come after the start");
    await admin.post(`/admin/announcements/${id}`, {
      csrf,
      text: "Gallery night moved to Saturday",
    });
    expect((await page.get("/home")).body).toContain("Gallery night moved to Saturday");
    await admin.post(`/admin/announcements/${id}/delete`, { csrf });
    expect((await page.get("/home")).body).not.toContain("Gallery night");
  });

  it("shows current announcements on home until dismissed", async () => {
    await createAnnouncement(i.deps.db, { text: "Welcome <to> the atelier" });
    await createAnnouncement(i.deps.db, {
      text: "Already over",
      endsAt: new Date(Date.now() - 1000),
      startsAt: new Date(Date.now() - 60_000),
    });
    const home = (await page.get("/home")).body;
    expect(home).toContain("<p>Welcome &#60;to&#62; the atelier</p>");
    expect(home).not.toContain("Already over");
    const id = /action="\/announcements\/(\d+)\/dismiss"/.exec(home)![1]!;
    const csrf = await page.csrfFrom("/home");
    expect((await page.post(`/announcements/${id}/dismiss`, { csrf })).status).toBe(303);
    expect((await page.get("/home")).body).not.toContain("Welcome");
    // Bob has not dismissed it.
    const other = new PageClient(i.app);
    await other.signIn("bob");
    expect((await other.get("/home")).body).toContain("Welcome");
  });
});

describe("preferences on the settings page", () => {
  it("saves them, shows them, and new posts get them", async () => {
    const csrf = await page.csrfFrom("/settings");
    const res = await page.post("/settings/preferences", {
      csrf,
      default_visibility: "private",
      default_sensitive: "1",
      default_language: "FR",
      expand_media: "hide_all",
      expand_spoilers: "1",
    });
    expect(res.status).toBe(303);
    expect(await preferencesOf(i.deps.db, alice.id)).toEqual({
      defaultVisibility: "private",
      defaultSensitive: true,
      defaultLanguage: "fr",
      expandMedia: "hide_all",
      expandSpoilers: true,
    });
    const settings = (await page.get("/settings")).body;
    expect(settings).toContain('<option value="private" selected>');
    expect(settings).toContain('<option value="hide_all" selected>');
    expect(settings).toMatch(/id="default_language"[^>]*value="fr"/);
    // The compose form starts at the default visibility.
    expect((await page.get("/compose")).body).toContain('<option value="private" selected>');
    const status = await publishStatus(i.deps, alice.id, { text: "Quiet by default" });
    expect(status).toMatchObject({ visibility: "private", sensitive: true, language: "fr" });
  });

  it("refuses an unknown choice and keeps what was saved", async () => {
    const csrf = await page.csrfFrom("/settings");
    const res = await page.post("/settings/preferences", {
      csrf,
      default_visibility: "everyone",
    });
    expect(res.status).toBe(400);
    expect((await preferencesOf(i.deps.db, alice.id)).defaultVisibility).toBe("private");
  });
});
