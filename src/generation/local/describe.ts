// What the embedded generator drew, as one sentence (a draft of the alt text): "A lighthouse and two
// boats on the sea at dusk, with clouds, in watercolour." Read from the Scene the picture carries.
import { sharp } from "../../media/sharp.ts";
import { luminance } from "./canvas.ts";
import { readScene } from "./render.ts";
import type { Scene } from "./scene.ts";
import type { Animal, Place, Style, TimeOfDay } from "./vocabulary.ts";

const NUMBERS = ["no", "a", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

const count = (n: number, one: string, many: string) =>
  n === 1 ? `${/^[aeiou]/.test(one) ? "an" : "a"} ${one}` : `${NUMBERS[n] ?? "many"} ${many}`;

const ANIMAL_NAMES: Record<Animal, [string, string]> = {
  fox: ["fox", "foxes"],
  cat: ["cat", "cats"],
  dog: ["dog", "dogs"],
  wolf: ["wolf", "wolves"],
  deer: ["deer", "deer"],
  horse: ["horse", "horses"],
  cow: ["cow", "cows"],
  sheep: ["sheep", "sheep"],
  rabbit: ["rabbit", "rabbits"],
  bird: ["flock of birds", "flocks of birds"],
  whale: ["whale", "whales"],
};

const PLACE_PHRASES: Record<Place, [string, string]> = {
  sea: ["on the sea", "The sea"],
  harbour: ["in a harbour", "A harbour"],
  mountains: ["in the mountains", "Mountains"],
  forest: ["in a forest", "A forest"],
  desert: ["in the desert", "A desert"],
  city: ["in a city", "A city skyline"],
  sky: ["above the clouds", "A sky above the clouds"],
  space: ["in space", "Space"],
  meadow: ["in a meadow", "A meadow"],
  hills: ["among hills", "Rolling hills"],
};

const TIME_PHRASES: Record<TimeOfDay, string> = {
  dawn: "at dawn",
  morning: "in the morning",
  noon: "at noon",
  afternoon: "in the afternoon",
  dusk: "at dusk",
  night: "at night",
};

const STYLE_PHRASES: Record<Style, string | undefined> = {
  illustration: undefined,
  photograph: "as a photograph",
  watercolour: "in watercolour",
  risograph: "as a risograph print",
  "pixel-art": "in pixel art",
  ink: "in ink",
  neon: "in neon",
};

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/** The sentence for a scene. Never empty. */
export function describeScene(scene: Scene): string {
  const e = scene.elements;
  const subjects: string[] = [];
  if (e.lighthouse) subjects.push("a lighthouse");
  for (const animal of scene.animals) {
    const [one] = ANIMAL_NAMES[animal];
    subjects.push(
      `${count(1, one, one)}${scene.resting && animal !== "bird" && animal !== "whale" ? " lying down" : ""}`,
    );
  }
  if (e.boats) subjects.push(count(e.boats, "boat", "boats"));
  if (e.buildings && scene.place !== "city") subjects.push(count(e.buildings, "house", "houses"));
  if (e.trees && scene.place !== "forest") subjects.push(count(e.trees, "tree", "trees"));
  const [where, alone] = PLACE_PHRASES[scene.place];
  let sentence = subjects.length > 0 ? `${list(subjects)} ${where}` : alone;
  if (scene.place !== "space") sentence += ` ${TIME_PHRASES[scene.time]}`;
  const extras: string[] = [];
  if (e.sun) extras.push("the sun");
  if (e.moon) extras.push("the moon");
  if (e.stars) extras.push("stars");
  if (e.clouds) extras.push("clouds");
  if (scene.place === "space") extras.push("a planet");
  const weather: string[] = [];
  if (scene.weather.snow > 0) weather.push("falling snow");
  if (scene.weather.rain > 0) weather.push("rain");
  if (scene.weather.fog > 0) weather.push(scene.weather.fog > 0.7 ? "thick fog" : "fog");
  if (extras.length > 0) sentence += `, with ${list(extras)}`;
  if (weather.length > 0) sentence += `, in ${list(weather)}`;
  const style = STYLE_PHRASES[scene.style];
  if (style !== undefined) sentence += `, ${style}`;
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/**
 * Describes an image: from the scene it carries; an image without one (an upload) is described by its
 * overall light and colour only — reading the prompt would name things that may not be in it, and the
 * caller already falls back to the prompt.
 */
export async function describeImage(image: Buffer): Promise<string> {
  const scene = readScene(image);
  if (scene !== undefined) return describeScene(scene);
  const stats = await sharp(image).removeAlpha().stats();
  const [r, g, b] = stats.channels.map((c) => c.mean) as [number, number, number];
  const light = luminance(r, g, b);
  const tone = light < 60 ? "A dark" : light > 190 ? "A light" : "A";
  const hue = r > b + 25 ? "warm-toned" : b > r + 25 ? "cool-toned" : "neutral-toned";
  return `${tone} ${hue} image.`;
}
