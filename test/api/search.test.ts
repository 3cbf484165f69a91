import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

describe("search and batch reads", () => {
  it("searches stored accounts, hashtags and visible statuses", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob", "remote.example", { indexable: true });
    const lighthouse = await status(instance, bob, {
      content: "<p>A lighthouse at dusk</p>",
      tags: ["Lighthouses"],
    });
    const own = await status(instance, alice, {
      content: "<p>secret lighthouse</p>",
      visibility: "private",
    });
    const res = await call(instance, "GET", "/api/v2/search?q=lighthouse", { token });
    expect(res.status).toBe(200);
    expect(res.json.statuses.map((s: { id: string }) => s.id)).toEqual([own.id, lighthouse.id]);
    expect(res.json.hashtags.map((t: { name: string }) => t.name)).toEqual(["Lighthouses"]);
    for (const t of res.json.hashtags) E.expectEntity(E.Tag, t);
    for (const s of res.json.statuses) E.expectEntity(E.Status, s);

    const byUrl = await call(
      instance,
      "GET",
      `/api/v2/search?q=${encodeURIComponent(lighthouse.iri)}`,
    );
    expect(byUrl.json.statuses.map((s: { id: string }) => s.id)).toEqual([lighthouse.id]);

    const people = await call(
      instance,
      "GET",
      "/api/v2/search?q=@bob@remote.example&type=accounts",
      {
        token,
      },
    );
    expect(people.json.accounts.map((a: { id: string }) => a.id)).toEqual([bob.id]);
    expect(people.json.statuses).toEqual([]);
    E.expectEntity(E.Account, people.json.accounts[0]);

    const blank = await call(instance, "GET", "/api/v2/search?q=");
    expect(blank.status).toBe(422);
  });

  it("reads several statuses and accounts at once, in order, skipping hidden ones", async () => {
    const { account: alice } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const a = await status(instance, alice);
    const b = await status(instance, bob);
    const hidden = await status(instance, alice, { visibility: "private" });
    const res = await call(
      instance,
      "GET",
      `/api/v1/statuses?id[]=${b.id}&id[]=${hidden.id}&id[]=${a.id}&id[]=1`,
    );
    expect(res.json.map((s: { id: string }) => s.id)).toEqual([b.id, a.id]);
    const accounts = await call(
      instance,
      "GET",
      `/api/v1/accounts?id[]=${bob.id}&id[]=${alice.id}`,
    );
    expect(accounts.json.map((x: { acct: string }) => x.acct)).toEqual([
      "bob@remote.example",
      "alice",
    ]);
  });
});
