// One unread model: the web badge and the Mastodon apps share the notifications marker.
import { desc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { notifications } from "../../src/db/schema/index.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { call, localUser, notify } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const i: TestInstance = await createTestInstance();
  cleanups.push(() => i.close());
  const alice = await localUser(i, "alice");
  const bob = await localUser(i, "bob");
  const token = (
    await issueAccessToken(i.deps.db, {
      applicationId: null,
      accountId: alice.account.id,
      scopes: ["read", "write"],
    })
  ).accessToken;
  const client = new PageClient(i.app);
  await client.signIn("alice");
  const notifyAlice = async () => {
    await notify(i, alice.account.id, bob.account.id, "follow");
    return (
      await i.deps.db
        .select()
        .from(notifications)
        .where(eq(notifications.accountId, alice.account.id))
        .orderBy(desc(notifications.id))
        .limit(1)
    )[0]!.id;
  };
  return { i, token, client, notifyAlice };
}

const badge = async (client: PageClient) =>
  /aria-label="(\d+) unread"/.exec((await client.get("/home")).body)?.[1] ?? null;

describe("notifications: markers are the one unread model", () => {
  it("reading in an app (POST /api/v1/markers) clears the web badge", async () => {
    const { i, token, client, notifyAlice } = await setup();
    await notifyAlice();
    const newest = await notifyAlice();
    expect(await badge(client)).toBe("2");
    const saved = await call(i, "POST", "/api/v1/markers", {
      token,
      body: { notifications: { last_read_id: newest } },
    });
    expect(saved.status).toBe(200);
    expect(await badge(client)).toBeNull();
    await notifyAlice();
    expect(await badge(client)).toBe("1");
  });

  it("viewing the web page moves the marker apps read (GET /api/v1/markers)", async () => {
    const { i, token, client, notifyAlice } = await setup();
    const first = await notifyAlice();
    const page = await client.get("/notifications");
    expect(page.body).toContain("tag-new");
    const markers = async () =>
      (await call(i, "GET", "/api/v1/markers?timeline[]=notifications", { token })).json;
    expect((await markers()).notifications.last_read_id).toBe(first);
    expect(await badge(client)).toBeNull();
    // Seen once: shown again, nothing is new.
    expect((await client.get("/notifications")).body).not.toContain("tag-new");
    const second = await notifyAlice();
    await client.get("/notifications");
    expect((await markers()).notifications.last_read_id).toBe(second);
    // An older page does not move the marker back.
    await client.get(`/notifications?max_id=${second}`);
    expect((await markers()).notifications.last_read_id).toBe(second);
  });
});
