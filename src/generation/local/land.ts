// The land and the water under the sky: ridges for mountains and hills, dunes, fields, the sea with its
// reflections, a lake when boats are named away from the coast. Returns where things can stand.
import {
  type Canvas,
  expandField,
  glow,
  mix,
  noiseField,
  type Rgb,
  ridgeProfile,
  scale,
  underProfile,
} from "./canvas.ts";
import type { Layout } from "./layout.ts";
import { between, type Random, stream } from "./prng.ts";
import type { Scene } from "./scene.ts";
import type { Light } from "./sky.ts";
import type { Place } from "./vocabulary.ts";

export interface Ground {
  /** The y where the nearest land is at each x (things standing on the land stand here). */
  surface: Float32Array;
  /** The band of water boats float in, when there is water. */
  water?: { top: number; bottom: number } | undefined;
}

/** Everything standing against the light (lighthouses, boats, animals) is drawn in this near-black. */
export const SILHOUETTE: Rgb = [24, 22, 30];

/** The y of the land at column x. */
export const surfaceAt = (ground: Ground, x: number) =>
  ground.surface[Math.max(0, Math.min(ground.surface.length - 1, Math.round(x)))]!;

const SNOW: Rgb = [236, 241, 248];
const GROUND: Record<Place, Rgb> = {
  sea: [70, 85, 70],
  harbour: [95, 92, 88],
  mountains: [88, 112, 72],
  forest: [44, 82, 48],
  desert: [222, 184, 124],
  city: [92, 92, 98],
  sky: [240, 240, 245],
  space: [0, 0, 0],
  meadow: [96, 148, 62],
  hills: [104, 140, 70],
};

/** Whether the scene has water to float a boat on (the coast, or a lake the boats bring). */
export const hasWater = (scene: Scene) =>
  scene.place === "sea" ||
  scene.place === "harbour" ||
  ((scene.elements.boats ?? 0) > 0 && scene.place !== "space" && scene.place !== "sky") ||
  scene.animals.includes("whale");

/** A land colour under the scene's light and snow. */
export function landColour(scene: Scene, light: Light, base: Rgb): Rgb {
  const snowy = mix(base, SNOW, Math.min(1, scene.weather.snow * 1.4));
  return scale(snowy, light.ambient);
}

export function paintLand(canvas: Canvas, scene: Scene, light: Light, layout: Layout): Ground {
  const { width: w, height: h } = canvas;
  const rnd = stream(scene.seed, "land");
  const horizon = layout.horizon;
  const flat = new Float32Array(w).fill(horizon);
  if (scene.place === "space") return { surface: new Float32Array(w).fill(h) };
  if (scene.place === "sky") {
    // A sea of cloud below: bright, rolling, at the bottom of the picture.
    const p = ridgeProfile(rnd, w, 4, 0.55);
    for (let x = 0; x < w; x++) p[x] = horizon + p[x]! * h * 0.04;
    underProfile(canvas, p, h, (d) => mix(light.cloud, mix(light.cloud, light.horizon, 0.5), d));
    return { surface: p };
  }
  const haze = (c: Rgb, k: number) => mix(c, light.horizon, k);
  if (scene.place === "mountains") {
    for (let layer = 0; layer < 3; layer++) {
      const p = ridgeProfile(rnd, w, 6, 0.5);
      const rise = h * (0.3 - layer * 0.08);
      for (let x = 0; x < w; x++) {
        p[x] = horizon - rise * (0.55 + 0.45 * p[x]!) + layer * h * 0.03;
      }
      const rock = landColour(scene, light, [110 - layer * 20, 108 - layer * 18, 120 - layer * 20]);
      const cap = scale(SNOW, light.ambient);
      const capped = scene.weather.snow > 0 || rnd() < 0.6;
      underProfile(canvas, p, h, (d) => {
        const c = capped && d < 0.12 ? cap : rock;
        return haze(c, 0.55 - layer * 0.22 + d * 0.05);
      });
      if (layer === 2) return finishGround(canvas, scene, light, layout);
    }
  }
  if (scene.place === "desert") {
    let last = flat;
    for (let layer = 0; layer < 3; layer++) {
      const p = ridgeProfile(rnd, w, 3, 0.35);
      for (let x = 0; x < w; x++) p[x] = horizon + layer * h * 0.1 - (0.5 + 0.5 * p[x]!) * h * 0.07;
      const sand = landColour(scene, light, GROUND.desert);
      underProfile(canvas, p, h, (d) =>
        haze(scale(sand, 1.05 - d * 0.35 - layer * 0.05), 0.3 - layer * 0.12),
      );
      last = p;
    }
    return { surface: last };
  }
  if (scene.place === "city") {
    underProfile(canvas, flat, h, (d) => scale(landColour(scene, light, GROUND.city), 1 - d * 0.4));
    return { surface: flat, ...waterBand(canvas, scene, light, layout, rnd) };
  }
  if (scene.place === "sea" || scene.place === "harbour") {
    paintSea(canvas, scene, light, layout, horizon, h);
    return { surface: flat, water: { top: horizon, bottom: h } };
  }
  // Hills, meadows and the forest's floor: a far ridge in the haze, then rolling near land.
  const far = ridgeProfile(rnd, w, 5, 0.5);
  for (let x = 0; x < w; x++) far[x] = horizon - (0.4 + 0.6 * (0.5 + 0.5 * far[x]!)) * h * 0.08;
  const base = landColour(scene, light, GROUND[scene.place]);
  underProfile(canvas, far, h, () => haze(scale(base, 0.8), 0.5));
  return finishGround(canvas, scene, light, layout);
}

/** The near land below the far layers: rolling fields, and a lake when boats are named. */
function finishGround(canvas: Canvas, scene: Scene, light: Light, layout: Layout): Ground {
  const { width: w, height: h } = canvas;
  const rnd = stream(scene.seed, "fields");
  const roll = scene.place === "hills" ? 0.07 : 0.025;
  const near = ridgeProfile(rnd, w, 3, 0.4);
  for (let x = 0; x < w; x++)
    near[x] = layout.horizon + h * 0.02 - (0.5 + 0.5 * near[x]!) * h * roll;
  const base = landColour(
    scene,
    light,
    GROUND[scene.place === "mountains" ? "mountains" : scene.place],
  );
  const texture = expandField(noiseField(rnd, 96, 96, 3, 6), w, h);
  underProfile(canvas, near, h, (d) => scale(base, 0.95 + d * 0.15));
  // A little texture so fields are not flat paint.
  const { data } = canvas;
  for (let x = 0; x < w; x++) {
    for (let y = Math.max(0, Math.round(near[x]!)); y < h; y++) {
      const k = 0.88 + texture[y * w + x]! * 0.24;
      const o = (y * w + x) * 3;
      data[o] = data[o]! * k;
      data[o + 1] = data[o + 1]! * k;
      data[o + 2] = data[o + 2]! * k;
    }
  }
  return { surface: near, ...waterBand(canvas, scene, light, layout, rnd) };
}

/** A lake across the lower land when boats are named away from the coast. */
function waterBand(canvas: Canvas, scene: Scene, light: Light, layout: Layout, rnd: Random) {
  if (!hasWater(scene)) return {};
  const top = Math.round(layout.horizon + canvas.height * between(rnd, 0.08, 0.14));
  const bottom = Math.min(canvas.height, Math.round(top + canvas.height * 0.2));
  paintSea(canvas, scene, light, layout, top, bottom);
  return { water: { top, bottom } };
}

/** Water reflecting the sky: lighter at the horizon, deeper below, streaked, with the sun's path on it. */
function paintSea(
  canvas: Canvas,
  scene: Scene,
  light: Light,
  layout: Layout,
  top: number,
  bottom: number,
) {
  const { width: w, data } = canvas;
  // Deep water stays lighter than a silhouette (luminance ~55 at noon), so a boat reads against it.
  const deep = scale([24, 66, 110], light.ambient);
  const near = mix(light.horizon, deep, 0.55);
  const rnd = stream(scene.seed, "waves");
  const ripples = expandField(noiseField(rnd, 64, 192, 3, 8), w, bottom);
  for (let y = Math.max(0, top); y < bottom; y++) {
    const t = (y - top) / Math.max(1, bottom - top);
    const c = mix(near, deep, Math.sqrt(t));
    for (let x = 0; x < w; x++) {
      const n = ripples[y * w + x]!;
      const k = 0.86 + n * 0.28;
      const o = (y * w + x) * 3;
      data[o] = c[0] * k;
      data[o + 1] = c[1] * k;
      data[o + 2] = c[2] * k;
    }
  }
  // The sun's (or the moon's) path on the water: a column of glints below it.
  const body = scene.elements.sun ? layout.sun : scene.elements.moon ? layout.moon : undefined;
  if (body !== undefined) {
    const tone = scene.elements.sun ? light.sun : ([220, 225, 240] as Rgb);
    const span = bottom - top;
    for (let i = 0; i < 6; i++) {
      const y = top + span * (0.04 + i * 0.12);
      glow(canvas, body.x, y, w * (0.05 + i * 0.02), tone, 0.35 - i * 0.04);
    }
  }
}
