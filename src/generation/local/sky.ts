// The sky layers: the gradient of the time of day, the sun or moon, stars, clouds, and space's nebula.
import {
  type Canvas,
  disc,
  expandField,
  glow,
  mix,
  noiseField,
  type Rgb,
  scale,
  verticalGradient,
} from "./canvas.ts";
import type { Layout } from "./layout.ts";
import { between, stream } from "./prng.ts";
import type { Scene } from "./scene.ts";
import type { TimeOfDay } from "./vocabulary.ts";

export interface Light {
  zenith: Rgb;
  mid: Rgb;
  horizon: Rgb;
  /** Multiplies the colours of the land: dim and warm at dusk, blue and dark at night. */
  ambient: Rgb;
  cloud: Rgb;
  sun: Rgb;
}

// Measured against photographs of each hour: dusk's horizon carries most of the red, noon's zenith
// the deepest blue, night's sky stays under a tenth of full brightness so stars read as points.
const LIGHTS: Record<TimeOfDay, Light> = {
  dawn: {
    zenith: [62, 82, 142],
    mid: [172, 142, 172],
    horizon: [255, 192, 145],
    ambient: [0.85, 0.75, 0.78],
    cloud: [255, 205, 195],
    sun: [255, 225, 180],
  },
  morning: {
    zenith: [95, 150, 215],
    mid: [160, 195, 230],
    horizon: [236, 226, 208],
    ambient: [1, 0.97, 0.92],
    cloud: [255, 251, 242],
    sun: [255, 248, 225],
  },
  noon: {
    zenith: [45, 115, 215],
    mid: [100, 160, 235],
    horizon: [180, 212, 242],
    ambient: [1.05, 1.05, 1.05],
    cloud: [255, 255, 255],
    sun: [255, 255, 240],
  },
  afternoon: {
    zenith: [70, 130, 210],
    mid: [140, 175, 225],
    horizon: [240, 215, 172],
    ambient: [1, 0.92, 0.82],
    cloud: [255, 240, 215],
    sun: [255, 236, 190],
  },
  dusk: {
    zenith: [78, 52, 112],
    mid: [208, 96, 88],
    horizon: [255, 152, 62],
    ambient: [0.72, 0.52, 0.48],
    cloud: [250, 142, 112],
    sun: [255, 190, 110],
  },
  night: {
    zenith: [4, 6, 20],
    mid: [10, 16, 40],
    horizon: [26, 36, 72],
    ambient: [0.2, 0.23, 0.36],
    cloud: [44, 50, 72],
    sun: [235, 235, 220],
  },
};

const GREY: Rgb = [150, 152, 158];

/** The light of a scene: its time of day, varied a little by the seed, greyed by rain and snow clouds. */
export function lightOf(scene: Scene): Light {
  const rnd = stream(scene.seed, "light");
  const tone: Rgb = [between(rnd, 0.86, 1.14), between(rnd, 0.88, 1.12), between(rnd, 0.86, 1.14)];
  const hour = LIGHTS[scene.time];
  const base: Light = {
    ...hour,
    zenith: scale(hour.zenith, tone),
    mid: scale(hour.mid, tone),
    horizon: scale(hour.horizon, tone),
  };
  const overcast = Math.max(scene.weather.rain, scene.weather.snow * 0.8) * 0.6;
  if (overcast === 0) return base;
  const grey = (c: Rgb) => mix(c, mix(GREY, c, 0.3), overcast);
  return {
    ...base,
    zenith: grey(base.zenith),
    mid: grey(base.mid),
    horizon: grey(base.horizon),
    cloud: mix(base.cloud, [120, 124, 132], overcast * 0.8),
  };
}

export function paintSky(canvas: Canvas, scene: Scene, light: Light, layout: Layout): void {
  if (scene.place === "space") {
    paintSpace(canvas, scene);
    return;
  }
  verticalGradient(canvas, 0, layout.horizon, [
    [0, light.zenith],
    [0.55, light.mid],
    [1, light.horizon],
  ]);
  // Below the horizon the land covers the sky; the gradient continues so nothing is left unpainted.
  verticalGradient(canvas, layout.horizon, canvas.height, [
    [0, light.horizon],
    [1, light.horizon],
  ]);
}

function paintSpace(canvas: Canvas, scene: Scene): void {
  const { width: w, height: h, data } = canvas;
  verticalGradient(canvas, 0, h, [
    [0, [2, 2, 8]],
    [1, [8, 6, 20]],
  ]);
  const rnd = stream(scene.seed, "nebula");
  const field = expandField(noiseField(rnd, 128, 128, 4, 3), w, h);
  const a: Rgb = [between(rnd, 60, 160), 30, between(rnd, 120, 220)];
  const b: Rgb = [20, between(rnd, 60, 140), between(rnd, 140, 230)];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const n = field[y * w + x]!;
      const t = Math.max(0, n - 0.45) * 2.2;
      if (t <= 0) continue;
      const m = Math.min(1, (n - 0.45) * 3);
      const o = (y * w + x) * 3;
      data[o] = data[o]! + (a[0] + (b[0] - a[0]) * m) * t * 0.6;
      data[o + 1] = data[o + 1]! + (a[1] + (b[1] - a[1]) * m) * t * 0.6;
      data[o + 2] = data[o + 2]! + (a[2] + (b[2] - a[2]) * m) * t * 0.6;
    }
  }
  // A planet: a lit disc with its night side towards the lower left.
  const prnd = stream(scene.seed, "planet");
  const r = between(prnd, 0.1, 0.22) * Math.min(w, h);
  const cx = between(prnd, 0.25, 0.75) * w;
  const cy = between(prnd, 0.3, 0.7) * h;
  const tone: Rgb = [between(prnd, 120, 230), between(prnd, 100, 200), between(prnd, 90, 220)];
  // A sphere lit from the upper right: brightness from the surface normal, a soft terminator.
  for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(h, Math.ceil(cy + r)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(w, Math.ceil(cx + r)); x++) {
      const nx = (x - cx) / r;
      const ny = (y - cy) / r;
      const d2 = nx * nx + ny * ny;
      if (d2 >= 1) continue;
      const nz = Math.sqrt(1 - d2);
      const lit = Math.max(0, nx * 0.55 - ny * 0.45 + nz * 0.7);
      const edge = Math.min(1, (1 - Math.sqrt(d2)) * r * 0.5);
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        data[o + c] = data[o + c]! + (tone[c]! * (0.04 + lit * 0.96) - data[o + c]!) * edge;
      }
    }
  }
}

/** The sun (or moon) with its glow; where the layout put it, above the horizon. */
export function paintSunAndMoon(canvas: Canvas, scene: Scene, light: Light, layout: Layout) {
  const r = Math.min(canvas.width, canvas.height);
  if (scene.elements.sun && scene.place !== "space") {
    const { x, y } = layout.sun;
    glow(canvas, x, y, r * 0.45, light.sun, 0.55);
    disc(canvas, x, y, r * 0.045, mix(light.sun, [255, 255, 255], 0.5), 1, 2);
  }
  if (scene.elements.moon) {
    const { x, y } = layout.moon;
    const night = scene.time === "night";
    glow(canvas, x, y, r * 0.16, [200, 210, 235], night ? 0.25 : 0.1);
    disc(canvas, x, y, r * 0.035, [238, 236, 222], night ? 1 : 0.6, 2);
  }
}

/** Stars: single bright points, a few larger ones, only in the sky (the land is drawn over them). */
export function paintStars(canvas: Canvas, scene: Scene, layout: Layout): void {
  if (!scene.elements.stars) return;
  const rnd = stream(scene.seed, "stars");
  const { width: w } = canvas;
  const top = scene.place === "space" ? canvas.height : layout.horizon * 0.92;
  const count = Math.round((w * top) / 1800);
  // Stars fade into a bright sky: full at night, half at dusk and dawn, faint by day.
  const strength =
    scene.time === "night" || scene.place === "space"
      ? 1
      : scene.time === "dusk" || scene.time === "dawn"
        ? 0.8
        : 0.45;
  for (let i = 0; i < count; i++) {
    const x = rnd() * w;
    const y = rnd() * rnd() * top;
    const big = rnd() < 0.08;
    const tone: Rgb = rnd() < 0.3 ? [255, 236, 210] : [235, 242, 255];
    if (big) disc(canvas, x, y, 1.4 + rnd(), tone, strength, 1);
    else
      disc(
        canvas,
        Math.floor(x) + 0.5,
        Math.floor(y) + 0.5,
        0.5,
        tone,
        strength * (0.7 + rnd() * 0.3),
        1,
      );
  }
}

/** Clouds: fractal noise above a threshold, thicker in rain and snow, thinning towards the horizon. */
export function paintClouds(canvas: Canvas, scene: Scene, light: Light, layout: Layout): void {
  if (!scene.elements.clouds) return;
  const rnd = stream(scene.seed, "clouds");
  const { width: w, data } = canvas;
  const bottom = scene.place === "sky" ? canvas.height : layout.horizon;
  const field = expandField(noiseField(rnd, 160, 80, 5, 3), w, Math.max(1, bottom));
  const overcast = Math.max(scene.weather.rain, scene.weather.snow);
  const threshold = 0.52 - overcast * 0.22 - (scene.place === "sky" ? 0.08 : 0);
  const shade = mix(light.cloud, light.zenith, 0.45);
  const cloud = light.cloud;
  for (let y = 0; y < bottom; y++) {
    const fade = scene.place === "sky" ? 1 : Math.min(1, (1 - y / bottom) * 3);
    for (let x = 0; x < w; x++) {
      const n = field[y * w + x]!;
      const t = Math.min(1, Math.max(0, (n - threshold) * 5)) * fade;
      if (t <= 0) continue;
      const m = Math.min(1, (n - threshold) * 4);
      const o = (y * w + x) * 3;
      const a = t * 0.92;
      data[o] = data[o]! + (shade[0] + (cloud[0] - shade[0]) * m - data[o]!) * a;
      data[o + 1] = data[o + 1]! + (shade[1] + (cloud[1] - shade[1]) * m - data[o + 1]!) * a;
      data[o + 2] = data[o + 2]! + (shade[2] + (cloud[2] - shade[2]) * m - data[o + 2]!) * a;
    }
  }
}
