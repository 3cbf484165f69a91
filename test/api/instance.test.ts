import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

describe("instance and placeholder endpoints", () => {
  it("describes the instance in v1 and v2 shapes with its counts and peers", async () => {
    const { account: alice } = await localUser(instance, "alice");
    await status(instance, alice);
    await remoteAccount(instance, "bob", "b.example");
    await remoteAccount(instance, "carol", "a.example");
    const v1 = await call(instance, "GET", "/api/v1/instance");
    const i1 = E.expectEntity(E.InstanceV1, v1.json);
    expect(i1.uri).toBe("localhost:3000");
    expect(i1.stats).toEqual({ user_count: 1, status_count: 1, domain_count: 2 });
    expect(i1.version).toMatch(/^4\.\d+\.\d+ \(compatible; atelier /);
    const v2 = await call(instance, "GET", "/api/v2/instance");
    expect(E.expectEntity(E.InstanceV2, v2.json).domain).toBe("localhost:3000");
    // The pin and featured hashtag limits the domain enforces are advertised.
    expect(v2.json.configuration.accounts).toEqual({
      max_featured_tags: 10,
      max_pinned_statuses: 5,
    });
    const peers = await call(instance, "GET", "/api/v1/instance/peers");
    expect(peers.json).toEqual(["a.example", "b.example"]);
    // Real weekly activity (test/api/instance-activity.test.ts counts it in detail).
    const activity = (await call(instance, "GET", "/api/v1/instance/activity")).json;
    expect(activity).toHaveLength(12);
    expect(activity[0].statuses).toBe("1");
  });

  it("answers empty lists to a new user, and the default preferences", async () => {
    const { token } = await localUser(instance, "alice");
    for (const path of [
      "/api/v1/custom_emojis",
      "/api/v1/filters",
      "/api/v2/filters",
      "/api/v1/lists",
      "/api/v1/trends",
      "/api/v1/trends/tags",
      "/api/v1/trends/statuses",
      "/api/v1/trends/links",
      "/api/v1/followed_tags",
      "/api/v1/mutes",
      "/api/v1/blocks",
      "/api/v1/follow_requests",
      "/api/v1/favourites",
    ]) {
      const res = await call(instance, "GET", path, { token });
      expect({ path, status: res.status, json: res.json }).toEqual({ path, status: 200, json: [] });
    }
    const prefs = await call(instance, "GET", "/api/v1/preferences", { token });
    expect(prefs.json["posting:default:visibility"]).toBe("public");
  });

  it("answers JSON errors for unknown records and routes, and CORS preflights", async () => {
    const missing = await call(instance, "GET", "/api/v1/statuses/1");
    expect(missing.status).toBe(404);
    expect(E.expectEntity(E.ApiError, missing.json).error).toBe("Record not found");
    const preflight = await instance.app.request("/api/v1/timelines/home", { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
    const res = await instance.app.request("/api/v1/instance", {
      headers: { Origin: "https://elk.example" },
    });
    expect(res.headers.get("access-control-expose-headers")).toContain("Link");
  });
});
