// The finish: a colour grade (warmth, exposure, colour words, palette words), then the named style —
// watercolour, risograph, pixel art, ink, neon or photograph — as a pass over the finished pixels.
import { type Canvas, expandField, luminance, noiseField, type Rgb } from "./canvas.ts";
import { between, stream } from "./prng.ts";
import type { Scene } from "./scene.ts";
import { COLOURS } from "./vocabulary.ts";

export function grade(canvas: Canvas, scene: Scene): void {
  const { data } = canvas;
  const warm = scene.warmth * 0.22;
  const gain = 1 + scene.brightness * 0.45;
  const tints = scene.colours.map((c) => COLOURS[c] as Rgb);
  const tint: Rgb | undefined =
    tints.length === 0
      ? undefined
      : ([0, 1, 2].map(
          (k) => tints.reduce((s, t) => s + t[k]!, 0) / tints.length,
        ) as unknown as Rgb);
  const tintLum = tint ? Math.max(1, luminance(tint[0], tint[1], tint[2])) : 1;
  const sat = { natural: 1, pastel: 0.6, vivid: 1.45, muted: 0.55, monochrome: 0, sepia: 0 }[
    scene.palette
  ];
  for (let o = 0; o < data.length; o += 3) {
    let r = data[o]! * (1 + warm) * gain;
    let g = data[o + 1]! * (1 + warm * 0.2) * gain;
    let b = data[o + 2]! * (1 - warm) * gain;
    if (tint) {
      // The colour word tints by hue but keeps each pixel's lightness.
      const l = luminance(r, g, b) / tintLum;
      r += (tint[0] * l - r) * 0.16;
      g += (tint[1] * l - g) * 0.16;
      b += (tint[2] * l - b) * 0.16;
    }
    const l = luminance(r, g, b);
    r = l + (r - l) * sat;
    g = l + (g - l) * sat;
    b = l + (b - l) * sat;
    if (scene.palette === "sepia") {
      r = l * 1.07 + 12;
      g = l * 0.95 + 4;
      b = l * 0.78;
    } else if (scene.palette === "pastel") {
      r += (255 - r) * 0.3;
      g += (255 - g) * 0.3;
      b += (255 - b) * 0.3;
    }
    data[o] = r;
    data[o + 1] = g;
    data[o + 2] = b;
  }
}

/**
 * A box blur of radius r, in place: running sums along each row, then running sums of whole rows
 * down the picture (row by row, so memory is read in order; a column-by-column pass was 5× slower).
 */
function blur(canvas: Canvas, r: number): void {
  const { width: w, height: h, data } = canvas;
  const norm = 1 / (2 * r + 1);
  const row = w * 3;
  const tmp = new Float32Array(data.length);
  for (let y = 0; y < h; y++) {
    const start = y * row;
    for (let c = 0; c < 3; c++) {
      const first = data[start + c]!;
      const last = data[start + row - 3 + c]!;
      let sum = first * (r + 1);
      for (let i = 1; i <= r; i++) sum += data[start + Math.min(w - 1, i) * 3 + c]!;
      for (let x = 0, o = start + c; x < w; x++, o += 3) {
        tmp[o] = sum * norm;
        const enter = x + r + 1;
        const leave = x - r;
        sum += (enter < w ? data[o + (r + 1) * 3]! : last) - (leave > 0 ? data[o - r * 3]! : first);
      }
    }
  }
  const sums = new Float32Array(row);
  const rowAt = (y: number) => Math.min(h - 1, Math.max(0, y)) * row;
  for (let y = -r; y <= r; y++) {
    const o = rowAt(y);
    for (let i = 0; i < row; i++) sums[i] = sums[i]! + tmp[o + i]!;
  }
  for (let y = 0; y < h; y++) {
    const out = y * row;
    const enter = rowAt(y + r + 1);
    const leave = rowAt(y - r);
    for (let i = 0; i < row; i++) {
      data[out + i] = sums[i]! * norm;
      sums[i] = sums[i]! + tmp[enter + i]! - tmp[leave + i]!;
    }
  }
}

export function applyStyle(canvas: Canvas, scene: Scene): void {
  const rnd = stream(scene.seed, "style");
  const { width: w, height: h, data } = canvas;
  const unit = Math.max(1, Math.round(Math.max(w, h) / 512));
  switch (scene.style) {
    case "illustration":
      return;
    case "photograph": {
      // A lens: vignette towards the corners and fine film grain.
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const d = ((x / w - 0.5) ** 2 + (y / h - 0.5) ** 2) * 2;
          const k = (1 - d * 0.35) * (1 + (rnd() - 0.5) * 0.06);
          const o = (y * w + x) * 3;
          data[o] = data[o]! * k;
          data[o + 1] = data[o + 1]! * k;
          data[o + 2] = data[o + 2]! * k;
        }
      }
      return;
    }
    case "watercolour": {
      // Washes bleed (blur), pigment pools unevenly (low noise), the paper shows through (lighten, grain).
      blur(canvas, 2 * unit);
      const pools = expandField(noiseField(rnd, 128, 128, 4, 5), w, h);
      for (let i = 0, o = 0; i < pools.length; i++, o += 3) {
        const k = 0.9 + pools[i]! * 0.22 + (rnd() - 0.5) * 0.05;
        data[o] = 255 - (217 - data[o]! * 0.85) * k;
        data[o + 1] = 255 - (217 - data[o + 1]! * 0.85) * k;
        data[o + 2] = 255 - (217 - data[o + 2]! * 0.85) * k;
      }
      return;
    }
    case "risograph": {
      // Two inks on cream paper, each posterised, the second printed a few pixels off register.
      const inkA: Rgb = [between(rnd, 0, 40), between(rnd, 70, 120), between(rnd, 170, 220)];
      const inkB: Rgb = [255, between(rnd, 60, 110), between(rnd, 110, 150)];
      const paper: Rgb = [246, 238, 222];
      const src = Float32Array.from(data);
      const shift = 3 * unit;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const o = (y * w + x) * 3;
          const so = (y * w + Math.min(w - 1, x + shift)) * 3;
          const l = luminance(src[o]!, src[o + 1]!, src[o + 2]!) / 255;
          const warmth = Math.max(0, (src[so]! - src[so + 2]!) / 255 + 0.15);
          const grain = (rnd() - 0.5) * 0.18;
          const a = Math.min(1, Math.max(0, Math.round((1 - l + grain) * 4) / 4));
          const b = Math.min(1, Math.max(0, Math.round((warmth + grain) * 3) / 3));
          for (let c = 0; c < 3; c++) {
            data[o + c] =
              paper[c]! * (1 - a * (1 - inkA[c]! / 255)) * (1 - b * (1 - inkB[c]! / 255));
          }
        }
      }
      return;
    }
    case "pixel-art": {
      // Big pixels with few colours: block averages quantised to six levels a channel.
      const block = Math.max(4, Math.round(Math.min(w, h) / 96));
      for (let by = 0; by < h; by += block) {
        for (let bx = 0; bx < w; bx += block) {
          const sum = [0, 0, 0];
          let n = 0;
          for (let y = by; y < Math.min(h, by + block); y++) {
            for (let x = bx; x < Math.min(w, bx + block); x++, n++) {
              for (let c = 0; c < 3; c++) sum[c]! += data[(y * w + x) * 3 + c]!;
            }
          }
          const q = sum.map((s) => Math.round((s / n / 255) * 5) * 51);
          for (let y = by; y < Math.min(h, by + block); y++) {
            for (let x = bx; x < Math.min(w, bx + block); x++) {
              for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = q[c]!;
            }
          }
        }
      }
      return;
    }
    case "ink": {
      // Ink on paper: dark masses solid, mid-tones as diagonal hatching, light tones left as paper.
      const paper: Rgb = [244, 238, 226];
      const ink: Rgb = [28, 26, 30];
      const gap = 6 * unit;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const o = (y * w + x) * 3;
          const l = luminance(data[o]!, data[o + 1]!, data[o + 2]!) / 255 + (rnd() - 0.5) * 0.04;
          const hatch = (x + y) % gap < unit;
          const cross = (x - y + h * gap) % gap < unit;
          const dark = l < 0.25 || (l < 0.45 && (hatch || cross)) || (l < 0.65 && hatch);
          const c = dark ? ink : paper;
          data[o] = c[0];
          data[o + 1] = c[1];
          data[o + 2] = c[2];
        }
      }
      return;
    }
    case "neon": {
      // Edges of the scene as glowing tubes on a darkened picture.
      const src = Float32Array.from(data);
      const lum = (x: number, y: number) => {
        const o = (Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))) * 3;
        return luminance(src[o]!, src[o + 1]!, src[o + 2]!);
      };
      const tubeA: Rgb = [255, 60, 200];
      const tubeB: Rgb = [40, 230, 255];
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const gx = lum(x + unit, y) - lum(x - unit, y);
          const gy = lum(x, y + unit) - lum(x, y - unit);
          const edge = Math.min(1, Math.hypot(gx, gy) / 60);
          const tube = y < h / 2 ? tubeA : tubeB;
          const o = (y * w + x) * 3;
          for (let c = 0; c < 3; c++) data[o + c] = src[o + c]! * 0.25 + tube[c]! * edge;
        }
      }
      blur(canvas, unit);
      for (let o = 0; o < data.length; o++) data[o] = data[o]! * 1.6;
      return;
    }
  }
}
