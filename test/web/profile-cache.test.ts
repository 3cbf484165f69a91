// Profile pages shared by anonymous visitors: each response still has its own CSP nonce (and CSRF
// token), a new post or a profile edit shows at once, and signed-in visitors get their own page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateProfile } from "../../src/domain/profiles.ts";
import { publishStatus } from "../../src/domain/statuses.ts";
import { AnonymousPageCache } from "../../src/web/page-cache.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
let aliceId: string;

beforeAll(async () => {
  i = await createTestInstance();
  aliceId = (await localUser(i, "alice", { displayName: "Alice" })).account.id;
  await localUser(i, "bob");
});
afterAll(() => i?.close());

const nonceOf = (res: Response) =>
  /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy")!)![1]!;
const csrfOf = (body: string) => /name="csrf" value="([^"]+)"/.exec(body)?.[1];

describe("profile pages for anonymous visitors", () => {
  it("give every response its own nonce", async () => {
    const first = new PageClient(i.app);
    const second = new PageClient(i.app);
    const a = await first.get("/@alice");
    const b = await second.get("/@alice");
    const again = await first.get("/@alice");
    expect(a.res.status).toBe(200);
    for (const page of [a, b, again]) {
      expect(page.body).toContain(`nonce="${nonceOf(page.res)}"`);
      expect(page.body).not.toMatch(/nonce[0-9a-f]{32}|csrf[0-9a-f]{32}/);
    }
    expect(nonceOf(a.res)).not.toBe(nonceOf(again.res));
    expect(nonceOf(a.res)).not.toBe(nonceOf(b.res));
    expect(a.body.replaceAll(nonceOf(a.res), "")).toBe(
      again.body.replaceAll(nonceOf(again.res), ""),
    );
  });

  it("show a new post and a new display name on the next visit", async () => {
    const visitor = new PageClient(i.app);
    await visitor.get("/@alice?tab=posts");
    await publishStatus(i.deps, aliceId, { text: "A fresh post from Alice" });
    expect((await visitor.get("/@alice?tab=posts")).body).toContain("A fresh post from Alice");
    await updateProfile(i.deps.db, aliceId, { displayName: "Alice Renamed" });
    expect((await visitor.get("/@alice")).body).toContain("Alice Renamed");
  });

  it("are not what a signed-in visitor sees", async () => {
    const anonymous = new PageClient(i.app);
    expect((await anonymous.get("/@alice")).body).not.toContain('action="/@alice/follow"');
    const bob = new PageClient(i.app);
    await bob.signIn("bob");
    const page = await bob.get("/@alice");
    expect(page.body).toContain('action="/@alice/follow"');
    expect(csrfOf(page.body)).toBeDefined();
  });

  it("put each response's own nonce and CSRF token in place of the placeholders", async () => {
    const cache = new AnonymousPageCache();
    let renders = 0;
    const render = async (p: { nonce: string; csrf: string }) =>
      `<script nonce="${p.nonce}"></script><input name="csrf" value="${p.csrf}"> ${++renders}`;
    expect(await cache.page("k", "f", { nonce: "N1", csrf: "C1" }, render)).toBe(
      '<script nonce="N1"></script><input name="csrf" value="C1"> 1',
    );
    expect(await cache.page("k", "f", { nonce: "N2", csrf: "C2" }, render)).toBe(
      '<script nonce="N2"></script><input name="csrf" value="C2"> 1',
    );
  });

  it("expire after their time to live", async () => {
    let now = 0;
    const cache = new AnonymousPageCache({ ttlMs: 1000, now: () => now });
    let renders = 0;
    const render = async () => `page ${++renders}`;
    const values = { nonce: "n", csrf: "c" };
    expect(await cache.page("k", "f", values, render)).toBe("page 1");
    now = 999;
    expect(await cache.page("k", "f", values, render)).toBe("page 1");
    now = 1001;
    expect(await cache.page("k", "f", values, render)).toBe("page 2");
    expect(await cache.page("k", "changed", values, render)).toBe("page 3");
  });
});
