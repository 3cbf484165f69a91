// The things a prompt names, drawn over the land: a lighthouse on its rock, boats, buildings, trees and
// animals (animals.ts). Lighthouses, boats and animals are silhouettes (dark against any sky), which is how they read
// at a glance and how the tests find them.

import { paintAnimals } from "./animals.ts";
import { type Canvas, disc, glow, mix, polygon, type Rgb, rect, scale } from "./canvas.ts";
import { type Ground, SILHOUETTE, surfaceAt } from "./land.ts";
import type { Layout } from "./layout.ts";
import { between, stream } from "./prng.ts";
import type { Scene } from "./scene.ts";
import type { Light } from "./sky.ts";

type Point = [number, number];

export function paintElements(
  canvas: Canvas,
  scene: Scene,
  light: Light,
  layout: Layout,
  ground: Ground,
) {
  if (scene.elements.buildings) paintBuildings(canvas, scene, light, layout, ground);
  if (scene.elements.trees) paintTrees(canvas, scene, light, ground);
  if (scene.elements.lighthouse) paintLighthouse(canvas, scene, layout, ground);
  if (scene.elements.boats && ground.water) paintBoats(canvas, scene, layout, ground.water);
  paintAnimals(canvas, scene, layout, ground);
}

function paintLighthouse(canvas: Canvas, scene: Scene, layout: Layout, ground: Ground) {
  const { width: w, height: h } = canvas;
  const edge = layout.side === -1 ? 0 : w;
  const dir = -layout.side;
  let baseX = edge + dir * w * 0.13;
  let baseY: number;
  if (ground.water && ground.water.top <= layout.horizon + 1) {
    // On the coast it stands on a headland of dark rock reaching in from its side.
    baseY = layout.horizon - h * 0.035;
    polygon(
      canvas,
      [
        [edge, baseY - h * 0.01],
        [edge + dir * w * 0.2, baseY],
        [edge + dir * w * 0.27, layout.horizon + h * 0.05],
        [edge + dir * w * 0.34, h],
        [edge, h],
      ],
      SILHOUETTE,
    );
  } else {
    baseX = edge + dir * w * 0.2;
    baseY = surfaceAt(ground, baseX) + h * 0.01;
  }
  const tall = h * 0.3;
  const bottomHalf = w * 0.028;
  const topHalf = w * 0.018;
  const top = baseY - tall;
  polygon(
    canvas,
    [
      [baseX - bottomHalf, baseY],
      [baseX + bottomHalf, baseY],
      [baseX + topHalf, top],
      [baseX - topHalf, top],
    ],
    SILHOUETTE,
  );
  rect(canvas, baseX - topHalf * 1.5, top - h * 0.008, topHalf * 3, h * 0.008, SILHOUETTE);
  const lamp = top - h * 0.03;
  const lit = scene.time === "night" || scene.time === "dusk" || scene.weather.fog > 0.3;
  rect(
    canvas,
    baseX - topHalf * 0.9,
    lamp,
    topHalf * 1.8,
    h * 0.022,
    lit ? [255, 230, 150] : SILHOUETTE,
  );
  polygon(
    canvas,
    [
      [baseX - topHalf * 1.2, lamp],
      [baseX + topHalf * 1.2, lamp],
      [baseX, lamp - h * 0.025],
    ],
    SILHOUETTE,
  );
  if (lit) {
    glow(canvas, baseX, lamp + h * 0.011, w * 0.08, [255, 225, 150], 0.6);
    // The beam sweeps out to sea, away from the lighthouse's side.
    const far = baseX + dir * w * 0.7;
    polygon(
      canvas,
      [
        [baseX, lamp + h * 0.008],
        [far, lamp - h * 0.05],
        [far, lamp + h * 0.05],
      ],
      [255, 236, 180],
      0.18,
    );
  }
}

function paintBoats(
  canvas: Canvas,
  scene: Scene,
  layout: Layout,
  water: { top: number; bottom: number },
) {
  const { width: w } = canvas;
  const rnd = stream(scene.seed, "boats");
  const count = scene.elements.boats ?? 0;
  const span = water.bottom - water.top;
  // Slots across the width, leaving the lighthouse's side clear.
  const from = scene.elements.lighthouse && layout.side === -1 ? 0.35 : 0.08;
  const to = scene.elements.lighthouse && layout.side === 1 ? 0.65 : 0.92;
  for (let i = 0; i < count; i++) {
    const slot = from + ((i + between(rnd, 0.2, 0.8)) / count) * (to - from);
    const x = slot * w;
    // A single boat is the subject: nearer and larger than one of a fleet.
    const alone = count === 1;
    const depth = between(rnd, alone ? 0.25 : 0.08, 0.55);
    const y = water.top + span * depth;
    const s = w * (0.06 + depth * 0.12) * (alone ? 1.5 : 1);
    polygon(
      canvas,
      [
        [x - s / 2, y],
        [x + s / 2, y],
        [x + s * 0.36, y + s * 0.16],
        [x - s * 0.38, y + s * 0.16],
      ],
      SILHOUETTE,
    );
    const mastX = x - s * 0.02;
    rect(canvas, mastX - s * 0.015, y - s * 0.85, s * 0.03, s * 0.85, SILHOUETTE);
    if (rnd() < 0.75) {
      polygon(
        canvas,
        [
          [mastX + s * 0.02, y - s * 0.82],
          [mastX + s * 0.02, y - s * 0.08],
          [mastX + s * 0.42, y - s * 0.08],
        ],
        SILHOUETTE,
      );
      polygon(
        canvas,
        [
          [mastX - s * 0.02, y - s * 0.7],
          [mastX - s * 0.02, y - s * 0.08],
          [mastX - s * 0.3, y - s * 0.08],
        ],
        SILHOUETTE,
      );
    } else {
      rect(canvas, x - s * 0.2, y - s * 0.22, s * 0.34, s * 0.22, SILHOUETTE);
    }
  }
}

function paintBuildings(
  canvas: Canvas,
  scene: Scene,
  light: Light,
  layout: Layout,
  ground: Ground,
) {
  const { width: w, height: h } = canvas;
  const rnd = stream(scene.seed, "buildings");
  const lit = scene.time === "night" || scene.time === "dusk";
  const windowTone: Rgb = lit ? [255, 214, 120] : mix(light.horizon, [255, 255, 255], 0.3);
  const city = scene.place === "city";
  const wall = scale(city ? [70, 74, 90] : [200, 184, 160], light.ambient);
  const roof = scale([140, 62, 48], light.ambient);
  if (city) {
    // A skyline along the horizon, tallest in the middle.
    for (let x = 0; x < w; ) {
      const bw = w * between(rnd, 0.04, 0.1);
      const middle = 1 - Math.abs(x / w - 0.5);
      const bh = h * between(rnd, 0.08, 0.22) * (0.6 + middle);
      const top = layout.horizon - bh;
      const tone = scale(wall, between(rnd, 0.75, 1.15));
      rect(canvas, x, top, bw, bh + h * 0.01, tone);
      for (let wy = top + h * 0.015; wy < layout.horizon - h * 0.02; wy += h * 0.03) {
        for (let wx = x + bw * 0.15; wx < x + bw * 0.8; wx += bw * 0.22) {
          if (rnd() < (lit ? 0.55 : 0.8))
            rect(canvas, wx, wy, bw * 0.1, h * 0.012, windowTone, lit ? 1 : 0.5);
        }
      }
      x += bw + w * between(rnd, 0, 0.012);
    }
    return;
  }
  const count = scene.elements.buildings ?? 1;
  const onShore = ground.water !== undefined && ground.water.top <= layout.horizon + 1;
  for (let i = 0; i < count; i++) {
    const x =
      ((i + between(rnd, 0.1, 0.9)) / count) * w * (onShore ? 0.5 : 0.9) +
      (onShore && layout.side === -1 ? w * 0.45 : w * 0.05);
    const s = w * (onShore ? between(rnd, 0.025, 0.04) : between(rnd, 0.05, 0.09));
    const base = onShore ? layout.horizon + 1 : surfaceAt(ground, x) + h * 0.02;
    rect(canvas, x - s / 2, base - s * 0.8, s, s * 0.8, wall);
    polygon(
      canvas,
      [
        [x - s * 0.62, base - s * 0.8],
        [x + s * 0.62, base - s * 0.8],
        [x, base - s * 1.3],
      ],
      roof,
    );
    rect(canvas, x - s * 0.12, base - s * 0.55, s * 0.22, s * 0.2, windowTone, lit ? 1 : 0.7);
  }
}

function paintTrees(canvas: Canvas, scene: Scene, light: Light, ground: Ground) {
  const { width: w, height: h } = canvas;
  const rnd = stream(scene.seed, "trees");
  const forest = scene.place === "forest";
  const count = forest ? 26 : (scene.elements.trees ?? 1) * (scene.elements.trees === 1 ? 1 : 2);
  const green = scale([36, 78, 44], light.ambient);
  const snow = scene.weather.snow > 0;
  const conifer = forest || snow || rnd() < 0.5;
  for (let i = 0; i < count; i++) {
    const x = count === 1 ? w * between(rnd, 0.25, 0.75) : ((i + rnd()) / count) * w;
    const near = forest ? between(rnd, 0, 1) : between(rnd, 0, 0.5);
    const base = surfaceAt(ground, x) + h * (0.01 + near * 0.08);
    const s = h * (0.1 + near * 0.16) * (count === 1 ? 1.6 : 1);
    const tone = scale(green, 0.7 + near * 0.4);
    rect(
      canvas,
      x - s * 0.03,
      base - s * 0.25,
      s * 0.06,
      s * 0.25,
      scale([60, 40, 30], light.ambient),
    );
    if (conifer) {
      for (let tier = 0; tier < 3; tier++) {
        const ty = base - s * (0.15 + tier * 0.27);
        const half = s * (0.32 - tier * 0.08);
        const tip: Point = [x, ty - s * 0.38];
        polygon(canvas, [[x - half, ty], [x + half, ty], tip], tone);
        if (snow)
          polygon(
            canvas,
            [[x - half * 0.35, tip[1] + s * 0.14], [x + half * 0.35, tip[1] + s * 0.14], tip],
            [236, 240, 248],
          );
      }
    } else {
      disc(canvas, x, base - s * 0.55, s * 0.3, tone, 1, 2);
      disc(canvas, x - s * 0.12, base - s * 0.65, s * 0.2, scale(tone, 1.15), 1, 2);
    }
  }
}
