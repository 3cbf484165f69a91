// The signedIn middleware in front of every page that needs a signed-in user: a visitor is sent to sign
// in and back (GET) or refused with a 401 before any form is read (other methods).
import { afterEach, describe, expect, it } from "vitest";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const pages = [
  "/home",
  "/notifications",
  "/settings",
  "/settings/security",
  "/settings/followed_tags",
  "/settings/domain_blocks",
  "/compose",
  "/compose/jobs/1",
  "/search?q=x",
  "/authorize_interaction?uri=x",
  "/admin",
  "/admin/spending",
  "/admin/domain_blocks",
  "/admin/reports",
  "/admin/reports/1",
];
const forms = [
  "/settings/profile",
  "/settings/archive",
  "/settings/delete",
  "/settings/password",
  "/settings/domain_blocks",
  "/settings/domain_blocks/delete",
  "/compose/generate",
  "/compose/post",
  "/statuses/1/favourite",
  "/statuses/1/delete",
  "/@alice/follow",
  "/tags/art/follow",
  "/tags/art/unfollow",
  "/admin/domain_blocks",
];

describe("signedIn", () => {
  it("sends a visitor to sign in, and back to the page asked for", async () => {
    const i: TestInstance = await createTestInstance();
    cleanups.push(() => i.close());
    for (const path of pages) {
      const res = await i.app.request(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toBe(
        `/auth/sign_in?return_to=${encodeURIComponent(path)}`,
      );
    }
  });

  it("refuses a visitor's form with a 401", async () => {
    const i: TestInstance = await createTestInstance();
    cleanups.push(() => i.close());
    for (const path of forms) {
      const res = await i.app.request(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        body: "csrf=x",
      });
      expect(res.status, path).toBe(401);
    }
  });
});
