// The profile directory through masto.js against a real server: only discoverable accounts (never a
// suspended, moved, limited or not yet approved one), by latest post or newest first, local only on
// request, paged by offset with limit 40 by default and at most 80; a signed-in viewer's blocks, mutes
// and domain blocks leave accounts out, and a limited account is listed for its followers only.
import { eq } from "drizzle-orm";
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import {
  type Account,
  accountDomainBlocks,
  accounts,
  blocks,
  mutes,
  users,
} from "../../src/db/schema/index.ts";
import { call, follow, localUser, remoteAccount } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

const HOUR = 3600_000;
let instance: ServedInstance;
let anonymous: mastodon.rest.Client;
let me: { account: Account; token: string };
let fan: { account: Account; token: string };
const names = new Map<string, string>();

const posted = (hoursAgo: number) => ({ lastStatusAt: new Date(Date.now() - hoursAgo * HOUR) });

async function local(name: string, extra: Partial<Account> = {}) {
  const user = await localUser(instance, name);
  if (Object.keys(extra).length > 0) {
    await instance.deps.db.update(accounts).set(extra).where(eq(accounts.id, user.account.id));
  }
  names.set(user.account.id, name);
  return user;
}

async function remote(name: string, extra: Partial<Account> = {}, domain = "remote.example") {
  const account = await remoteAccount(instance, name, domain, { discoverable: true, ...extra });
  names.set(account.id, name);
  return account;
}

const listed = async (client: mastodon.rest.Client, params: mastodon.rest.v1.ListDirectoryParams) =>
  (await client.v1.directory.list(params)).map((a) => names.get(a.id) ?? a.acct);

beforeAll(async () => {
  instance = await serveTestInstance();
  anonymous = createRestAPIClient({ url: instance.url });
  // Created in this order (ids grow with it), which `order=new` lists backwards.
  me = await local("me");
  await local("alice", posted(2));
  await local("bob", posted(3));
  await local("quiet");
  await local("hidden", { discoverable: false, ...posted(1) });
  const waiting = await local("waiting", posted(1));
  await instance.deps.db
    .update(users)
    .set({ approvedAt: null })
    .where(eq(users.accountId, waiting.account.id));
  await remote("carol", posted(1));
  await remote("shy", { discoverable: false, ...posted(1) });
  await remote("gone", { suspendedAt: new Date(), ...posted(1) });
  const limited = await remote("limited", { limitedAt: new Date(), ...posted(7) });
  const home = await remote("newhome", { discoverable: false });
  await remote("moved", { movedToAccountId: home.id, ...posted(1) });
  await remote("faraway", posted(4), "far.example");
  const blocked = await remote("blocked", posted(5));
  const muted = await remote("muted", posted(6));
  fan = await local("fan");
  await follow(instance, fan.account, limited);
  await instance.deps.db
    .insert(blocks)
    .values({ id: newId(), accountId: me.account.id, targetAccountId: blocked.id });
  await instance.deps.db
    .insert(mutes)
    .values({ id: newId(), accountId: me.account.id, targetAccountId: muted.id });
  await instance.deps.db
    .insert(accountDomainBlocks)
    .values({ id: newId(), accountId: me.account.id, domain: "far.example" });
});
afterAll(() => instance.close());

describe("GET /api/v1/directory", () => {
  it("lists discoverable accounts by their latest post, those that never posted last", async () => {
    const all = ["carol", "alice", "bob", "faraway", "blocked", "muted", "fan", "quiet", "me"];
    expect(await listed(anonymous, {})).toEqual(all);
    expect(await listed(anonymous, { order: "active" })).toEqual(all);
    const raw = await call(instance, "GET", "/api/v1/directory");
    expect(raw.status).toBe(200);
    expect(E.Account.parse(raw.json[0]).username).toBe("carol");
  });

  it("lists the newest accounts first with order=new", async () => {
    expect(await listed(anonymous, { order: "new" })).toEqual([
      "fan",
      "muted",
      "blocked",
      "faraway",
      "carol",
      "quiet",
      "bob",
      "alice",
      "me",
    ]);
  });

  it("lists only this instance's accounts with local=true", async () => {
    expect(await listed(anonymous, { local: true })).toEqual([
      "alice",
      "bob",
      "fan",
      "quiet",
      "me",
    ]);
    const raw = await call(instance, "GET", "/api/v1/directory?local=true&order=new");
    expect(raw.json.map((a: { username: string }) => a.username)).toEqual([
      "fan",
      "quiet",
      "bob",
      "alice",
      "me",
    ]);
  });

  it("leaves out the accounts the viewer blocked, muted or whose domain they blocked", async () => {
    const client = createRestAPIClient({ url: instance.url, accessToken: me.token });
    expect(await listed(client, {})).toEqual(["carol", "alice", "bob", "fan", "quiet", "me"]);
  });

  it("lists a limited account to its followers only", async () => {
    const client = createRestAPIClient({ url: instance.url, accessToken: fan.token });
    expect(await listed(client, {})).toEqual([
      "carol",
      "alice",
      "bob",
      "faraway",
      "blocked",
      "muted",
      "limited",
      "fan",
      "quiet",
      "me",
    ]);
  });

  it("pages by offset and limit, and refuses parameters it cannot read", async () => {
    expect(await listed(anonymous, { limit: 2, offset: 1 })).toEqual(["alice", "bob"]);
    expect(await listed(anonymous, { limit: 3, offset: 8 })).toEqual(["me"]);
    expect(await listed(anonymous, { limit: 0 })).toEqual(["carol"]);
    for (const query of ["limit=abc", "offset=-1", "offset=1.5", "order=popular"]) {
      const res = await call(instance, "GET", `/api/v1/directory?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.json.error, query).toMatch(/must be/);
    }
  });

  it("answers 40 accounts by default and at most 80", async () => {
    await instance.deps.db.insert(accounts).values(
      Array.from({ length: 85 }, (_, n) => ({
        id: newId(),
        username: `crowd${n}`,
        domain: "crowd.example",
        iri: `https://crowd.example/users/crowd${n}`,
        discoverable: true,
      })),
    );
    expect((await call(instance, "GET", "/api/v1/directory")).json).toHaveLength(40);
    expect((await call(instance, "GET", "/api/v1/directory?limit=100")).json).toHaveLength(80);
    expect((await call(instance, "GET", "/api/v1/directory?limit=80&offset=80")).json).toHaveLength(
      85 + 9 - 80,
    );
  });
});
