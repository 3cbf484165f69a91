// Animals as silhouettes: a four-legged body (fox, cat, deer, horse…) standing or lying on the land, a
// flock of birds in the sky, a whale's back in the water.
import { type Canvas, disc, polygon, rect } from "./canvas.ts";
import { type Ground, SILHOUETTE, surfaceAt } from "./land.ts";
import type { Layout } from "./layout.ts";
import { between, pick, type Random, stream } from "./prng.ts";
import type { Scene } from "./scene.ts";
import type { Animal } from "./vocabulary.ts";

type Point = [number, number];

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

export function paintAnimals(canvas: Canvas, scene: Scene, layout: Layout, ground: Ground) {
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
