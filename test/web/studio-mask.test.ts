// The studio's inpaint form without JavaScript: the region to change is typed as a rectangle in percent
// of the picture, the mask is built at the parent image's size, and only that rectangle of the image
// changes; a half-typed or out-of-bounds region is refused on the page (and a region with a mask too,
// by the domain). The page also carries the painting tool (hidden until studio.js shows it) over the
// step's image. A reframe step from the page changes the size and aspect and stays a step of the session.
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { checkMaskRegion, regionMaskPng } from "../../src/generation/mask-region.ts";
import { settled, stepIds, studioSetup } from "../helpers/studio-pages.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("inpainting a typed region", () => {
  it("changes only the rectangle typed into the form", async () => {
    const { i, alice, client, csrf } = await studioSetup(cleanups);
    const started = await settled(
      i,
      client,
      await client.post("/studio", { csrf, prompt: "a quiet harbour at noon", size: "256x256" }),
    );
    const first = stepIds(started.body)[0]!;
    // The form offers the three ways: the painting tool over the image, the rectangle, a PNG.
    const form = started.body.slice(started.body.indexOf("data-inpaint"));
    expect(form).toMatch(/data-mask-editor data-width="256" data-height="256" hidden/);
    expect(form).toContain('name="mask_left"');
    expect(form).toMatch(/<input type="file" id="mask" name="mask" accept="image\/png" aria/);

    const inpaint = (region: Record<string, string>, extra: Record<string, string> = {}) =>
      client.post("/studio/steps", {
        csrf,
        session: first,
        parent_id: first,
        kind: "inpaint",
        prompt: "at night",
        ...region,
        ...extra,
      });
    const refused = async (region: Record<string, string>, message: string) => {
      const res = await inpaint(region);
      expect(res.status).toBe(400);
      const body = await res.text();
      expect(body).toContain(message);
      expect(stepIds(body)).toEqual([first]);
    };
    await refused({}, "An inpaint step needs a mask");
    await refused({ mask_left: "10", mask_top: "10" }, "Give the region&#39;s left, top");
    await refused(
      { mask_left: "60", mask_top: "0", mask_width: "50", mask_height: "50" },
      "The region must lie inside the picture",
    );
    await refused(
      { mask_left: "0", mask_top: "0", mask_width: "0", mask_height: "50" },
      "The region to change must not be empty",
    );
    await refused(
      { mask_left: "-5", mask_top: "0", mask_width: "50", mask_height: "50" },
      "Give the region&#39;s left, top",
    );

    const region = { left: 0, top: 0, width: 50, height: 50 };
    await expect(
      i.deps.generation.request(alice.account.id, {
        prompt: "at night",
        parentId: first,
        mask: await regionMaskPng(region, 256, 256),
        maskRegion: region,
      }),
    ).rejects.toThrow("Give either a mask or a region to change, not both");

    // The right half's lower half: x ≥ 128, y ≥ 128.
    const done = await settled(
      i,
      client,
      await inpaint({ mask_left: "50", mask_top: "50", mask_width: "50", mask_height: "50" }),
    );
    const ids = stepIds(done.body);
    expect(ids).toHaveLength(2);
    expect(done.body).toContain("2. Inpainted");
    const pixels = async (jobId: string) => {
      const { candidates } = await i.deps.generation.get(alice.account.id, jobId);
      const row = await i.deps.media.get(alice.account.id, candidates[0]!.id);
      const stored = await i.deps.media.store.get(row.originalKey!);
      return (await sharp(stored!.bytes).removeAlpha().raw().toBuffer()) as Buffer;
    };
    const [before, after] = [await pixels(first), await pixels(ids[1]!)];
    let inside = 0;
    let outside = 0;
    for (let y = 0; y < 256; y++)
      for (let x = 0; x < 256; x++) {
        const o = (y * 256 + x) * 3;
        const changed = !before.subarray(o, o + 3).equals(after.subarray(o, o + 3));
        if (x >= 128 && y >= 128) inside += changed ? 1 : 0;
        else outside += changed ? 1 : 0;
      }
    expect(outside).toBe(0);
    expect(inside).toBeGreaterThan(128 * 128 * 0.5);
  });

  it("builds the mask at the image's size, transparent inside the rectangle only", async () => {
    const png = await regionMaskPng({ left: 25, top: 0, width: 50, height: 10 }, 200, 100);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([200, 100, 4]);
    const alpha = (x: number, y: number) => data[(y * 200 + x) * 4 + 3];
    expect([alpha(50, 0), alpha(149, 9)]).toEqual([0, 0]);
    expect([alpha(49, 0), alpha(150, 0), alpha(50, 10)]).toEqual([255, 255, 255]);
    // A sliver of a pixel still marks one.
    const thin = await regionMaskPng({ left: 99.9, top: 99.9, width: 0.1, height: 0.1 }, 10, 10);
    const t = await sharp(thin).raw().toBuffer();
    expect([...t.filter((_, n) => n % 4 === 3)].filter((a) => a === 0)).toHaveLength(1);
    expect(() => checkMaskRegion({ left: 0, top: 0, width: Number.NaN, height: 5 })).toThrow(
      "percentages",
    );
  });
});

describe("reframing from the page", () => {
  it("offers the other sizes and reframes the image at the one picked, keeping it a step of the session", async () => {
    const { i, alice, client, csrf } = await studioSetup(cleanups);
    const started = await settled(
      i,
      client,
      await client.post("/studio", { csrf, prompt: "a lighthouse at dusk", size: "256x256" }),
    );
    const first = stepIds(started.body)[0]!;
    const select = /<select id="resize-size" name="size">([\s\S]*?)<\/select>/.exec(started.body);
    const offered = [...select![1]!.matchAll(/value="([^"]+)"/g)].map((m) => m[1]);
    expect(offered).toContain("1536x1024");
    expect(offered).not.toContain("256x256");
    const reframed = await settled(
      i,
      client,
      await client.post("/studio/steps", {
        csrf,
        session: first,
        parent_id: first,
        kind: "resize",
        size: "1536x1024",
      }),
    );
    const ids = stepIds(reframed.body);
    expect(ids).toHaveLength(2);
    expect(reframed.body).toContain("2. Reframed");
    expect(reframed.body).toContain("(1536x1024)");
    const { job, candidates } = await i.deps.generation.get(alice.account.id, ids[1]!);
    expect(job).toMatchObject({ kind: "resize", parentId: first, sessionId: first });
    expect([candidates[0]!.width, candidates[0]!.height]).toEqual([1536, 1024]);
    // The same size again is no reframing: refused on the page, which keeps its steps.
    const same = await client.post("/studio/steps", {
      csrf,
      session: first,
      parent_id: first,
      kind: "resize",
      size: "256x256",
    });
    expect(same.status).toBe(400);
    const body = await same.text();
    expect(body).toContain("A resize step needs a size other than the image&#39;s own");
    expect(stepIds(body)).toEqual(ids);
  });
});
