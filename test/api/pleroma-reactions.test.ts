// Emoji reactions through Pleroma's and Akkoma's API: PUT and DELETE
// /api/v1/pleroma/statuses/:id/reactions/:emoji (a unicode emoji, a local custom emoji, or another
// server's known here as Akkoma allows), the list with its accounts, `pleroma.emoji_reactions` on Status
// for a page of statuses, and the author's `pleroma:emoji_reaction` notification; anything else is a
// 400, a hidden status a 404.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { customEmojis, emojiReactions } from "../../src/db/schema/index.ts";
import { reactToStatus } from "../../src/domain/emoji-reactions.ts";
import type { DomainEventType } from "../../src/domain/events.ts";
import { cliOn } from "../helpers/cli-in-process.ts";
import { call, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: TestInstance;
const dispatched: DomainEventType[] = [];
const dir = mkdtempSync(join(tmpdir(), "atelier-reactions-"));

beforeAll(async () => {
  instance = await createTestInstance();
  for (const type of ["reaction.created", "reaction.undone"] as const)
    instance.deps.events.on(type, "test", () => void dispatched.push(type));
  const png = await sharp({
    create: { width: 64, height: 64, channels: 4, background: { r: 200, g: 40, b: 90, alpha: 1 } },
  })
    .png()
    .toBuffer();
  const path = join(dir, "palette.png");
  writeFileSync(path, png);
  expect((await cliOn(instance, "emoji", "add", "palette", path)).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await instance?.close();
  rmSync(dir, { recursive: true, force: true });
});

const reactions = (path: string) => `/api/v1/pleroma/statuses/${path}`;

describe("Pleroma's emoji reaction API", () => {
  it("reacts with a unicode emoji, shows it on the status, notifies the author and takes it back", async () => {
    const alice = await localUser(instance, "alice1");
    const bob = await localUser(instance, "bob1");
    const post = await status(instance, alice.account);
    const put = await call(instance, "PUT", reactions(`${post.id}/reactions/🎨`), {
      token: bob.token,
    });
    expect(put.status).toBe(200);
    E.expectEntity(E.Status, put.json);
    expect(put.json.pleroma.emoji_reactions).toEqual([
      { name: "🎨", count: 1, me: true, url: null },
    ]);
    // A second time is the same one reaction.
    await call(instance, "PUT", reactions(`${post.id}/reactions/🎨`), { token: bob.token });

    const seenByAlice = await call(instance, "GET", `/api/v1/statuses/${post.id}`, {
      token: alice.token,
    });
    expect(seenByAlice.json.pleroma.emoji_reactions).toEqual([
      { name: "🎨", count: 1, me: false, url: null },
    ]);
    const anonymous = await call(instance, "GET", `/api/v1/statuses/${post.id}`);
    expect(anonymous.json.pleroma.emoji_reactions[0]).toMatchObject({ count: 1, me: false });

    // Only clients that ask get the reaction, by Pleroma's name or its include_types.
    const plain = await call(instance, "GET", "/api/v1/notifications", { token: alice.token });
    expect(plain.json).toEqual([]);
    for (const query of [
      "types[]=pleroma:emoji_reaction",
      "include_types[]=pleroma:emoji_reaction",
    ]) {
      const asked = await call(instance, "GET", `/api/v1/notifications?${query}`, {
        token: alice.token,
      });
      expect(asked.json).toHaveLength(1);
      expect(asked.json[0]).toMatchObject({
        type: "pleroma:emoji_reaction",
        emoji: "🎨",
        emoji_url: null,
        account: { id: bob.account.id },
        status: { id: post.id },
      });
    }

    const listed = await call(instance, "GET", reactions(`${post.id}/reactions`), {
      token: alice.token,
    });
    expect(listed.status).toBe(200);
    expect(listed.json).toHaveLength(1);
    expect(listed.json[0]).toMatchObject({ name: "🎨", count: 1, me: false, url: null });
    expect(listed.json[0].accounts.map((a: { id: string }) => a.id)).toEqual([bob.account.id]);

    const removed = await call(instance, "DELETE", reactions(`${post.id}/reactions/🎨`), {
      token: bob.token,
    });
    expect(removed.status).toBe(200);
    expect(removed.json.pleroma.emoji_reactions).toEqual([]);
    expect((await call(instance, "GET", reactions(`${post.id}/reactions`))).json).toEqual([]);
    await instance.deps.events.drain();
    expect(dispatched).toEqual(expect.arrayContaining(["reaction.created", "reaction.undone"]));
  });

  it("reacts with a local custom emoji by :shortcode: or bare shortcode, shown with its image", async () => {
    const alice = await localUser(instance, "alice2");
    const bob = await localUser(instance, "bob2");
    const carol = await localUser(instance, "carol2");
    const post = await status(instance, alice.account);
    await call(instance, "PUT", reactions(`${post.id}/reactions/:palette:`), { token: bob.token });
    const second = await call(instance, "PUT", reactions(`${post.id}/reactions/palette`), {
      token: carol.token,
    });
    expect(second.status).toBe(200);
    const [reaction] = second.json.pleroma.emoji_reactions;
    expect(reaction).toMatchObject({ name: "palette", count: 2, me: true });
    expect(reaction.url).toMatch(/^http.*\/media\//);
    const one = await call(instance, "GET", reactions(`${post.id}/reactions/palette`));
    expect(one.json).toHaveLength(1);
    expect(one.json[0].accounts.map((a: { id: string }) => a.id)).toEqual([
      bob.account.id,
      carol.account.id,
    ]);
    expect((await call(instance, "GET", reactions(`${post.id}/reactions/🎨`))).json).toEqual([]);
    const notified = await call(
      instance,
      "GET",
      "/api/v1/notifications?types[]=pleroma:emoji_reaction",
      { token: alice.token },
    );
    expect(notified.json.map((n: { emoji: string }) => n.emoji)).toEqual([
      ":palette:",
      ":palette:",
    ]);
    expect(notified.json[0].emoji_url).toBe(reaction.url);
  });

  it("counts each status's reactions on a page of statuses", async () => {
    const alice = await localUser(instance, "alice3");
    const bob = await localUser(instance, "bob3");
    const first = await status(instance, alice.account);
    const second = await status(instance, alice.account);
    const third = await status(instance, alice.account);
    for (const emoji of ["👍", "🔥"])
      await call(instance, "PUT", reactions(`${first.id}/reactions/${emoji}`), {
        token: bob.token,
      });
    await call(instance, "PUT", reactions(`${second.id}/reactions/🔥`), { token: alice.token });
    await call(instance, "PUT", reactions(`${second.id}/reactions/🔥`), { token: bob.token });
    const page = await call(
      instance,
      "GET",
      `/api/v1/statuses?id[]=${first.id}&id[]=${second.id}&id[]=${third.id}`,
      { token: bob.token },
    );
    const byId = new Map(page.json.map((s: { id: string; pleroma: unknown }) => [s.id, s.pleroma]));
    expect(byId.get(first.id)).toEqual({
      emoji_reactions: [
        { name: "👍", count: 1, me: true, url: null },
        { name: "🔥", count: 1, me: true, url: null },
      ],
    });
    expect(byId.get(second.id)).toEqual({
      emoji_reactions: [{ name: "🔥", count: 2, me: true, url: null }],
    });
    expect(byId.get(third.id)).toEqual({ emoji_reactions: [] });
  });

  it("refuses what is not one emoji or a local custom emoji, and statuses the user may not see", async () => {
    const alice = await localUser(instance, "alice4");
    const bob = await localUser(instance, "bob4");
    const post = await status(instance, alice.account);
    for (const emoji of ["hello", ":nope:", "🎨🎨", "<b>", "blob@elsewhere.example"]) {
      const res = await call(
        instance,
        "PUT",
        reactions(`${post.id}/reactions/${encodeURIComponent(emoji)}`),
        { token: bob.token },
      );
      expect(res.status, emoji).toBe(400);
      expect(res.json.error).toMatch(/emoji/i);
    }
    expect((await call(instance, "GET", reactions(`${post.id}/reactions`))).json).toEqual([]);

    const hidden = await status(instance, alice.account, { visibility: "private" });
    const put = await call(instance, "PUT", reactions(`${hidden.id}/reactions/🎨`), {
      token: bob.token,
    });
    expect(put.status).toBe(404);
    expect((await call(instance, "GET", reactions(`${hidden.id}/reactions`))).status).toBe(404);
    // Writing needs a token.
    expect((await call(instance, "PUT", reactions(`${post.id}/reactions/🎨`))).status).toBe(401);
  });

  it("reacts with another server's emoji known here, and refuses one it does not know", async () => {
    const alice = await localUser(instance, "alice5");
    const bob = await localUser(instance, "bob5");
    const post = await status(instance, alice.account);
    const other = await status(instance, alice.account);
    // Known from a post of that server's: its Emoji tag was stored, with its image there.
    await instance.deps.db.insert(customEmojis).values([
      {
        id: newId(),
        shortcode: "blobcat",
        domain: "akkoma.example",
        iri: "https://akkoma.example/emoji/blobcat",
        remoteUrl: "https://akkoma.example/emoji/blobcat.png",
      },
      {
        id: newId(),
        shortcode: "banned",
        domain: "akkoma.example",
        remoteUrl: "https://akkoma.example/emoji/banned.png",
        disabled: true,
      },
    ]);
    for (const emoji of ["blobcat@akkoma.example", ":blobcat@akkoma.example:"]) {
      const put = await call(
        instance,
        "PUT",
        reactions(`${post.id}/reactions/${encodeURIComponent(emoji)}`),
        { token: bob.token },
      );
      expect(put.status, emoji).toBe(200);
      expect(put.json.pleroma.emoji_reactions).toEqual([
        {
          name: "blobcat@akkoma.example",
          count: 1,
          me: true,
          url: "https://akkoma.example/emoji/blobcat.png",
        },
      ]);
    }
    // Known from a reaction on this very status (Akkoma's rule), and only there.
    const misa = await remoteAccount(instance, "misa5", "misskey.example");
    await reactToStatus(instance.deps.db, instance.deps.urls, misa, post, {
      name: ":wave@misskey.example:",
      emojiUrl: "https://misskey.example/files/wave.webp",
    });
    const wave = await call(
      instance,
      "PUT",
      reactions(`${post.id}/reactions/wave@misskey.example`),
      { token: bob.token },
    );
    expect(wave.status).toBe(200);
    expect(wave.json.pleroma.emoji_reactions).toContainEqual({
      name: "wave@misskey.example",
      count: 2,
      me: true,
      url: "https://misskey.example/files/wave.webp",
    });

    const before = await instance.deps.db
      .select()
      .from(emojiReactions)
      .where(eq(emojiReactions.accountId, bob.account.id));
    for (const [statusId, emoji] of [
      [post.id, "nope@akkoma.example"],
      [post.id, "blobcat@elsewhere.example"],
      [post.id, "banned@akkoma.example"],
      [other.id, "wave@misskey.example"],
    ] as const) {
      const res = await call(
        instance,
        "PUT",
        reactions(`${statusId}/reactions/${encodeURIComponent(emoji)}`),
        { token: bob.token },
      );
      expect(res.status, emoji).toBe(400);
      expect(res.json.error).toMatch(/emoji/i);
    }
    const after = await instance.deps.db
      .select()
      .from(emojiReactions)
      .where(eq(emojiReactions.accountId, bob.account.id));
    expect(after).toEqual(before);

    const removed = await call(
      instance,
      "DELETE",
      reactions(`${post.id}/reactions/blobcat@akkoma.example`),
      { token: bob.token },
    );
    expect(removed.status).toBe(200);
    expect(removed.json.pleroma.emoji_reactions.map((r: { name: string }) => r.name)).toEqual([
      "wave@misskey.example",
    ]);
  });
});
