// Edits: an image carrying our Scene has its scene changed by the instruction and painted again; any
// other image (an upload) gets pixel-level edits (warmer, cooler, brighter, darker, fog, night, black
// and white). With a mask, the result is composited over the original through it: transparent mask
// pixels take the new picture, opaque ones keep the original's bytes exactly.
import { withPngText } from "../../media/png-text.ts";
import { sharp } from "../../media/sharp.ts";
import { type EditRequest, GenerationError } from "../provider.ts";
import { luminance } from "./canvas.ts";
import {
  applyInstruction,
  BRIGHTER,
  COOLER,
  clausesOf,
  DARKER,
  REFRAME,
  WARMER,
} from "./instructions.ts";
import { canvasBytes, paintScene, readScene, SCENE_KEYWORD } from "./render.ts";
import type { Scene } from "./scene.ts";

const KNOWN_EDITS =
  "try words like warmer, cooler, darker, at night, at dawn, add stars, remove the boat, more fog, add snow";

interface Raw {
  data: Buffer;
  width: number;
  height: number;
}

async function decodeRgba(image: Buffer): Promise<Raw & { hasAlpha: boolean }> {
  try {
    const meta = await sharp(image).metadata();
    const { data, info } = await sharp(image)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, hasAlpha: meta.hasAlpha === true };
  } catch (error) {
    throw new GenerationError("invalid_image", "The image to edit could not be read", {
      cause: error,
    });
  }
}

/** The edited picture for candidate `index` (0: the scene's own layout; others: a fresh layout). */
export async function editImage(
  request: EditRequest,
  size: { width: number; height: number },
  index: number,
): Promise<Buffer> {
  const scene = readScene(request.image);
  const original = await decodeRgba(request.image);
  const mask = request.mask === undefined ? undefined : await decodeMask(request.mask, original);
  let next: Scene | undefined;
  let rgba: Buffer;
  let width = original.width;
  let height = original.height;
  if (scene !== undefined) {
    next = applyInstruction(scene, request.prompt);
    if (next === undefined) throw notUnderstood(request.prompt);
    if (index > 0) next.seed = (next.seed + index) >>> 0;
    // Without a mask the edit may also change the size; with one it must match the original.
    if (mask === undefined) ({ width, height } = size);
    rgba = toRgba(canvasBytes(paintScene(next, width, height)));
  } else {
    rgba = pixelEdit(original, request.prompt);
  }
  if (mask !== undefined) rgba = composite(original.data, rgba, mask);
  let out = sharp(rgba, { raw: { width, height, channels: 4 } });
  if (!original.hasAlpha || scene !== undefined) out = out.removeAlpha();
  const png = await out.png({ compressionLevel: 2, adaptiveFiltering: false }).toBuffer();
  return next === undefined ? png : withPngText(png, SCENE_KEYWORD, JSON.stringify(next));
}

function notUnderstood(instruction: string): GenerationError {
  return new GenerationError(
    "provider_error",
    `The local generator did not understand the edit "${instruction.slice(0, 80)}": ${KNOWN_EDITS}`,
  );
}

async function decodeMask(mask: Buffer, original: Raw): Promise<Buffer> {
  let raw: Raw;
  try {
    const { data, info } = await sharp(mask)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    raw = { data, width: info.width, height: info.height };
  } catch (error) {
    throw new GenerationError("invalid_image", "The mask could not be read", { cause: error });
  }
  if (raw.width !== original.width || raw.height !== original.height) {
    throw new GenerationError("invalid_image", "The mask must be the size of the image it masks");
  }
  const alpha = Buffer.alloc(raw.width * raw.height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = raw.data[i * 4 + 3]!;
  return alpha;
}

function toRgba(rgb: Buffer): Buffer {
  const out = Buffer.alloc((rgb.length / 3) * 4, 255);
  for (let i = 0, o = 0; i < rgb.length; i += 3, o += 4) {
    out[o] = rgb[i]!;
    out[o + 1] = rgb[i + 1]!;
    out[o + 2] = rgb[i + 2]!;
  }
  return out;
}

/** The new picture where the mask is transparent, the original where it is opaque, blended between. */
function composite(original: Buffer, edited: Buffer, alpha: Buffer): Buffer {
  const out = Buffer.from(original);
  for (let i = 0; i < alpha.length; i++) {
    const keep = alpha[i]!;
    if (keep === 255) continue;
    const o = i * 4;
    const t = keep / 255;
    for (let c = 0; c < 4; c++)
      out[o + c] = Math.round(edited[o + c]! + (original[o + c]! - edited[o + c]!) * t);
  }
  return out;
}

/** Pixel-level edits for an image without a scene; each clause of the instruction is one adjustment. */
function pixelEdit(image: Raw, instruction: string): Buffer {
  const adjustments: ((r: number, g: number, b: number, y: number) => [number, number, number])[] =
    [];
  for (const clause of clausesOf(instruction)) {
    if (WARMER.test(clause)) adjustments.push((r, g, b) => [r * 1.12 + 6, g * 1.02, b * 0.86]);
    if (COOLER.test(clause)) adjustments.push((r, g, b) => [r * 0.88, g * 0.99, b * 1.12 + 6]);
    if (BRIGHTER.test(clause))
      adjustments.push((r, g, b) => [r * 1.2 + 8, g * 1.2 + 8, b * 1.2 + 8]);
    if (DARKER.test(clause)) adjustments.push((r, g, b) => [r * 0.72, g * 0.72, b * 0.72]);
    if (/\b(fog|foggy|mist|misty|haze|hazy)\b/i.test(clause)) {
      // A veil thicker towards the top, where the distance usually is.
      adjustments.push((r, g, b, y) => {
        const a = 0.55 - y * 0.25;
        return [r + (214 - r) * a, g + (216 - g) * a, b + (222 - b) * a];
      });
    }
    if (/\b(at night|night|nighttime|midnight)\b/i.test(clause)) {
      adjustments.push((r, g, b) => [r * 0.25, g * 0.3, b * 0.45 + 10]);
    }
    if (/\b(black and white|monochrome|gr[ae]yscale)\b/i.test(clause)) {
      adjustments.push((r, g, b) => {
        const l = luminance(r, g, b);
        return [l, l, l];
      });
    }
  }
  // Reframing alone changes no pixel here: the job crops the result to its new size.
  if (adjustments.length === 0 && !clausesOf(instruction).some((c) => REFRAME.test(c))) {
    throw notUnderstood(instruction);
  }
  const out = Buffer.from(image.data);
  for (let y = 0; y < image.height; y++) {
    const ny = y / image.height;
    for (let x = 0; x < image.width; x++) {
      const o = (y * image.width + x) * 4;
      let c: [number, number, number] = [out[o]!, out[o + 1]!, out[o + 2]!];
      for (const f of adjustments) c = f(c[0], c[1], c[2], ny);
      out[o] = Math.max(0, Math.min(255, Math.round(c[0])));
      out[o + 1] = Math.max(0, Math.min(255, Math.round(c[1])));
      out[o + 2] = Math.max(0, Math.min(255, Math.round(c[2])));
    }
  }
  return out;
}
