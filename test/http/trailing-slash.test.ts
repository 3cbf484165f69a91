// Clients that add a trailing slash (toot opens /oauth/authorize/, Mastodon.py reads /api/v1/instance/)
// reach the same routes, as on Mastodon.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance;
beforeAll(async () => {
  instance = await createTestInstance();
});
afterAll(() => instance.close());

describe("a trailing slash", () => {
  it("routes the API and OAuth paths as without it", async () => {
    const v1 = await call(instance, "GET", "/api/v1/instance/");
    expect(v1.status).toBe(200);
    expect(v1.json.uri).toEqual(expect.any(String));
    const v2 = await call(instance, "GET", "/api/v2/instance/");
    expect(v2.status).toBe(200);
    expect(v2.json.domain).toEqual(expect.any(String));
    const app = await call(instance, "POST", "/api/v1/apps/", {
      body: { client_name: "toot", redirect_uris: "urn:ietf:wg:oauth:2.0:oob" },
    });
    expect(app.status).toBe(200);
    const query = new URLSearchParams({
      response_type: "code",
      client_id: app.json.client_id,
      redirect_uri: "urn:ietf:wg:oauth:2.0:oob",
      scope: "read",
    });
    const page = await instance.app.request(`/oauth/authorize/?${query}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<form");
    expect((await instance.app.request("/.well-known/nodeinfo/")).status).toBe(200);
  });
});
