// The embedded offline generator: seeded procedural art (domain-warped colour fields, flow lines, orbs and
// layered ridges) in pure TypeScript plus sharp, no model weights. The same prompt and seed always give the
// same image; the prompt's hash (and its colour words) choose palette, composition and style.
import { createHash } from "node:crypto";
import { sharp } from "../media/sharp.ts";
import {
  type GeneratedImage,
  type GenerateRequest,
  GenerationError,
  type ImageProvider,
  type ModelCapabilities,
  parseSize,
} from "./provider.ts";

export const LOCAL_MODEL = "atelier-procedural-1";
const SIZES = [
  "1024x1024",
  "1536x1024",
  "1024x1536",
  "1792x1024",
  "1024x1792",
  "512x512",
  "256x256",
];

/** sfc32: a small, fast, well-distributed PRNG seeded from 128 bits of a hash. */
function prng(seedBytes: Buffer): () => number {
  let a = seedBytes.readUInt32LE(0);
  let b = seedBytes.readUInt32LE(4);
  let c = seedBytes.readUInt32LE(8);
  let d = seedBytes.readUInt32LE(12);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

// Colour words move the palette towards what the prompt asks for; the hash decides the rest.
const HUE_WORDS: [RegExp, number][] = [
  [/\b(red|crimson|scarlet|blood|ruby|rose)\b/i, 355],
  [/\b(orange|amber|autumn|rust|copper)\b/i, 28],
  [/\b(yellow|gold|golden|sun|sunny|honey|lemon)\b/i, 48],
  [/\b(green|forest|jungle|moss|leaf|emerald|meadow)\b/i, 125],
  [/\b(teal|turquoise|cyan|lagoon|mint)\b/i, 175],
  [/\b(blue|ocean|sea|sky|azure|ice|winter|river|water)\b/i, 212],
  [/\b(purple|violet|lavender|amethyst|galaxy|nebula)\b/i, 272],
  [/\b(pink|magenta|fuchsia|blossom|candy)\b/i, 322],
  [/\b(sunset|dusk|fire|flame|lava)\b/i, 15],
];

type Rgb = [number, number, number];

function hslToRgb(h: number, s: number, l: number): Rgb {
  const hue = (((h % 360) + 360) % 360) / 360;
  const f = (n: number) => {
    const k = (n + hue * 12) % 12;
    return l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

function paletteFor(prompt: string, rnd: () => number): Rgb[] {
  const hues = HUE_WORDS.filter(([re]) => re.test(prompt)).map(([, h]) => h);
  const base =
    hues.length > 0 ? hues[Math.floor(rnd() * hues.length)]! + (rnd() - 0.5) * 20 : rnd() * 360;
  const dark = /\b(night|dark|moody|noir|midnight|shadow|space)\b/i.test(prompt);
  const pastel = /\b(pastel|soft|dream|dreamy|light|airy|cloud)\b/i.test(prompt);
  // Harmony: analogous, complementary, triadic or split-complementary.
  const schemes = [
    [0, 25, -25, 50, -10],
    [0, 180, 20, 200, -15],
    [0, 120, 240, 30, 150],
    [0, 150, 210, 15, 180],
  ];
  const offsets = schemes[Math.floor(rnd() * schemes.length)]!;
  const offsetsWithWords = hues.length > 1 ? [0, hues[1]! - base, ...offsets.slice(2)] : offsets;
  return offsetsWithWords.map((offset, i) => {
    const s = pastel ? 0.35 + rnd() * 0.2 : 0.55 + rnd() * 0.4;
    let l = 0.2 + ((i * 0.17 + rnd() * 0.35) % 0.65);
    if (dark) l *= 0.6;
    if (pastel) l = 0.65 + l * 0.4;
    return hslToRgb(base + offset, s, Math.min(0.92, l));
  });
}

const smooth = (t: number) => t * t * (3 - 2 * t);

function sample(palette: Rgb[], v: number): Rgb {
  const x = Math.max(0, Math.min(0.9999, v)) * (palette.length - 1);
  const i = Math.floor(x);
  const t = smooth(x - i);
  const a = palette[i]!;
  const b = palette[i + 1]!;
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

const hex = (c: Rgb) =>
  `#${c
    .map((v) =>
      Math.round(Math.max(0, Math.min(255, v)))
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;

/** The colour field: a few rotated sine waves, warped through each other, mapped onto the palette. */
function renderField(width: number, height: number, palette: Rgb[], rnd: () => number): Buffer {
  const waves = Array.from({ length: 4 }, () => ({
    angle: rnd() * Math.PI * 2,
    freq: 1.5 + rnd() * 5,
    phase: rnd() * Math.PI * 2,
    amp: 0.4 + rnd() * 0.8,
  }));
  const warp = 0.3 + rnd() * 1.2;
  const bands = 0.6 + rnd() * 1.4;
  const data = Buffer.alloc(width * height * 3);
  const aspect = width / height;
  for (let y = 0; y < height; y++) {
    const ny = y / height;
    for (let x = 0; x < width; x++) {
      const nx = (x / width) * aspect;
      let q = 0;
      for (const w of waves) {
        q +=
          w.amp *
          Math.sin(w.freq * (nx * Math.cos(w.angle) + ny * Math.sin(w.angle)) * Math.PI + w.phase);
      }
      const wx = nx + warp * 0.15 * Math.sin(q * 1.7);
      const wy = ny + warp * 0.15 * Math.cos(q * 1.3);
      const v = 0.5 + 0.5 * Math.sin((wx * 1.3 + wy * 0.9) * bands * Math.PI + q * 0.9);
      const c = sample(palette, v * 0.85 + ny * 0.15);
      const o = (y * width + x) * 3;
      data[o] = c[0];
      data[o + 1] = c[1];
      data[o + 2] = c[2];
    }
  }
  return data;
}

function flowLines(w: number, h: number, palette: Rgb[], rnd: () => number): string {
  const fa = 1 + rnd() * 4;
  const fb = 1 + rnd() * 4;
  const twist = 0.5 + rnd() * 2;
  const count = 120 + Math.floor(rnd() * 160);
  const step = Math.max(w, h) / 120;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    let x = rnd() * w;
    let y = rnd() * h;
    const points: string[] = [];
    for (let s = 0; s < 40; s++) {
      points.push(`${x.toFixed(1)},${y.toFixed(1)}`);
      const angle =
        (Math.sin((x / w) * fa * Math.PI * 2) + Math.cos((y / h) * fb * Math.PI * 2)) *
        twist *
        Math.PI;
      x += Math.cos(angle) * step;
      y += Math.sin(angle) * step;
      if (x < 0 || y < 0 || x > w || y > h) break;
    }
    const color = hex(palette[Math.floor(rnd() * palette.length)]!);
    const width = ((0.6 + rnd() * 3) * Math.max(w, h)) / 1024;
    parts.push(
      `<polyline points="${points.join(" ")}" fill="none" stroke="${color}" stroke-width="${width.toFixed(2)}" stroke-linecap="round" stroke-opacity="${(0.25 + rnd() * 0.5).toFixed(2)}"/>`,
    );
  }
  return parts.join("");
}

function orbs(w: number, h: number, palette: Rgb[], rnd: () => number): string {
  const count = 5 + Math.floor(rnd() * 14);
  const defs: string[] = [];
  const shapes: string[] = [];
  for (let i = 0; i < count; i++) {
    const color = hex(palette[Math.floor(rnd() * palette.length)]!);
    const r = (0.03 + rnd() * 0.2) * Math.min(w, h);
    defs.push(
      `<radialGradient id="o${i}"><stop offset="0" stop-color="${color}" stop-opacity="${(0.5 + rnd() * 0.5).toFixed(2)}"/><stop offset="1" stop-color="${color}" stop-opacity="0"/></radialGradient>`,
    );
    shapes.push(
      `<circle cx="${(rnd() * w).toFixed(1)}" cy="${(rnd() * h).toFixed(1)}" r="${r.toFixed(1)}" fill="url(#o${i})"/>`,
    );
  }
  return `<defs>${defs.join("")}</defs>${shapes.join("")}`;
}

function ridges(w: number, h: number, palette: Rgb[], rnd: () => number): string {
  const layers = 3 + Math.floor(rnd() * 4);
  const parts: string[] = [];
  for (let i = 0; i < layers; i++) {
    const base = h * (0.45 + (i / layers) * 0.5);
    const f1 = 1 + rnd() * 4;
    const f2 = 4 + rnd() * 10;
    const p1 = rnd() * Math.PI * 2;
    const amp = h * (0.04 + rnd() * 0.1);
    const points: string[] = [`0,${h}`];
    for (let s = 0; s <= 64; s++) {
      const x = (s / 64) * w;
      const t = s / 64;
      const y =
        base - amp * (Math.sin(t * f1 * Math.PI + p1) + 0.35 * Math.sin(t * f2 * Math.PI + p1 * 2));
      points.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    }
    points.push(`${w},${h}`);
    const c = palette[(i + Math.floor(rnd() * 2)) % palette.length]!;
    const shade = 1 - (i / layers) * 0.55;
    parts.push(
      `<polygon points="${points.join(" ")}" fill="${hex([c[0] * shade, c[1] * shade, c[2] * shade])}" fill-opacity="${(0.75 + rnd() * 0.25).toFixed(2)}"/>`,
    );
  }
  return parts.join("");
}

/** Renders one image (PNG) for a prompt and seed. Exported for tests and benchmarks. */
export async function renderProceduralImage(
  prompt: string,
  negativePrompt: string | undefined,
  seed: number,
  width: number,
  height: number,
): Promise<Buffer> {
  const hash = createHash("sha256")
    .update(`${prompt}\u0000${negativePrompt ?? ""}\u0000${seed}`)
    .digest();
  const rnd = prng(hash);
  const palette = paletteFor(prompt, rnd);
  // The field is smooth, so it is computed small and enlarged: a 1024² image costs ~50k evaluations.
  const scale = 200 / Math.max(width, height);
  const fw = Math.max(8, Math.round(width * scale));
  const fh = Math.max(8, Math.round(height * scale));
  const field = renderField(fw, fh, palette, rnd);
  const styles = [flowLines, orbs, ridges];
  const first = Math.floor(rnd() * styles.length);
  const chosen = [styles[first]!];
  if (rnd() < 0.6) chosen.push(styles[(first + 1 + Math.floor(rnd() * 2)) % styles.length]!);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${chosen.map((f) => f(width, height, palette, rnd)).join("")}</svg>`;
  const background = await sharp(field, { raw: { width: fw, height: fh, channels: 3 } })
    .resize(width, height, { kernel: "cubic" })
    .png()
    .toBuffer();
  return sharp(background)
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .png({ compressionLevel: 1 })
    .toBuffer();
}

export class LocalProvider implements ImageProvider {
  readonly name = "local";
  readonly defaultModel = LOCAL_MODEL;

  capabilities(): ModelCapabilities {
    return {
      sizes: SIZES,
      qualities: ["auto", "low", "medium", "high"],
      backgrounds: ["auto", "opaque"],
      maxN: 4,
      edit: false,
      seeded: true,
    };
  }

  async generate(request: GenerateRequest, signal: AbortSignal): Promise<GeneratedImage[]> {
    if (request.model !== LOCAL_MODEL) {
      throw new GenerationError(
        "provider_error",
        `The local generator has no model "${request.model}"`,
      );
    }
    const size = parseSize(request.size);
    if (size === undefined || !SIZES.includes(request.size)) {
      throw new GenerationError("provider_error", `Unsupported size ${request.size}`);
    }
    const seed = request.seed ?? 0;
    const images: GeneratedImage[] = [];
    for (let i = 0; i < request.n; i++) {
      signal.throwIfAborted();
      const s = (seed + i) >>> 0;
      images.push({
        bytes: await renderProceduralImage(
          request.prompt,
          request.negativePrompt,
          s,
          size.width,
          size.height,
        ),
        seed: s,
      });
    }
    return images;
  }
}
