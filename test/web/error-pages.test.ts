import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeStore } from "../../src/db/dialect.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
beforeAll(async () => {
  i = await createTestInstance();
  await localUser(i, "boss", { admin: true });
  await localUser(i, "alice");
});
afterAll(() => i.close());

const browser = { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

describe("error pages", () => {
  it("answers a browser's unknown path with an HTML 404 page under the CSP", async () => {
    const res = await i.app.request("/no/such/page", { headers: browser });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("nonce-");
    const body = await res.text();
    expect(body).toContain("<h1>Not found</h1>");
    expect(body).toContain('href="/explore"');
    const actor = await i.app.request("/users/nobody", { headers: browser });
    expect(actor.status).toBe(404);
    expect(actor.headers.get("content-type")).toContain("text/html");
  });

  it("keeps JSON 404s for API paths and for clients that do not ask for HTML", async () => {
    const api = await i.app.request("/api/v1/nothing", { headers: browser });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: "Not found" });
    const script = await i.app.request("/no/such/page", { headers: { Accept: "*/*" } });
    expect(script.status).toBe(404);
    expect(script.headers.get("content-type")).toContain("application/json");
  });

  it("shows the signed-in navigation on a 404 and an HTML 403 on the admin page", async () => {
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const missing = await client.request("/nowhere", { headers: browser });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("Sign out");
    const admin = await client.request("/admin", { headers: browser });
    expect(admin.status).toBe(403);
    expect(admin.headers.get("content-type")).toContain("text/html");
    expect(await admin.text()).toContain("Only administrators");
  });

  it("answers a failure on our side with an HTML 500 page that reveals nothing", async () => {
    const broken = await createTestInstance();
    // The bus first: on PostgreSQL its LISTEN connection is one of the pool's, which would not end.
    await broken.deps.bus.close();
    await closeStore(broken.deps.db);
    const res = await broken.app.request("/explore", { headers: browser });
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toContain("text/html");
    const body = await res.text();
    expect(body).toContain("Something went wrong on our side");
    expect(body).not.toMatch(/database|sqlite|at .*\.ts/i);
    await broken.close();
  });
});
