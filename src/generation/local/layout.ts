// Where things go: the horizon line, the sun and the moon, the side of the picture a lighthouse stands
// on. Chosen once per scene from its seed, so every layer (and every edit) agrees.
import { between, stream } from "./prng.ts";
import type { Scene } from "./scene.ts";
import type { Place, TimeOfDay } from "./vocabulary.ts";

export interface Layout {
  width: number;
  height: number;
  /** The y of the horizon in pixels. */
  horizon: number;
  sun: { x: number; y: number };
  moon: { x: number; y: number };
  /** -1: the left of the picture holds the lighthouse and the quay; 1: the right. */
  side: -1 | 1;
}

const HORIZONS: Record<Place, [number, number]> = {
  sea: [0.5, 0.62],
  harbour: [0.5, 0.6],
  mountains: [0.6, 0.7],
  forest: [0.58, 0.68],
  desert: [0.55, 0.66],
  city: [0.62, 0.72],
  sky: [0.86, 0.94],
  space: [1, 1],
  meadow: [0.55, 0.7],
  hills: [0.52, 0.66],
};

/** How high the sun stands, as a fraction of the way from the horizon to the top. */
const SUN_HEIGHT: Record<TimeOfDay, [number, number]> = {
  dawn: [0.05, 0.15],
  morning: [0.35, 0.55],
  noon: [0.72, 0.85],
  afternoon: [0.4, 0.6],
  dusk: [0.04, 0.14],
  night: [0.5, 0.8],
};

export function layoutOf(scene: Scene, width: number, height: number): Layout {
  const rnd = stream(scene.seed, "layout");
  const [lo, hi] = HORIZONS[scene.place];
  const horizon = Math.round(between(rnd, lo, hi) * height);
  const [sunLo, sunHi] = SUN_HEIGHT[scene.time];
  const sunY = horizon * (1 - between(rnd, sunLo, sunHi));
  const side = rnd() < 0.5 ? -1 : 1;
  // The sun stands away from the lighthouse's side, so neither hides the other.
  const sunX = width * (side === -1 ? between(rnd, 0.55, 0.85) : between(rnd, 0.15, 0.45));
  const moonX = width * (side === -1 ? between(rnd, 0.6, 0.88) : between(rnd, 0.12, 0.4));
  const moonY = horizon * between(rnd, 0.2, 0.45);
  return { width, height, horizon, sun: { x: sunX, y: sunY }, moon: { x: moonX, y: moonY }, side };
}
