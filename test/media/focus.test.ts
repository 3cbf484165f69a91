// The automatic focal point: sharp's attention strategy finds the subject of an image when it is
// processed, stored as Mastodon's meta.focus unless the client sent one, and still editable.
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { processImage } from "../../src/media/pipeline.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

const limits = { maxBytes: 16 * 1024 * 1024, maxPixels: 50_000_000 };

/**
 * A dull grey-blue field with a bright, saturated subject (a sun-like disc) centred at (cx, cy) in
 * pixels, plus faint texture so the background is not perfectly flat.
 */
async function subjectAt(width: number, height: number, cx: number, cy: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#3a4450"/>
    <rect x="0" y="${height * 0.7}" width="${width}" height="${height * 0.3}" fill="#343d48"/>
    <circle cx="${cx}" cy="${cy}" r="${Math.round(width * 0.07)}" fill="#ffd060"/>
    <circle cx="${cx}" cy="${cy}" r="${Math.round(width * 0.04)}" fill="#ff3b1f"/>
  </svg>`;
  return await sharp(Buffer.from(svg)).png().toBuffer();
}

let instance: TestInstance | undefined;
afterEach(async () => {
  await instance?.close();
  instance = undefined;
});

describe("automatic focal point", () => {
  it("points at a bright subject off-centre (upper right, then lower left), y up", async () => {
    const upperRight = await processImage(await subjectAt(800, 600, 620, 140), limits);
    // The subject's centre is at x = 620/800·2−1 = 0.55, y = 1−140/600·2 ≈ 0.53.
    expect(upperRight.focus.x).toBeGreaterThan(0.3);
    expect(upperRight.focus.y).toBeGreaterThan(0.3);
    const lowerLeft = await processImage(await subjectAt(600, 800, 130, 620), limits);
    expect(lowerLeft.focus.x).toBeLessThan(-0.3);
    expect(lowerLeft.focus.y).toBeLessThan(-0.3);
    for (const v of [
      upperRight.focus.x,
      upperRight.focus.y,
      lowerLeft.focus.x,
      lowerLeft.focus.y,
    ]) {
      expect(Math.abs(v)).toBeLessThanOrEqual(1);
    }
  });

  it("is the centre for an image of one flat colour", async () => {
    const flat = await sharp({
      create: { width: 300, height: 200, channels: 3, background: "#ff8800" },
    })
      .png()
      .toBuffer();
    expect((await processImage(flat, limits)).focus).toEqual({ x: 0, y: 0 });
  });

  it("is stored as meta.focus on upload unless the client sent one, and PUT changes it", async () => {
    instance = await createTestInstance();
    const { token } = await localUser(instance, "alice");
    const image = await subjectAt(800, 600, 620, 140);
    const upload = async (fields: Record<string, string>) => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(image)]), "sun.png");
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      const res = await instance!.app.request("/api/v2/media", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
        body: form,
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { id: string; meta: { focus?: { x: number; y: number } } };
    };
    const automatic = await upload({});
    expect(automatic.meta.focus!.x).toBeGreaterThan(0.3);
    expect(automatic.meta.focus!.y).toBeGreaterThan(0.3);
    const chosen = await upload({ focus: "-0.5,-0.5" });
    expect(chosen.meta.focus).toEqual({ x: -0.5, y: -0.5 });
    const res = await instance.app.request(`/api/v1/media/${automatic.id}`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ focus: "0,0.25" }),
    });
    expect(((await res.json()) as { meta: { focus: unknown } }).meta.focus).toEqual({
      x: 0,
      y: 0.25,
    });
  });
});
