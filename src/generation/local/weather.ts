// Weather over the whole picture: a fog veil thickest at the horizon, rain streaks, falling snow.
import { type Canvas, disc, expandField, mix, noiseField, polygon, type Rgb } from "./canvas.ts";
import type { Layout } from "./layout.ts";
import { between, stream } from "./prng.ts";
import type { Scene } from "./scene.ts";
import type { Light } from "./sky.ts";

export function paintWeather(canvas: Canvas, scene: Scene, light: Light, layout: Layout): void {
  if (scene.weather.fog > 0) paintFog(canvas, scene, light, layout);
  if (scene.weather.rain > 0) paintRain(canvas, scene);
  if (scene.weather.snow > 0) paintSnowfall(canvas, scene);
}

function paintFog(canvas: Canvas, scene: Scene, light: Light, layout: Layout): void {
  const { width: w, height: h, data } = canvas;
  const rnd = stream(scene.seed, "fog");
  const field = expandField(noiseField(rnd, 96, 64, 3, 3), w, h);
  const veil: Rgb = mix(light.horizon, [205, 208, 214], 0.5);
  const strength = scene.weather.fog;
  for (let y = 0; y < h; y++) {
    // Thickest along the horizon, where the most air lies between the eye and the land.
    const fromHorizon = Math.abs(y - layout.horizon) / h;
    const band = Math.max(0, 1 - fromHorizon * 2.2);
    for (let x = 0; x < w; x++) {
      const a = Math.min(0.95, strength * (0.35 + band * 0.75) * (0.7 + field[y * w + x]! * 0.6));
      const o = (y * w + x) * 3;
      data[o] = data[o]! + (veil[0] - data[o]!) * a;
      data[o + 1] = data[o + 1]! + (veil[1] - data[o + 1]!) * a;
      data[o + 2] = data[o + 2]! + (veil[2] - data[o + 2]!) * a;
    }
  }
}

function paintRain(canvas: Canvas, scene: Scene): void {
  const { width: w, height: h } = canvas;
  const rnd = stream(scene.seed, "rain");
  const count = Math.round(((w * h) / 1400) * scene.weather.rain);
  const slant = between(rnd, -0.25, 0.1);
  const tone: Rgb = [200, 206, 218];
  for (let i = 0; i < count; i++) {
    const x = rnd() * w;
    const y = rnd() * h;
    const len = h * between(rnd, 0.015, 0.04);
    const t = Math.max(1, w / 900);
    polygon(
      canvas,
      [
        [x, y],
        [x + t, y],
        [x + t + slant * len, y + len],
        [x + slant * len, y + len],
      ],
      tone,
      0.35,
    );
  }
}

function paintSnowfall(canvas: Canvas, scene: Scene): void {
  const { width: w, height: h } = canvas;
  const rnd = stream(scene.seed, "snowfall");
  const count = Math.round(((w * h) / 2200) * scene.weather.snow);
  const unit = Math.max(w, h) / 1024;
  for (let i = 0; i < count; i++) {
    const r = unit * (0.8 + rnd() * rnd() * 3);
    disc(canvas, rnd() * w, rnd() * h, r, [250, 251, 255], 0.55 + rnd() * 0.4, 1.2);
  }
}
