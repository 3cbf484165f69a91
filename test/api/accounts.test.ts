import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { watchEvents } from "../helpers/events.ts";
import { call, follow, localUser, media, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

describe("accounts API", () => {
  it("serializes local and remote accounts with acct, URLs and default images", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob", "remote.example:8443", { avatarUrl: null });
    const local = await call(instance, "GET", `/api/v1/accounts/${alice.id}`, { token });
    expect(local.status).toBe(200);
    const a = E.expectEntity(E.Account, local.json);
    expect(a.acct).toBe("alice");
    expect(a.url).toBe(`${instance.config.origin}/@alice`);
    expect(a.avatar).toBe(`${instance.config.origin}/avatars/original/missing.png`);

    const remote = await call(instance, "GET", `/api/v1/accounts/${bob.id}`);
    const b = E.expectEntity(E.Account, remote.json);
    expect(b.acct).toBe("bob@remote.example:8443");
    expect(b.avatar).toBe(`${instance.config.origin}/avatars/original/missing.png`);
    expect(b.fields[0]!.value).toContain("<a href");

    const image = await instance.app.request("/avatars/original/missing.png");
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect((await call(instance, "GET", "/api/v1/accounts/123")).status).toBe(404);
  });

  it("looks up accounts by acct and searches stored accounts", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    await remoteAccount(instance, "bobby", "other.example");
    const byName = await call(instance, "GET", "/api/v1/accounts/lookup?acct=alice");
    expect(byName.json.id).toBe(alice.id);
    const withDomain = await call(
      instance,
      "GET",
      `/api/v1/accounts/lookup?acct=alice@${instance.config.domain}`,
    );
    expect(withDomain.json.id).toBe(alice.id);
    const remote = await call(instance, "GET", "/api/v1/accounts/lookup?acct=@BOB@remote.example");
    expect(remote.json.id).toBe(bob.id);
    expect((await call(instance, "GET", "/api/v1/accounts/lookup?acct=nobody")).status).toBe(404);

    const search = await call(instance, "GET", "/api/v1/accounts/search?q=bob", { token });
    expect(search.status).toBe(200);
    expect(search.json.map((a: { acct: string }) => a.acct)).toEqual([
      "bob@remote.example",
      "bobby@other.example",
    ]);
    for (const a of search.json) E.expectEntity(E.Account, a);
    const exact = await call(instance, "GET", "/api/v1/accounts/search?q=bobby@other.example", {
      token,
    });
    expect(exact.json).toHaveLength(1);
  });

  it("updates credentials, renders the note as HTML and records an account.updated event", async () => {
    const { token } = await localUser(instance, "alice");
    const seen = watchEvents(instance.deps.events, "account.updated");
    const res = await call(instance, "PATCH", "/api/v1/accounts/update_credentials", {
      token,
      form: {
        display_name: "Alice <Painter>",
        note: "Line one\nline <two>",
        locked: "true",
        bot: "false",
        "fields_attributes[0][name]": "Site",
        "fields_attributes[0][value]": "https://alice.example",
        "fields_attributes[1][name]": "Medium",
        "fields_attributes[1][value]": "prompts",
      },
    });
    expect(res.json.error).toBeUndefined();
    expect(res.status).toBe(200);
    const me = E.expectEntity(E.CredentialAccount, res.json);
    expect(me.display_name).toBe("Alice <Painter>");
    expect(me.note).toBe("<p>Line one<br>line &#60;two&#62;</p>");
    expect(me.source.note).toBe("Line one\nline <two>");
    expect(me.locked).toBe(true);
    expect(me.fields.map((f) => f.name)).toEqual(["Site", "Medium"]);
    await instance.deps.events.drain();
    expect(seen.map((e) => e.type)).toContain("account.updated");

    const tooLong = await call(instance, "PATCH", "/api/v1/accounts/update_credentials", {
      token,
      body: { display_name: "x".repeat(31) },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json.details.display_name).toBeDefined();
  });

  it("lists an account's statuses with only_media, exclude_replies, exclude_reblogs and tagged", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const plain = await status(instance, alice, { tags: ["Sunset"] });
    const withMedia = await status(instance, alice);
    await media(instance, alice, withMedia.id);
    const reply = await status(instance, alice, {
      inReplyToId: plain.id,
      inReplyToAccountId: bob.id,
    });
    const original = await status(instance, bob);
    const boost = await status(instance, alice, { reblogOfId: original.id, content: "" });
    const ids = async (query: string) =>
      (
        await call(instance, "GET", `/api/v1/accounts/${alice.id}/statuses${query}`, { token })
      ).json.map((s: { id: string }) => s.id);
    expect(await ids("")).toEqual([boost.id, reply.id, withMedia.id, plain.id]);
    expect(await ids("?only_media=true")).toEqual([withMedia.id]);
    expect(await ids("?exclude_replies=true")).toEqual([boost.id, withMedia.id, plain.id]);
    expect(await ids("?exclude_reblogs=true")).toEqual([reply.id, withMedia.id, plain.id]);
    expect(await ids("?tagged=sunset")).toEqual([plain.id]);
    expect(await ids("?pinned=true")).toEqual([]);
    const all = await call(instance, "GET", `/api/v1/accounts/${alice.id}/statuses`, { token });
    for (const s of all.json) E.expectEntity(E.Status, s);
    expect(all.json[0].reblog.account.acct).toBe("bob@remote.example");
  });

  it("lists followers and following with Link headers and reports relationships", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const carol = await remoteAccount(instance, "carol");
    const dave = await remoteAccount(instance, "dave");
    await follow(instance, bob, alice);
    await follow(instance, carol, alice);
    await follow(instance, dave, alice, "pending");
    await follow(instance, alice, bob);
    await follow(instance, alice, carol, "pending");
    const first = await call(instance, "GET", `/api/v1/accounts/${alice.id}/followers?limit=1`, {
      token,
    });
    expect(first.json.map((a: { acct: string }) => a.acct)).toEqual(["carol@remote.example"]);
    const link = first.headers.get("link")!;
    const next = /<([^>]+)>; rel="next"/.exec(link)![1]!;
    expect(next).toMatch(
      /^http:\/\/localhost:3000\/api\/v1\/accounts\/\d+\/followers\?limit=1&max_id=\d+$/,
    );
    const second = await call(instance, "GET", new URL(next).pathname + new URL(next).search, {
      token,
    });
    expect(second.json.map((a: { acct: string }) => a.acct)).toEqual(["bob@remote.example"]);

    const following = await call(instance, "GET", `/api/v1/accounts/${alice.id}/following`);
    expect(following.json.map((a: { acct: string }) => a.acct)).toEqual(["bob@remote.example"]);

    const rel = await call(
      instance,
      "GET",
      `/api/v1/accounts/relationships?id[]=${bob.id}&id[]=${carol.id}&id[]=${dave.id}`,
      { token },
    );
    expect(rel.status).toBe(200);
    const [rb, rc, rd] = rel.json.map((r: unknown) => E.expectEntity(E.Relationship, r));
    expect(rb).toMatchObject({ id: bob.id, following: true, followed_by: true, requested: false });
    expect(rc).toMatchObject({ following: false, requested: true, followed_by: true });
    expect(rd).toMatchObject({ following: false, requested_by: true, followed_by: false });

    const requests = await call(instance, "GET", "/api/v1/follow_requests", { token });
    expect(requests.json.map((a: { id: string }) => a.id)).toEqual([dave.id]);
    const me = await call(instance, "GET", "/api/v1/accounts/verify_credentials", { token });
    expect(me.json.source.follow_requests_count).toBe(1);
  });
});
