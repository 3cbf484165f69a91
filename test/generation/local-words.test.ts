// How the embedded generator reads words: a prompt into a Scene, an instruction against a Scene, and a
// scene chunk read back from a PNG only when it is well formed.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { applyInstruction } from "../../src/generation/local/instructions.ts";
import { readScene, renderScene } from "../../src/generation/local/render.ts";
import { parsePrompt } from "../../src/generation/local/scene.ts";
import { withPngText } from "../../src/media/png-text.ts";

describe("reading a prompt into a scene", () => {
  it("takes the time, place, weather, style and elements the prompt names", () => {
    const harbour = parsePrompt("a quiet harbour at dawn", undefined, 1);
    expect(harbour).toMatchObject({ place: "harbour", time: "dawn", style: "illustration" });
    expect(harbour.elements.boats).toBeGreaterThan(0);
    const fox = parsePrompt(
      "a red fox sleeping in fresh snow, soft morning light, photograph",
      undefined,
      1,
    );
    expect(fox).toMatchObject({
      time: "morning",
      animals: ["fox"],
      resting: true,
      style: "photograph",
    });
    expect(fox.weather.snow).toBeGreaterThan(0);
    expect(fox.colours).toEqual(["red"]);
    const neon = parsePrompt("two boats in a misty bay at night, neon", undefined, 1);
    expect(neon).toMatchObject({ place: "sea", time: "night", style: "neon" });
    expect(neon.elements).toMatchObject({ stars: 1, moon: 1 });
    expect(neon.elements.sun).toBeUndefined();
    expect(neon.weather.fog).toBeGreaterThan(0);
  });

  it("leaves out what the negative prompt names, and lets the seed choose what no word names", () => {
    expect(parsePrompt("a harbour at dusk", "boats", 1).elements.boats).toBeUndefined();
    const times = new Set(
      [1, 2, 3, 4, 5, 6, 7, 8].map((s) => parsePrompt("a cat", undefined, s).time),
    );
    expect(times.size).toBeGreaterThan(1);
    expect(times.has("night")).toBe(false);
  });
});

describe("an instruction against a scene", () => {
  const scene = parsePrompt("a lighthouse and a boat on the sea at noon", undefined, 3);

  it("changes what each clause names", () => {
    const night = applyInstruction(scene, "at night, add stars and remove the boat")!;
    expect(night.time).toBe("night");
    expect(night.elements).toMatchObject({ stars: 1, lighthouse: 1, moon: 1 });
    expect(night.elements.boats).toBeUndefined();
    expect(night.elements.sun).toBeUndefined();
    const foggy = applyInstruction(applyInstruction(scene, "more fog")!, "more fog")!;
    expect(foggy.weather.fog).toBeGreaterThan(0.8);
    expect(applyInstruction(foggy, "no fog")!.weather.fog).toBe(0);
    expect(applyInstruction(scene, "warmer")!.warmth).toBeGreaterThan(scene.warmth);
    expect(applyInstruction(scene, "cooler")!.warmth).toBeLessThan(scene.warmth);
    expect(applyInstruction(scene, "as a watercolour")!.style).toBe("watercolour");
    expect(applyInstruction(scene, "add snow")!.weather.snow).toBeGreaterThan(0);
    expect(applyInstruction(scene, "add two more boats")!.elements.boats).toBeGreaterThan(1);
  });

  it("answers undefined when no word is understood, leaving the scene alone", () => {
    expect(applyInstruction(scene, "make it sing")).toBeUndefined();
    expect(scene.time).toBe("noon");
  });
});

describe("the scene stored in the PNG", () => {
  it("reads back the scene it was painted from", async () => {
    const scene = parsePrompt("a forest at dusk", undefined, 9);
    expect(readScene(await renderScene(scene, 64, 64))).toEqual(scene);
  });

  it("ignores a chunk that is not a valid scene (anyone may upload a PNG)", async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    expect(readScene(withPngText(png, "atelier:scene", "{not json"))).toBeUndefined();
    const forged = { ...parsePrompt("sea", undefined, 1), elements: { boats: 10_000 } };
    expect(readScene(withPngText(png, "atelier:scene", JSON.stringify(forged)))).toBeUndefined();
    expect(readScene(png)).toBeUndefined();
  });
});
