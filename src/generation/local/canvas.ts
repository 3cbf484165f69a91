// A raw RGB canvas (floats 0–255, one array for the whole picture) and the few drawing operations the
// scene layers need: gradients, discs, polygons, columns under a profile, alpha blends, smooth noise.
// Pure TypeScript loops over one typed array: a 1024² picture is ~1M pixels, so every layer must stay a
// few simple passes (the target is the whole image in 0.5 s on one core).
import type { Random } from "./prng.ts";

export type Rgb = readonly [number, number, number];

export interface Canvas {
  width: number;
  height: number;
  /** RGB, row-major, 0–255 (not clamped until encoded). */
  data: Float32Array;
}

export function createCanvas(width: number, height: number): Canvas {
  return { width, height, data: new Float32Array(width * height * 3) };
}

export const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];

export const scale = (c: Rgb, k: Rgb | number): Rgb =>
  typeof k === "number" ? [c[0] * k, c[1] * k, c[2] * k] : [c[0] * k[0], c[1] * k[1], c[2] * k[2]];

export const luminance = (r: number, g: number, b: number) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** Blends colour `c` into pixel `i` (pixel index, not byte offset) with opacity `a`. */
export function blendPixel(canvas: Canvas, i: number, c: Rgb, a: number): void {
  const d = canvas.data;
  const o = i * 3;
  d[o] = d[o]! + (c[0] - d[o]!) * a;
  d[o + 1] = d[o + 1]! + (c[1] - d[o + 1]!) * a;
  d[o + 2] = d[o + 2]! + (c[2] - d[o + 2]!) * a;
}

/** Fills rows y0..y1 with a vertical gradient through `stops` (positions 0–1 over those rows). */
export function verticalGradient(
  canvas: Canvas,
  y0: number,
  y1: number,
  stops: readonly (readonly [number, Rgb])[],
): void {
  const { width, data } = canvas;
  const top = Math.max(0, Math.floor(y0));
  const bottom = Math.min(canvas.height, Math.ceil(y1));
  for (let y = top; y < bottom; y++) {
    const t = (y - y0) / Math.max(1, y1 - y0);
    let k = 0;
    while (k < stops.length - 2 && t > stops[k + 1]![0]) k++;
    const [p0, c0] = stops[k]!;
    const [p1, c1] = stops[Math.min(k + 1, stops.length - 1)]!;
    const c = mix(c0, c1, Math.min(1, Math.max(0, (t - p0) / Math.max(1e-6, p1 - p0))));
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      data[o] = c[0];
      data[o + 1] = c[1];
      data[o + 2] = c[2];
    }
  }
}

/** A disc with a soft (anti-aliased) edge of `soft` pixels; opacity `a` at the centre. */
export function disc(
  canvas: Canvas,
  cx: number,
  cy: number,
  r: number,
  c: Rgb,
  a = 1,
  soft = 1,
): void {
  const x0 = Math.max(0, Math.floor(cx - r - soft));
  const x1 = Math.min(canvas.width - 1, Math.ceil(cx + r + soft));
  const y0 = Math.max(0, Math.floor(cy - r - soft));
  const y1 = Math.min(canvas.height - 1, Math.ceil(cy + r + soft));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const cover = Math.min(1, Math.max(0, (r + soft / 2 - d) / soft));
      if (cover > 0) blendPixel(canvas, y * canvas.width + x, c, cover * a);
    }
  }
}

/** A radial glow: opacity `a` at the centre falling to 0 at radius `r` (quadratic). */
export function glow(canvas: Canvas, cx: number, cy: number, r: number, c: Rgb, a: number): void {
  const x0 = Math.max(0, Math.floor(cx - r));
  const x1 = Math.min(canvas.width - 1, Math.ceil(cx + r));
  const y0 = Math.max(0, Math.floor(cy - r));
  const y1 = Math.min(canvas.height - 1, Math.ceil(cy + r));
  const r2 = r * r;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2;
      if (d2 < r2) {
        const t = 1 - d2 / r2;
        blendPixel(canvas, y * canvas.width + x, c, a * t * t);
      }
    }
  }
}

/** Fills a polygon (even-odd rule, scanline at pixel centres). Points are [x, y] pairs. */
export function polygon(
  canvas: Canvas,
  points: readonly (readonly [number, number])[],
  c: Rgb,
  a = 1,
) {
  if (points.length < 3) return;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const [, y] of points) {
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const xs: number[] = [];
  const y0 = Math.max(0, Math.floor(minY));
  const y1 = Math.min(canvas.height - 1, Math.ceil(maxY));
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i]!;
      const [xj, yj] = points[j]!;
      if (yi > py !== yj > py) xs.push(xi + ((py - yi) / (yj - yi)) * (xj - xi));
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.round(xs[k]!));
      const to = Math.min(canvas.width, Math.round(xs[k + 1]!));
      for (let x = from; x < to; x++) blendPixel(canvas, y * canvas.width + x, c, a);
    }
  }
}

export function rect(canvas: Canvas, x: number, y: number, w: number, h: number, c: Rgb, a = 1) {
  polygon(
    canvas,
    [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
    ],
    c,
    a,
  );
}

/**
 * Fills every column from the profile's height down to `bottom` (a ridge, a dune, the sea): `colourAt`
 * gives the colour for a depth 0 (the crest) … 1 (the bottom).
 */
export function underProfile(
  canvas: Canvas,
  profile: Float32Array,
  bottom: number,
  colourAt: (depth: number) => Rgb,
): void {
  const { width, data } = canvas;
  const steps = 64;
  const ramp = Array.from({ length: steps + 1 }, (_, i) => colourAt(i / steps));
  const yEnd = Math.min(canvas.height, Math.ceil(bottom));
  for (let x = 0; x < width; x++) {
    const top = Math.max(0, Math.round(profile[x]!));
    const span = Math.max(1, yEnd - top);
    for (let y = top; y < yEnd; y++) {
      const c = ramp[Math.min(steps, Math.floor(((y - top) / span) * steps))]!;
      const o = (y * width + x) * 3;
      data[o] = c[0];
      data[o + 1] = c[1];
      data[o + 2] = c[2];
    }
  }
}

/** 1-D fractal noise over `width` samples, values about -1 … 1: ridge lines and dunes. */
export function ridgeProfile(rnd: Random, width: number, octaves: number, roughness = 0.5) {
  const out = new Float32Array(width);
  let amp = 1;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    const cells = 2 ** (o + 1) + 1;
    const knots = Array.from({ length: cells + 1 }, () => rnd() * 2 - 1);
    for (let x = 0; x < width; x++) {
      const p = (x / width) * cells;
      const i = Math.floor(p);
      const t = p - i;
      const s = t * t * (3 - 2 * t);
      out[x] = out[x]! + amp * (knots[i]! + (knots[i + 1]! - knots[i]!) * s);
    }
    norm += amp;
    amp *= roughness;
  }
  for (let x = 0; x < width; x++) out[x] = out[x]! / norm;
  return out;
}

/**
 * 2-D fractal value noise (0 … 1) computed on a coarse grid of `gw`×`gh` and read back with bilinear
 * interpolation: clouds, fog and paper texture are smooth, so a 256² grid looks the same at 1024² and
 * costs a sixteenth.
 */
export function noiseField(rnd: Random, gw: number, gh: number, octaves: number, base = 4) {
  const out = new Float32Array(gw * gh);
  let amp = 1;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    const cells = base * 2 ** o;
    const cw = cells + 2;
    const knots = Float32Array.from({ length: cw * cw }, () => rnd());
    for (let y = 0; y < gh; y++) {
      const py = (y / gh) * cells;
      const iy = Math.floor(py);
      const ty = py - iy;
      const sy = ty * ty * (3 - 2 * ty);
      for (let x = 0; x < gw; x++) {
        const px = (x / gw) * cells;
        const ix = Math.floor(px);
        const tx = px - ix;
        const sx = tx * tx * (3 - 2 * tx);
        const k = iy * cw + ix;
        const top = knots[k]! + (knots[k + 1]! - knots[k]!) * sx;
        const bot = knots[k + cw]! + (knots[k + cw + 1]! - knots[k + cw]!) * sx;
        out[y * gw + x] = out[y * gw + x]! + amp * (top + (bot - top) * sy);
      }
    }
    norm += amp;
    amp *= 0.5;
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return { width: gw, height: gh, values: out };
}

export type Field = ReturnType<typeof noiseField>;

/** Reads a field at canvas pixel (x, y) of a canvas `w`×`h`, bilinearly. */
export function sampleField(f: Field, x: number, y: number, w: number, h: number): number {
  const fx = Math.min(f.width - 1.001, (x / w) * (f.width - 1));
  const fy = Math.min(f.height - 1.001, (y / h) * (f.height - 1));
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  const tx = fx - ix;
  const ty = fy - iy;
  const k = iy * f.width + ix;
  const v = f.values;
  const top = v[k]! + (v[k + 1]! - v[k]!) * tx;
  const bot = v[k + f.width]! + (v[k + f.width + 1]! - v[k + f.width]!) * tx;
  return top + (bot - top) * ty;
}

/**
 * A field enlarged to `w`×`h` samples in one pass (bilinear), for layers that read every pixel: one
 * typed array read per pixel instead of a sampleField call.
 */
export function expandField(f: Field, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const v = f.values;
  const xs = new Int32Array(w);
  const txs = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    const fx = Math.min(f.width - 1.001, (x / w) * (f.width - 1));
    xs[x] = Math.floor(fx);
    txs[x] = fx - xs[x]!;
  }
  for (let y = 0; y < h; y++) {
    const fy = Math.min(f.height - 1.001, (y / h) * (f.height - 1));
    const iy = Math.floor(fy);
    const ty = fy - iy;
    const row = iy * f.width;
    const o = y * w;
    for (let x = 0; x < w; x++) {
      const k = row + xs[x]!;
      const tx = txs[x]!;
      const top = v[k]! + (v[k + 1]! - v[k]!) * tx;
      const bot = v[k + f.width]! + (v[k + f.width + 1]! - v[k + f.width]!) * tx;
      out[o + x] = top + (bot - top) * ty;
    }
  }
  return out;
}
