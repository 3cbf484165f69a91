// The OAuth sign-in page must not tell real usernames by its timing: an unknown username costs one
// password verification, like a known one with a wrong password (the web sign-in's mechanism). The
// verifier is spied on, so the check is deterministic rather than a comparison of durations.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as passwords from "../../src/domain/passwords.ts";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { formFields } from "./oauth-flow.ts";

vi.mock("../../src/domain/passwords.ts", async (original) => {
  const real = await original<typeof import("../../src/domain/passwords.ts")>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

const REDIRECT = "https://client.example/callback";

async function signIn(username: string, password: string): Promise<number> {
  const app = await call(instance, "POST", "/api/v1/apps", {
    body: { client_name: "Test client", redirect_uris: REDIRECT, scopes: "read" },
  });
  const query = new URLSearchParams({
    response_type: "code",
    client_id: app.json.client_id,
    redirect_uri: REDIRECT,
    scope: "read",
  });
  const page = await instance.app.request(`/oauth/authorize?${query}`);
  const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0]!;
  const res = await instance.app.request("/oauth/authorize", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
    body: new URLSearchParams({
      ...formFields(await page.text()),
      username,
      password,
    }).toString(),
  });
  return res.status;
}

describe("OAuth sign-in timing", () => {
  it("verifies a password once for an unknown username, as for a known one", async () => {
    await localUser(instance, "dave");
    const verify = vi.mocked(passwords.verifyPassword);
    verify.mockClear();
    expect(await signIn("dave", "not the password")).toBe(401);
    expect(verify).toHaveBeenCalledTimes(1);
    verify.mockClear();
    expect(await signIn("nobody_here", "not the password")).toBe(401);
    expect(verify).toHaveBeenCalledTimes(1);
  });
});
