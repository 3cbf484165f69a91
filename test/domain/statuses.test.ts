import { asc, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import {
  accounts,
  domainEvents,
  mediaAttachments,
  statusEdits,
  statuses,
  statusMentions,
  statusTags,
} from "../../src/db/schema/index.ts";
import { createDeps, type Deps } from "../../src/deps.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { startRemix } from "../../src/domain/remix.ts";
import { deleteStatus, editStatus, publishStatus } from "../../src/domain/statuses.ts";
import { tempDir, testConfig } from "../helpers/instance.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(env: Record<string, string> = {}) {
  const dir = tempDir();
  const deps = await createDeps(testConfig({ DATA_DIR: dir.path, ...env }));
  cleanups.push(() => dir.remove());
  cleanups.push(() => deps.close());
  const alice = (
    await createLocalUser(deps.db, deps.urls, { username: "alice", password: "correct horse" })
  ).account;
  return { deps, alice };
}

const photo = (color = "#336699") =>
  sharp({ create: { width: 120, height: 90, channels: 3, background: color } })
    .jpeg()
    .toBuffer();

async function generated(deps: Deps, accountId: string, prompt = "a fox made of autumn leaves") {
  await deps.start();
  const job = await deps.generation.request(accountId, { prompt, size: "256x256", seed: 3 });
  await deps.generation.idle();
  return (await deps.generation.get(accountId, job.id)).candidates[0]!;
}

// In the order they were recorded: PostgreSQL returns an unordered select in any order (an updated
// row, a claimed event, moves in its table).
const events = async (deps: Deps) =>
  (await deps.db.select().from(domainEvents).orderBy(asc(domainEvents.id))).map((e) => ({
    type: e.type,
    ...e.payload,
  }));

describe("statuses", () => {
  it("publish text with images, alt text and focal points, and record status.published", async () => {
    const { deps, alice } = await setup();
    const a = await deps.media.ingest(alice.id, await photo());
    const b = await deps.media.ingest(alice.id, await photo("#993311"));
    const status = await publishStatus(deps, alice.id, {
      text: "Two photos #Photo",
      media: [
        { id: b.id, description: "red square", focus: { x: 0.5, y: -0.25 } },
        { id: a.id, description: "blue square" },
      ],
      visibility: "unlisted",
      language: "en",
    });
    expect(status).toMatchObject({
      iri: deps.urls.status(status.id),
      url: deps.urls.statusPage("alice", status.id),
      local: true,
      visibility: "unlisted",
      source: "Two photos #Photo",
      sensitive: false,
    });
    const media = await deps.db
      .select()
      .from(mediaAttachments)
      .where(eq(mediaAttachments.statusId, status.id))
      .orderBy(mediaAttachments.position);
    expect(media.map((m) => [m.id, m.description, m.focusX, m.focusY])).toEqual([
      [b.id, "red square", 0.5, -0.25],
      [a.id, "blue square", 0, 0],
    ]);
    expect(await deps.db.select().from(statusTags)).toEqual([
      { statusId: status.id, tagName: "photo" },
    ]);
    const account = (
      await deps.db.select().from(accounts).where(eq(accounts.id, alice.id)).limit(1)
    )[0];
    expect(account?.statusesCount).toBe(1);
    expect(account?.lastStatusAt).not.toBeNull();
    expect(await events(deps)).toEqual([{ type: "status.published", statusId: status.id }]);
  });

  it("label AI images visibly, add the AI hashtag, and default their alt text to the prompt", async () => {
    const { deps, alice } = await setup({ AI_HASHTAG: "#GenArt" });
    const candidate = await generated(deps, alice.id);
    const status = await publishStatus(deps, alice.id, {
      text: "Autumn",
      media: [{ id: candidate.id, description: "" }],
    });
    expect(status.content).toContain(
      '<p class="ai-label">AI-generated image<br>Prompt: “a fox made of autumn leaves” (local / atelier-procedural-1)</p>',
    );
    expect(status.content).toContain(
      'href="http://localhost:3000/tags/genart" class="mention hashtag" rel="tag">#<span>GenArt</span>',
    );
    expect((await deps.db.select().from(statusTags)).map((t) => t.tagName)).toEqual(["genart"]);
    const media = (
      await deps.db
        .select()
        .from(mediaAttachments)
        .where(eq(mediaAttachments.id, candidate.id))
        .limit(1)
    )[0];
    expect(media?.description).toBe("a fox made of autumn leaves");
  });

  it("refuse bad input with clear errors and store nothing", async () => {
    const { deps, alice } = await setup({ MAX_MEDIA_ATTACHMENTS: "2" });
    const bob = (
      await createLocalUser(deps.db, deps.urls, { username: "bob", password: "correct horse" })
    ).account;
    const ids = await Promise.all(
      [1, 2, 3].map(async () => (await deps.media.ingest(alice.id, await photo())).id),
    );
    const bobsImage = await deps.media.ingest(bob.id, await photo());
    await expect(async () => await publishStatus(deps, alice.id, { text: "" })).rejects.toThrow(
      "A status needs text or at least one image",
    );
    await expect(
      async () => await publishStatus(deps, alice.id, { media: ids.map((id) => ({ id })) }),
    ).rejects.toThrow("at most 2 images");
    await expect(
      async () => await publishStatus(deps, alice.id, { media: [{ id: bobsImage.id }] }),
    ).rejects.toThrow(/No such image of yours/);
    await expect(
      async () =>
        await publishStatus(deps, alice.id, { media: [{ id: ids[0]!, focus: { x: 2, y: 0 } }] }),
    ).rejects.toThrow(/Focal point/);
    await expect(
      async () => await publishStatus(deps, alice.id, { text: "x".repeat(5001) }),
    ).rejects.toThrow(/too long/);
    await expect(
      async () => await publishStatus(deps, alice.id, { text: "hi", inReplyToId: "404" }),
    ).rejects.toThrow(/does not exist/);
    expect(await deps.db.select().from(statuses)).toEqual([]);
    expect(
      (
        await deps.db
          .select()
          .from(mediaAttachments)
          .where(eq(mediaAttachments.id, ids[0]!))
          .limit(1)
      )[0]?.statusId,
    ).toBeNull();
  });

  it("count replies, store mentions, and mark content warnings sensitive", async () => {
    const { deps, alice } = await setup();
    const bob = (
      await createLocalUser(deps.db, deps.urls, { username: "bob", password: "correct horse" })
    ).account;
    const parent = await publishStatus(deps, bob.id, { text: "What do you think?" });
    const reply = await publishStatus(deps, alice.id, {
      text: "@bob lovely",
      inReplyToId: parent.id,
      spoilerText: "opinions",
      visibility: "direct",
    });
    expect(reply).toMatchObject({
      inReplyToId: parent.id,
      inReplyToIri: parent.iri,
      inReplyToAccountId: bob.id,
      sensitive: true,
      visibility: "direct",
    });
    expect(
      (await deps.db.select().from(statuses).where(eq(statuses.id, parent.id)).limit(1))[0]
        ?.repliesCount,
    ).toBe(1);
    expect(await deps.db.select().from(statusMentions)).toEqual([
      { statusId: reply.id, accountId: bob.id },
    ]);
  });

  it("edit keeps the previous version, re-renders tags and records status.edited", async () => {
    const { deps, alice } = await setup();
    const image = await deps.media.ingest(alice.id, await photo(), { description: "old alt" });
    const status = await publishStatus(deps, alice.id, {
      text: "first #one",
      media: [{ id: image.id }],
    });
    const edited = await editStatus(deps, alice.id, status.id, {
      text: "second #two",
      media: [{ id: image.id, description: "new alt", focus: { x: 0, y: 1 } }],
    });
    expect(edited.editedAt).not.toBeNull();
    expect(edited.content).toContain("second");
    expect((await deps.db.select().from(statusTags)).map((t) => t.tagName)).toEqual(["two"]);
    expect(await deps.db.select().from(statusEdits)).toMatchObject([
      {
        statusId: status.id,
        content: status.content,
        media: [{ id: image.id, description: "old alt" }],
      },
    ]);
    expect(
      (
        await deps.db
          .select()
          .from(mediaAttachments)
          .where(eq(mediaAttachments.id, image.id))
          .limit(1)
      )[0],
    ).toMatchObject({ description: "new alt", focusY: 1 });
    expect((await events(deps)).at(-1)).toEqual({ type: "status.edited", statusId: status.id });
    const bob = (
      await createLocalUser(deps.db, deps.urls, { username: "bob", password: "correct horse" })
    ).account;
    await expect(
      async () => await editStatus(deps, bob.id, status.id, { text: "hijack" }),
    ).rejects.toThrow(/not yours/);
  });

  it("delete records status.deleted with its addressing and undoes the counters", async () => {
    const { deps, alice } = await setup();
    const bob = (
      await createLocalUser(deps.db, deps.urls, { username: "bob", password: "correct horse" })
    ).account;
    const parent = await publishStatus(deps, bob.id, { text: "parent" });
    const reply = await publishStatus(deps, alice.id, {
      text: "@bob hi",
      inReplyToId: parent.id,
      visibility: "private",
    });
    await deleteStatus(deps, alice.id, reply.id);
    expect(
      (await deps.db.select().from(statuses).where(eq(statuses.id, reply.id)).limit(1))[0],
    ).toBeUndefined();
    expect(
      (await deps.db.select().from(statuses).where(eq(statuses.id, parent.id)).limit(1))[0]
        ?.repliesCount,
    ).toBe(0);
    expect(
      (await deps.db.select().from(accounts).where(eq(accounts.id, alice.id)).limit(1))[0]
        ?.statusesCount,
    ).toBe(0);
    expect((await events(deps)).at(-1)).toEqual({
      type: "status.deleted",
      statusId: reply.id,
      iri: reply.iri,
      accountId: alice.id,
      visibility: "private",
      mentionedAccountIds: [bob.id],
      reblogOfId: null,
    });
  });

  it("remix a post's prompt into a new post that quotes it", async () => {
    const { deps, alice } = await setup();
    const bob = (
      await createLocalUser(deps.db, deps.urls, { username: "bob", password: "correct horse" })
    ).account;
    const original = await publishStatus(deps, alice.id, {
      media: [{ id: (await generated(deps, alice.id, "a glass whale")).id }],
    });
    const job = await startRemix(deps, bob.id, original.id, {
      prompt: "a glass whale, at night",
      size: "256x256",
    });
    expect(job).toMatchObject({ prompt: "a glass whale, at night", remixOfStatusId: original.id });
    await deps.generation.idle();
    const candidate = (await deps.generation.get(bob.id, job.id)).candidates[0]!;
    const remix = await publishStatus(deps, bob.id, {
      text: "my take",
      media: [{ id: candidate.id }],
    });
    expect(remix).toMatchObject({
      quoteOfId: original.id,
      quoteOfIri: original.iri,
      inReplyToId: null,
    });
    expect(remix.content).toContain(`<p class="quote-inline">Remix of <a href="${original.url}">`);
    // Without a changed prompt, the source's prompt is used; posts without one cannot be remixed.
    expect((await startRemix(deps, bob.id, original.id, { size: "256x256" })).prompt).toBe(
      "a glass whale",
    );
    const plain = await publishStatus(deps, alice.id, { text: "no image" });
    await expect(startRemix(deps, bob.id, plain.id)).rejects.toMatchObject({ status: 422 });
    const hidden = await publishStatus(deps, alice.id, { text: "secret", visibility: "private" });
    // Bob may not see it: answered exactly as an unknown id (403 would confirm it exists).
    await expect(startRemix(deps, bob.id, hidden.id)).rejects.toMatchObject({ status: 404 });
    // Alice sees her own followers-only post, but it still cannot be remixed (the result quotes it).
    await expect(startRemix(deps, alice.id, hidden.id)).rejects.toMatchObject({ status: 403 });
    await expect(startRemix(deps, bob.id, newId())).rejects.toMatchObject({ status: 404 });
  });
});
