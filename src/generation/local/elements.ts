// The things a prompt names, drawn over the land: a lighthouse on its rock, boats, buildings, trees and
// animals. Lighthouses, boats and animals are silhouettes (dark against any sky), which is how they read
// at a glance and how the tests find them.
import { type Canvas, disc, glow, mix, polygon, type Rgb, rect, scale } from "./canvas.ts";
import type { Ground } from "./land.ts";
import type { Layout } from "./layout.ts";
import { between, pick, type Random, stream } from "./prng.ts";
import type { Scene } from "./scene.ts";
import type { Light } from "./sky.ts";
import type { Animal } from "./vocabulary.ts";

type Point = [number, number];
const SILHOUETTE: Rgb = [24, 22, 30];

function ellipse(cx: number, cy: number, rx: number, ry: number, turn = 0): Point[] {
  return Array.from({ length: 28 }, (_, i) => {
    const a = (i / 28) * Math.PI * 2;
    const x = Math.cos(a) * rx;
    const y = Math.sin(a) * ry;
    return [
      cx + x * Math.cos(turn) - y * Math.sin(turn),
      cy + x * Math.sin(turn) + y * Math.cos(turn),
    ];
  });
}

const surfaceAt = (ground: Ground, x: number) =>
  ground.surface[Math.max(0, Math.min(ground.surface.length - 1, Math.round(x)))]!;

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
    const depth = between(rnd, 0.08, 0.55);
    const y = water.top + span * depth;
    const s = w * (0.06 + depth * 0.12);
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

/** Body proportions: length, height, leg length, neck, ears, tail, as fractions of the animal's size. */
const BODIES: Record<
  Exclude<Animal, "bird" | "whale">,
  { ry: number; legs: number; neck: number; ears: number; tail: number }
> = {
  fox: { ry: 0.16, legs: 0.2, neck: 0.1, ears: 0.12, tail: 0.45 },
  cat: { ry: 0.16, legs: 0.18, neck: 0.08, ears: 0.1, tail: 0.4 },
  dog: { ry: 0.18, legs: 0.26, neck: 0.1, ears: 0.06, tail: 0.25 },
  wolf: { ry: 0.18, legs: 0.28, neck: 0.12, ears: 0.11, tail: 0.38 },
  deer: { ry: 0.17, legs: 0.45, neck: 0.3, ears: 0.08, tail: 0.08 },
  horse: { ry: 0.2, legs: 0.5, neck: 0.32, ears: 0.06, tail: 0.3 },
  cow: { ry: 0.24, legs: 0.32, neck: 0.1, ears: 0.05, tail: 0.2 },
  sheep: { ry: 0.26, legs: 0.22, neck: 0.06, ears: 0.04, tail: 0.05 },
  rabbit: { ry: 0.22, legs: 0.08, neck: 0.04, ears: 0.3, tail: 0.05 },
};

function paintAnimals(canvas: Canvas, scene: Scene, layout: Layout, ground: Ground) {
  const { width: w, height: h } = canvas;
  const rnd = stream(scene.seed, "animals");
  scene.animals.forEach((animal, i) => {
    if (animal === "bird") {
      paintBirds(canvas, rnd, layout);
      return;
    }
    if (animal === "whale") {
      const water = ground.water ?? { top: layout.horizon, bottom: h };
      const x = w * between(rnd, 0.3, 0.7);
      const y = water.top + (water.bottom - water.top) * 0.3;
      const s = w * 0.16;
      polygon(
        canvas,
        ellipse(x, y, s * 0.5, s * 0.14).filter(([, py]) => py <= y + 1),
        SILHOUETTE,
      );
      polygon(
        canvas,
        [
          [x + s * 0.45, y],
          [x + s * 0.75, y - s * 0.2],
          [x + s * 0.6, y - s * 0.02],
          [x + s * 0.8, y + s * 0.02],
        ],
        SILHOUETTE,
      );
      return;
    }
    const b = BODIES[animal];
    const s = w * between(rnd, 0.16, 0.22);
    const facing = rnd() < 0.5 ? -1 : 1;
    const x =
      w * (0.3 + ((i + 0.5) / Math.max(1, scene.animals.length)) * 0.4) +
      between(rnd, -0.04, 0.04) * w;
    const feet = Math.min(h - 2, surfaceAt(ground, x) + h * between(rnd, 0.12, 0.2));
    const legs = scene.resting ? 0 : b.legs * s;
    const cy = feet - legs - b.ry * s * 0.8;
    polygon(canvas, ellipse(x, cy, s * 0.36, b.ry * s), SILHOUETTE);
    if (legs > 0) {
      for (const lx of [-0.26, -0.16, 0.16, 0.26])
        rect(canvas, x + lx * s - s * 0.025, cy, s * 0.05, feet - cy, SILHOUETTE);
    }
    const hx = x + facing * s * 0.4;
    const hy = cy - b.ry * s * 0.6 - b.neck * s;
    polygon(
      canvas,
      [
        [x + facing * s * 0.22, cy - b.ry * s * 0.5],
        [hx, hy],
        [hx + facing * s * 0.04, hy + s * 0.12],
        [x + facing * s * 0.3, cy],
      ],
      SILHOUETTE,
    );
    disc(canvas, hx, hy, s * 0.09, SILHOUETTE, 1, 1);
    polygon(
      canvas,
      [
        [hx + facing * s * 0.06, hy],
        [hx + facing * s * 0.2, hy + s * 0.04],
        [hx + facing * s * 0.05, hy + s * 0.07],
      ],
      SILHOUETTE,
    );
    for (const ex of [-0.04, 0.03]) {
      polygon(
        canvas,
        [
          [hx + ex * s - s * 0.025, hy - s * 0.05],
          [hx + ex * s + s * 0.025, hy - s * 0.05],
          [hx + ex * s, hy - s * 0.05 - b.ears * s],
        ],
        SILHOUETTE,
      );
    }
    if (b.tail > 0.1) {
      const tx = x - facing * s * 0.34;
      polygon(
        canvas,
        ellipse(
          tx - facing * b.tail * s * 0.4,
          cy + b.ry * s * (scene.resting ? 0.5 : -0.1),
          b.tail * s * 0.45,
          s * 0.06,
          facing * (scene.resting ? 0.1 : -0.5),
        ),
        SILHOUETTE,
      );
    }
  });
}

function paintBirds(canvas: Canvas, rnd: Random, layout: Layout) {
  const { width: w } = canvas;
  const count = 3 + Math.floor(rnd() * 5);
  const cx = w * between(rnd, 0.25, 0.75);
  const cy = layout.horizon * between(rnd, 0.25, 0.5);
  for (let i = 0; i < count; i++) {
    const x = cx + between(rnd, -0.15, 0.15) * w;
    const y = cy + between(rnd, -0.08, 0.08) * layout.horizon;
    const s = w * between(rnd, 0.012, 0.025);
    const lift = pick(rnd, [0.35, 0.5, 0.6]);
    polygon(
      canvas,
      [
        [x - s, y - s * lift],
        [x, y],
        [x + s, y - s * lift],
        [x, y + s * 0.15],
      ],
      SILHOUETTE,
    );
  }
}
