import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { favourites, statusEdits } from "../../src/db/schema/index.ts";
import {
  boost,
  call,
  follow,
  localUser,
  media,
  remoteAccount,
  status,
} from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

describe("statuses API", () => {
  it("serializes local and remote statuses with media, provenance, mentions, tags and viewer flags", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const mine = await status(instance, alice, {
      tags: ["Lighthouse"],
      mentions: [bob],
      spoilerText: "bright",
      sensitive: true,
      editedAt: new Date(),
    });
    const attachment = await media(instance, alice, mine.id, {
      provenance: {
        digitalSourceType: "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
        provider: "local",
        model: "atelier-local-1",
        prompt: "a lighthouse at dusk",
        seed: 42,
      },
    });
    const theirs = await status(instance, bob, { language: null });
    await media(instance, bob, theirs.id, {
      blurhash: null,
      thumbnailWidth: null,
      thumbnailHeight: null,
    });
    await instance.deps.db
      .insert(favourites)
      .values({ id: newId(), accountId: alice.id, statusId: theirs.id });

    const local = await call(instance, "GET", `/api/v1/statuses/${mine.id}`, { token });
    expect(local.status).toBe(200);
    const s = E.expectEntity(E.Status, local.json);
    expect(s.uri).toBe(`${instance.config.origin}/statuses/${mine.id}`);
    expect(s.spoiler_text).toBe("bright");
    expect(s.edited_at).not.toBeNull();
    expect(s.mentions).toEqual([
      {
        id: bob.id,
        username: "bob",
        acct: "bob@remote.example",
        url: "https://remote.example/@bob",
      },
    ]);
    expect(local.json.tags).toEqual([
      { name: "Lighthouse", url: `${instance.config.origin}/tags/lighthouse` },
    ]);
    const m = s.media_attachments[0]!;
    expect(m.id).toBe(attachment.id);
    expect(m.url).toBe(`${instance.config.origin}/media/ab/abcdef.webp`);
    expect(m.preview_url).toBe(`${instance.config.origin}/media/ab/abcdef-small.webp`);
    expect(m.meta).toEqual({
      original: { width: 1024, height: 768, size: "1024x768", aspect: 1.333333 },
      small: { width: 640, height: 480, size: "640x480", aspect: 1.333333 },
      focus: { x: 0.25, y: -0.5 },
    });
    expect(local.json.media_attachments[0].atelier.provenance).toMatchObject({
      ai_generated: true,
      model: "atelier-local-1",
      prompt: "a lighthouse at dusk",
      seed: 42,
    });
    expect(s.favourited).toBe(false);

    const remote = await call(instance, "GET", `/api/v1/statuses/${theirs.id}`, { token });
    const r = E.expectEntity(E.Status, remote.json);
    expect(r.account.acct).toBe("bob@remote.example");
    expect(r.favourited).toBe(true);
    expect(r.media_attachments[0]!.url).toBe("https://remote.example/media/1.png");
    expect(r.media_attachments[0]!.remote_url).toBe("https://remote.example/media/1.png");

    const anonymous = await call(instance, "GET", `/api/v1/statuses/${theirs.id}`);
    expect(anonymous.json.favourited).toBeUndefined();
    E.expectEntity(E.Status, anonymous.json);
  });

  it("shows meta.focus only for images that have a focal point, local and remote, as Mastodon does", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const mine = await status(instance, alice);
    await media(instance, alice, mine.id, { position: 0 });
    await media(instance, alice, mine.id, { position: 1, hasFocus: false, focusX: 0, focusY: 0 });
    const theirs = await status(instance, bob);
    await media(instance, bob, theirs.id, { position: 0, hasFocus: true, focusX: 0, focusY: 0 });
    await media(instance, bob, theirs.id, { position: 1, hasFocus: false, focusX: 0, focusY: 0 });
    const metas = async (id: string) => {
      const res = await call(instance, "GET", `/api/v1/statuses/${id}`, { token });
      return E.expectEntity(E.Status, res.json).media_attachments.map((m) => m.meta);
    };
    const [localWith, localWithout] = await metas(mine.id);
    expect(localWith!.focus).toEqual({ x: 0.25, y: -0.5 });
    expect(localWithout).not.toHaveProperty("focus");
    const [remoteWith, remoteWithout] = await metas(theirs.id);
    // An explicit centre is a focal point too; only "none" is left out.
    expect(remoteWith!.focus).toEqual({ x: 0, y: 0 });
    expect(remoteWithout).not.toHaveProperty("focus");
  });

  it("hides private and direct statuses from those not allowed to see them", async () => {
    const { account: alice, token: aliceToken } = await localUser(instance, "alice");
    const { account: bob, token: bobToken } = await localUser(instance, "bob");
    const { token: carolToken, account: carol } = await localUser(instance, "carol");
    await follow(instance, bob, alice);
    const priv = await status(instance, alice, { visibility: "private" });
    const direct = await status(instance, alice, { visibility: "direct", mentions: [carol] });
    const get = (id: string, token?: string) =>
      call(instance, "GET", `/api/v1/statuses/${id}`, token ? { token } : {});
    expect((await get(priv.id)).status).toBe(404);
    expect((await get(priv.id, carolToken)).status).toBe(404);
    expect((await get(priv.id, bobToken)).status).toBe(200);
    expect((await get(priv.id, aliceToken)).status).toBe(200);
    expect((await get(direct.id, bobToken)).status).toBe(404);
    expect((await get(direct.id, carolToken)).status).toBe(200);
    const timeline = await call(instance, "GET", `/api/v1/accounts/${alice.id}/statuses`);
    expect(timeline.json).toEqual([]);
    const forBob = await call(instance, "GET", `/api/v1/accounts/${alice.id}/statuses`, {
      token: bobToken,
    });
    expect(forBob.json.map((s: { id: string }) => s.id)).toEqual([priv.id]);
  });

  it("answers the thread context, who favourited and boosted, the source and the edit history", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const root = await status(instance, alice, { source: "root text" });
    const reply = await status(instance, bob, {
      inReplyToId: root.id,
      inReplyToAccountId: alice.id,
    });
    const nested = await status(instance, alice, {
      inReplyToId: reply.id,
      inReplyToAccountId: bob.id,
    });
    const hidden = await status(instance, bob, { inReplyToId: root.id, visibility: "direct" });
    void hidden;
    const ctx = await call(instance, "GET", `/api/v1/statuses/${reply.id}/context`, { token });
    const c = E.expectEntity(E.Context, ctx.json);
    expect(c.ancestors.map((s) => s.id)).toEqual([root.id]);
    expect(c.descendants.map((s) => s.id)).toEqual([nested.id]);
    const rootCtx = await call(instance, "GET", `/api/v1/statuses/${root.id}/context`);
    expect(rootCtx.json.descendants.map((s: { id: string }) => s.id)).toEqual([
      reply.id,
      nested.id,
    ]);

    await instance.deps.db
      .insert(favourites)
      .values({ id: newId(), accountId: bob.id, statusId: root.id });
    await boost(instance, bob, root);
    const favBy = await call(instance, "GET", `/api/v1/statuses/${root.id}/favourited_by`);
    expect(favBy.json.map((a: { acct: string }) => a.acct)).toEqual(["bob@remote.example"]);
    const boostBy = await call(instance, "GET", `/api/v1/statuses/${root.id}/reblogged_by`);
    expect(boostBy.json.map((a: { acct: string }) => a.acct)).toEqual(["bob@remote.example"]);

    const source = await call(instance, "GET", `/api/v1/statuses/${root.id}/source`, { token });
    expect(source.json).toEqual({ id: root.id, text: "root text", spoiler_text: "" });
    // Someone else's status, however visible, has no source for us: 404, exactly as an unknown id.
    const theirs = await status(instance, bob, { source: "bob's text" });
    const notOurs = await call(instance, "GET", `/api/v1/statuses/${theirs.id}/source`, { token });
    const unknown = await call(instance, "GET", "/api/v1/statuses/123/source", { token });
    expect(notOurs.status).toBe(404);
    expect(notOurs.json).toEqual({ error: "Record not found" });
    expect(unknown).toMatchObject({ status: notOurs.status, json: notOurs.json });

    await instance.deps.db
      .insert(statusEdits)
      .values({ id: newId(), statusId: root.id, content: "<p>first</p>", media: [] });
    const history = await call(instance, "GET", `/api/v1/statuses/${root.id}/history`);
    expect(history.json.map((v: { content: string }) => v.content)).toEqual([
      "<p>first</p>",
      root.content,
    ]);
  });

  it("bookmarks and unbookmarks, listing bookmarks newest first with Link headers", async () => {
    const { account: alice, token } = await localUser(instance, "alice");
    const bob = await remoteAccount(instance, "bob");
    const a = await status(instance, bob);
    const b = await status(instance, alice);
    const marked = await call(instance, "POST", `/api/v1/statuses/${a.id}/bookmark`, { token });
    expect(marked.json.bookmarked).toBe(true);
    await call(instance, "POST", `/api/v1/statuses/${b.id}/bookmark`, { token });
    await call(instance, "POST", `/api/v1/statuses/${b.id}/bookmark`, { token });
    const list = await call(instance, "GET", "/api/v1/bookmarks?limit=1", { token });
    expect(list.json.map((s: { id: string }) => s.id)).toEqual([b.id]);
    expect(list.headers.get("link")).toMatch(
      /max_id=\d+>; rel="next", <[^>]+min_id=\d+>; rel="prev"$/,
    );
    const unmarked = await call(instance, "POST", `/api/v1/statuses/${b.id}/unbookmark`, { token });
    expect(unmarked.json.bookmarked).toBe(false);
    const after = await call(instance, "GET", "/api/v1/bookmarks", { token });
    expect(after.json.map((s: { id: string }) => s.id)).toEqual([a.id]);
    expect((await call(instance, "POST", "/api/v1/statuses/999/bookmark", { token })).status).toBe(
      404,
    );

    await instance.deps.db
      .insert(favourites)
      .values({ id: newId(), accountId: alice.id, statusId: a.id });
    const favs = await call(instance, "GET", "/api/v1/favourites", { token });
    expect(favs.json.map((s: { id: string }) => s.id)).toEqual([a.id]);
    E.expectEntity(E.Status, favs.json[0]);
  });
});
