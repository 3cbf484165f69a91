// Request parameters never reach Object.prototype: keys like `__proto__[x]=y` in a query, a form, a
// multipart body or JSON are refused with a 400, and a later, unrelated answer is untouched.
import { afterEach, describe, expect, it } from "vitest";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance;
afterEach(async () => {
  // Whatever a test did, leave the process clean for the next one.
  for (const key of ["content-type", "set-cookie", "x", "polluted"]) {
    delete (Object.prototype as Record<string, unknown>)[key];
  }
  await instance.close();
});

/** What Object.prototype gained (it has no enumerable keys of its own). */
function pollution(): string[] {
  const keys: string[] = [];
  for (const key in {}) keys.push(key);
  return keys;
}

/** A later, unrelated answer: its headers and body must be the ordinary ones. */
async function expectCleanAnswer() {
  expect(pollution()).toEqual([]);
  const res = await instance.app.request("/api/v1/instance");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("set-cookie")).toBeNull();
  expect(res.headers.get("polluted")).toBeNull();
}

describe("request parameters and prototype pollution", () => {
  it.each([
    "__proto__[content-type]=text/html",
    "__proto__[polluted]=yes",
    "a[__proto__][polluted]=yes",
    "constructor[prototype][polluted]=yes",
    "a[constructor][prototype][polluted]=yes",
    "prototype=1",
    "__proto__=1",
  ])("refuses the query %s with a 400 and pollutes nothing", async (query) => {
    instance = await createTestInstance();
    const res = await instance.app.request(`/api/v1/statuses?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: expect.stringMatching(/not allowed as a parameter name/),
    });
    await expectCleanAnswer();
  });

  it("refuses such keys in a urlencoded form", async () => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    const res = await instance.app.request("/api/v1/statuses", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "status=hi&__proto__[set-cookie]=planted%3D1&media_ids[__proto__][x]=1",
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/__proto__/);
    await expectCleanAnswer();
  });

  it("refuses such keys in a multipart body", async () => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    const form = new FormData();
    form.set("status", "hi");
    form.set("constructor[prototype][polluted]", "yes");
    const res = await instance.app.request("/api/v1/statuses", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/constructor/);
    await expectCleanAnswer();
  });

  it.each([
    '{"status":"hi","__proto__":{"polluted":"yes"}}',
    '{"status":"hi","poll":{"options":["a","b"],"__proto__":{"polluted":"yes"}}}',
    '{"status":"hi","media_ids":[{"constructor":{"prototype":{"polluted":"yes"}}}]}',
  ])("refuses such keys anywhere in a JSON body: %s", async (body) => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    const res = await instance.app.request("/api/v1/statuses", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/not allowed as a parameter name/);
    await expectCleanAnswer();
  });

  it("still reads Rails-style brackets and a JSON body merged over the query", async () => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    const res = await call(instance, "PATCH", "/api/v1/accounts/update_credentials", {
      token,
      form: {
        display_name: "Alice",
        "fields_attributes[0][name]": "site",
        "fields_attributes[0][value]": "example.org",
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.fields).toEqual([
      expect.objectContaining({ name: "site", value: "example.org" }),
    ]);
    const posted = await instance.app.request("/api/v1/statuses?visibility=unlisted", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: "hello", visibility: "private" }),
    });
    expect(posted.status).toBe(200);
    expect((await posted.json()).visibility).toBe("private");
  });

  it("refuses such keys on the OAuth token endpoint and the sign-in form", async () => {
    instance = await createTestInstance();
    const token = await instance.app.request("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&__proto__[polluted]=yes",
    });
    expect(token.status).toBe(400);
    const signIn = await instance.app.request("/auth/sign_in", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "__proto__=x&username=a&password=b",
    });
    expect(signIn.status).toBe(400);
    await expectCleanAnswer();
  });
});
