// Undoing a favourite, a boost or an emoji reaction takes back the notification it gave, as Mastodon
// deletes a notification with its activity: the lists (plain and grouped) no longer show it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let i: TestInstance;
beforeAll(async () => {
  i = await createTestInstance();
});
afterAll(async () => {
  await i.close();
});

describe("undone interactions", () => {
  it("take back their notifications", async () => {
    const alice = await localUser(i, "alice");
    const bob = await localUser(i, "bob");
    const carol = await localUser(i, "carol");
    const post = (
      await call(i, "POST", "/api/v1/statuses", { token: alice.token, body: { status: "hi" } })
    ).json.id as string;
    const as = (token: string, method: string, path: string) => call(i, method, path, { token });
    for (const who of [bob, carol]) {
      expect((await as(who.token, "POST", `/api/v1/statuses/${post}/favourite`)).status).toBe(200);
    }
    expect((await as(bob.token, "POST", `/api/v1/statuses/${post}/reblog`)).status).toBe(200);
    const react = `/api/v1/pleroma/statuses/${post}/reactions/${encodeURIComponent("🎨")}`;
    expect((await as(bob.token, "PUT", react)).status).toBe(200);
    const types = async () =>
      (
        (
          await call(
            i,
            "GET",
            "/api/v1/notifications?types[]=favourite&types[]=reblog&types[]=pleroma:emoji_reaction",
            { token: alice.token },
          )
        ).json as { type: string; account: { acct: string } }[]
      )
        .map((n) => `${n.type} ${n.account.acct}`)
        .sort();
    expect(await types()).toEqual([
      "favourite bob",
      "favourite carol",
      "pleroma:emoji_reaction bob",
      "reblog bob",
    ]);

    expect((await as(bob.token, "POST", `/api/v1/statuses/${post}/unfavourite`)).status).toBe(200);
    expect((await as(bob.token, "POST", `/api/v1/statuses/${post}/unreblog`)).status).toBe(200);
    expect((await as(bob.token, "DELETE", react)).status).toBe(200);
    expect(await types()).toEqual(["favourite carol"]);
    const grouped = (await call(i, "GET", "/api/v2/notifications", { token: alice.token }))
      .json as {
      notification_groups: { type: string; notifications_count: number }[];
    };
    expect(grouped.notification_groups.map((g) => [g.type, g.notifications_count])).toEqual([
      ["favourite", 1],
    ]);
  });
});
