import { afterEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { returned } from "../../src/db/returned.ts";
import { accounts, follows } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import {
  blockDomain,
  domainBlockMatcher,
  isDomainBlocked,
  normalizeBlockedDomain,
} from "../../src/domain/moderation.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance | undefined;
afterEach(async () => {
  await instance?.close();
  instance = undefined;
});

describe("domain blocks", () => {
  it("covers every port and subdomain of a host blocked without a port, and one port otherwise", async () => {
    instance = await createTestInstance();
    const { db } = instance.deps;
    await blockDomain(db, "evil.example");
    await blockDomain(db, "http://localhost:3102/users/x");
    expect(await isDomainBlocked(db, "evil.example")).toBe(true);
    expect(await isDomainBlocked(db, "evil.example:8443")).toBe(true);
    expect(await isDomainBlocked(db, "media.evil.example")).toBe(true);
    expect(await isDomainBlocked(db, "notevil.example")).toBe(false);
    expect(await isDomainBlocked(db, "localhost:3102")).toBe(true);
    expect(await isDomainBlocked(db, "localhost:3103")).toBe(false);
    expect(() => normalizeBlockedDomain("javascript:alert(1)")).toThrow(/Not a host/);
  });

  it("matches every spelling of a blocked host: trailing dot, any case, punycode, with a port", async () => {
    instance = await createTestInstance();
    const { db } = instance.deps;
    await blockDomain(db, "evil.example");
    await blockDomain(db, "BÜCHER.example.");
    await blockDomain(db, "Localhost.:3102");
    const matcher = await domainBlockMatcher(db);
    for (const host of [
      "evil.example.",
      "EVIL.example",
      "Evil.Example.:8443",
      "media.evil.example.",
      "xn--bcher-kva.example",
      "bücher.example",
      "XN--BCHER-KVA.EXAMPLE.",
      "localhost.:3102",
      "LOCALHOST:3102",
    ]) {
      expect([host, await isDomainBlocked(db, host)]).toEqual([host, true]);
      expect([host, matcher(host)]).toEqual([host, true]);
    }
    expect(await isDomainBlocked(db, "localhost:3103")).toBe(false);
    expect(normalizeBlockedDomain("BÜCHER.example.")).toBe("xn--bcher-kva.example");
    expect(normalizeBlockedDomain("https://Evil.Example.:8443/users/x")).toBe("evil.example:8443");
  });

  it("answers for many hosts from one reading of the block list as isDomainBlocked does", async () => {
    instance = await createTestInstance();
    const { db } = instance.deps;
    expect((await domainBlockMatcher(db))("evil.example")).toBe(false);
    await blockDomain(db, "evil.example");
    await blockDomain(db, "localhost:3102");
    const isBlocked = await domainBlockMatcher(db);
    const hosts = [
      "evil.example",
      "EVIL.example:8443",
      "media.evil.example",
      "notevil.example",
      "example",
      "localhost:3102",
      "localhost:3103",
      "localhost",
    ];
    expect(hosts.map(isBlocked)).toEqual(
      await Promise.all(hosts.map(async (h) => await isDomainBlocked(db, h))),
    );
    expect(hosts.filter(isBlocked)).toEqual([
      "evil.example",
      "EVIL.example:8443",
      "media.evil.example",
      "localhost:3102",
    ]);
  });

  it("removes follows with the blocked host's accounts and fixes the counters", async () => {
    instance = await createTestInstance();
    const { db, urls } = instance.deps;
    const { account: alice } = await createLocalUser(db, urls, {
      username: "alice",
      password: "password1",
    });
    const remote = returned(
      await db
        .insert(accounts)
        .values({
          id: newId(),
          username: "eve",
          domain: "evil.example",
          iri: "https://evil.example/users/eve",
          inboxUrl: "https://evil.example/users/eve/inbox",
          followingCount: 1,
        })
        .returning(),
    );
    await db
      .insert(follows)
      .values({ id: newId(), accountId: remote.id, targetAccountId: alice.id, state: "accepted" });
    await db.update(accounts).set({ followersCount: 1 });
    const result = await blockDomain(db, "evil.example");
    expect(result.removedFollows).toBe(1);
    expect(await db.select().from(follows)).toEqual([]);
    const after = (await db.select().from(accounts)).find((a) => a.id === alice.id)!;
    expect(after.followersCount).toBe(0);
  });
});
