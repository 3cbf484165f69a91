import { readdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { createDeps } from "../../src/deps.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { DIGITAL_SOURCE_TYPE } from "../../src/media/provenance.ts";
import { tempDir, testConfig } from "../helpers/instance.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const dir = tempDir();
  const deps = await createDeps(testConfig({ DATA_DIR: dir.path }));
  cleanups.push(() => dir.remove());
  cleanups.push(() => deps.close());
  const { account } = await createLocalUser(deps.db, deps.urls, {
    username: "alice",
    password: "correct horse",
  });
  return { deps, dir, account };
}

const image = (color: string) =>
  sharp({ create: { width: 300, height: 200, channels: 3, background: color } })
    .png()
    .toBuffer();

describe("media attachments", () => {
  it("store an upload content-addressed under DATA_DIR/media with its sizes, blurhash and centre focus", async () => {
    const { deps, dir, account } = await setup();
    const media = await deps.media.ingest(account.id, await image("#ff8800"), {
      description: "  an orange card  ",
    });
    expect(media).toMatchObject({
      width: 300,
      height: 200,
      thumbnailWidth: 300,
      focusX: 0,
      focusY: 0,
      description: "an orange card",
      provenance: null,
      mediaType: "image/webp",
      state: "ready",
    });
    expect(media.originalKey).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}\.png$/);
    expect(media.blurhash).toHaveLength(36);
    const folder = join(dir.path, "media", media.displayKey!.slice(0, 2));
    expect(readdirSync(folder)).toContain(media.displayKey!.slice(3));
    // The same bytes twice are one file.
    const again = await deps.media.ingest(account.id, await image("#ff8800"));
    expect(again.originalKey).toBe(media.originalKey);
  });

  it("give an AI image its prompt as alt text whenever the alt text is left empty", async () => {
    const { deps, account } = await setup();
    const provenance = {
      digitalSourceType: DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia,
      prompt: "a paper boat",
      provider: "local",
      model: "m",
    };
    const media = await deps.media.ingest(account.id, await image("#0088ff"), { provenance });
    expect(media.description).toBe("a paper boat");
    expect((await deps.media.update(account.id, media.id, { description: "" })).description).toBe(
      "a paper boat",
    );
    expect(
      await deps.media.update(account.id, media.id, {
        description: "A folded boat",
        focus: { x: -1, y: 0.5 },
      }),
    ).toMatchObject({ description: "A folded boat", focusX: -1, focusY: 0.5 });
    // An upload without alt text simply has none.
    expect((await deps.media.ingest(account.id, await image("#123123"))).description).toBeNull();
  });

  it("refuse bad alt text and focal points with clear errors", async () => {
    const { deps, account } = await setup();
    await expect(
      deps.media.ingest(account.id, await image("#000"), { focus: { x: 0, y: 1.5 } }),
    ).rejects.toThrow(/Focal point/);
    await expect(
      deps.media.ingest(account.id, await image("#000"), { description: "x".repeat(1501) }),
    ).rejects.toThrow(/Alt text is too long/);
    await expect(
      async () => await deps.media.update(account.id, "nope", { description: "x" }),
    ).rejects.toThrow(/No such media/);
  });
});
