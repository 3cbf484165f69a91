// The pages show quotes as the API does (one read path): the quoted post inside the quoting one, on its
// page and in lists, and the reason instead when it cannot be shown.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

describe("quotes on the pages", () => {
  it("shows the quoted post on the quote's page and in the profile, and says when it is gone", async () => {
    const alice = await localUser(instance, "alice");
    const bob = await localUser(instance, "bob");
    const original = await call(instance, "POST", "/api/v1/statuses", {
      token: alice.token,
      body: { status: "the original lighthouse" },
    });
    const quote = await call(instance, "POST", "/api/v1/statuses", {
      token: bob.token,
      body: { status: "look at this one", quoted_status_id: original.json.id },
    });
    expect(quote.status).toBe(200);
    const client = new PageClient(instance.app);
    for (const path of [`/@bob/${quote.json.id}`, "/@bob?tab=posts"]) {
      const page = await client.get(path);
      expect(page.res.status).toBe(200);
      const block = /<blockquote class="quoted-status"[\s\S]*?<\/blockquote>/.exec(page.body)?.[0];
      expect(block, path).toBeDefined();
      expect(block).toContain("the original lighthouse");
      expect(block).toContain(`/@alice/${original.json.id}`);
    }
    await call(instance, "DELETE", `/api/v1/statuses/${original.json.id}`, { token: alice.token });
    const after = await client.get(`/@bob/${quote.json.id}`);
    expect(after.body).not.toContain("the original lighthouse");
    expect(after.body).toContain("The quoted post was deleted");
  });
});
