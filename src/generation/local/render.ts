// Scene → PNG: the layers in painting order (sky, sun and moon, stars, clouds, land, elements, weather,
// grade, style), encoded by sharp, with the Scene stored in a tEXt chunk for later edits.
import { readPngText, withPngText } from "../../media/png-text.ts";
import { sharp } from "../../media/sharp.ts";
import { type Canvas, createCanvas } from "./canvas.ts";
import { paintElements } from "./elements.ts";
import { paintLand } from "./land.ts";
import { layoutOf } from "./layout.ts";
import { type Scene, sceneSchema } from "./scene.ts";
import { lightOf, paintClouds, paintSky, paintStars, paintSunAndMoon } from "./sky.ts";
import { applyStyle, grade } from "./style.ts";
import { paintWeather } from "./weather.ts";

/** The tEXt keyword the scene is stored under. */
export const SCENE_KEYWORD = "atelier:scene";

export function paintScene(scene: Scene, width: number, height: number): Canvas {
  const canvas = createCanvas(width, height);
  const light = lightOf(scene);
  const layout = layoutOf(scene, width, height);
  paintSky(canvas, scene, light, layout);
  paintStars(canvas, scene, layout);
  paintSunAndMoon(canvas, scene, light, layout);
  paintClouds(canvas, scene, light, layout);
  const ground = paintLand(canvas, scene, light, layout);
  paintElements(canvas, scene, light, layout, ground);
  paintWeather(canvas, scene, light, layout);
  grade(canvas, scene);
  applyStyle(canvas, scene);
  return canvas;
}

/** 8-bit RGB bytes of a canvas, clamped. */
export function canvasBytes(canvas: Canvas): Buffer {
  // The typed-array conversion clamps and rounds natively: ten times faster than a loop here.
  const bytes = new Uint8ClampedArray(canvas.data);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Renders a scene to PNG bytes carrying the scene. */
export async function renderScene(scene: Scene, width: number, height: number): Promise<Buffer> {
  const raw = canvasBytes(paintScene(scene, width, height));
  const png = await sharp(raw, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 2, adaptiveFiltering: false })
    .toBuffer();
  return withPngText(png, SCENE_KEYWORD, JSON.stringify(scene));
}

/** The scene a PNG of ours carries; undefined for any other image (or a damaged or forged chunk). */
export function readScene(png: Buffer): Scene | undefined {
  const text = readPngText(png, SCENE_KEYWORD);
  if (text === undefined) return undefined;
  try {
    const parsed = sceneSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
