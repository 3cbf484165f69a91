// The Scene: what the embedded generator understood of a prompt (time, place, elements, weather, colour,
// style) and the seed that lays it out. Prompt → Scene here; Scene → pixels in render.ts; the Scene is
// stored in the PNG so an edit can change it and draw again.
import { z } from "zod";
import { between, pick, type Random, stream } from "./prng.ts";
import {
  ANIMAL_WORDS,
  ANIMALS,
  type Animal,
  COLOUR_WORDS,
  COLOURS,
  type Colour,
  ELEMENT_WORDS,
  ELEMENTS,
  type ElementKind,
  found,
  mentioned,
  mentions,
  PALETTE_WORDS,
  PALETTES,
  type Palette,
  PLACE_WORDS,
  PLACES,
  type Place,
  STYLE_WORDS,
  STYLES,
  type Style,
  TIME_WORDS,
  TIMES,
  type TimeOfDay,
  WEATHER_WORDS,
} from "./vocabulary.ts";

export interface Weather {
  /** 0 (none) to 1 (blizzard). */
  snow: number;
  rain: number;
  fog: number;
}

export interface Scene {
  /** Lays out everything the words leave open: ridge shapes, where the boats float, star positions. */
  seed: number;
  time: TimeOfDay;
  place: Place;
  /** How many of each element (1 for sun, moon, stars, clouds). */
  elements: Partial<Record<ElementKind, number>>;
  animals: Animal[];
  /** Animals lie down ("sleeping", "resting"). */
  resting: boolean;
  weather: Weather;
  /** -1 (cold) … 1 (warm): a colour grade on top of the time of day. */
  warmth: number;
  /** -1 … 1: exposure. */
  brightness: number;
  colours: Colour[];
  palette: Palette;
  style: Style;
}

const unit = z.number().min(0).max(1);
const grade = z.number().min(-1).max(1);
const count = z.number().int().min(1).max(12);

/** The stored form is read back from PNGs anyone may upload, so it is checked like any outside input. */
export const sceneSchema = z.object({
  seed: z.number().int().min(0).max(0xffffffff),
  time: z.enum(TIMES),
  place: z.enum(PLACES),
  elements: z.partialRecord(z.enum(ELEMENTS), count),
  animals: z.array(z.enum(ANIMALS)).max(6),
  resting: z.boolean(),
  weather: z.object({ snow: unit, rain: unit, fog: unit }),
  warmth: grade,
  brightness: grade,
  colours: z.array(z.enum(Object.keys(COLOURS) as [Colour, ...Colour[]])).max(4),
  palette: z.enum(PALETTES),
  style: z.enum(STYLES),
}) satisfies z.ZodType<Scene>;

/** Times that suit an unnamed time of day: night is a strong choice, left to the prompt. */
const OPEN_TIMES: TimeOfDay[] = ["dawn", "morning", "noon", "noon", "afternoon", "dusk"];
const OPEN_LANDS: Place[] = ["meadow", "hills", "mountains", "hills"];

/** 1 for a singular word ("a boat"), a few for a plural one ("boats", "ferries"). */
const howMany = (word: string | undefined, rnd: Random, many: [number, number]) => {
  if (word === undefined) return 0;
  return word.endsWith("s") ? Math.floor(between(rnd, many[0], many[1] + 1)) : 1;
};

/**
 * Reads a prompt into a Scene. Words name what they can; what no word names is chosen by the seed, so
 * "a red fox in the snow" is a different morning for every seed but always a fox in snow.
 */
export function parsePrompt(
  prompt: string,
  negativePrompt: string | undefined,
  seed: number,
): Scene {
  const rnd = stream(seed, "scene");
  const not = negativePrompt ?? "";
  const text = prompt;
  const times = mentioned(text, TIME_WORDS);
  const places = mentioned(text, PLACE_WORDS);
  const styles = mentioned(text, STYLE_WORDS);
  const palettes = mentioned(text, PALETTE_WORDS);
  const elements: Partial<Record<ElementKind, number>> = {};
  for (const kind of ELEMENTS) {
    const word = found(text, ELEMENT_WORDS[kind]);
    const n = howMany(
      word,
      rnd,
      kind === "boats" ? [2, 3] : kind === "buildings" ? [3, 6] : [3, 7],
    );
    if (n > 0)
      elements[kind] = kind === "trees" || kind === "buildings" || kind === "boats" ? n : 1;
  }
  const animals = mentioned(text, ANIMAL_WORDS).slice(0, 3);
  const weather: Weather = {
    snow: mentions(text, WEATHER_WORDS.snow) ? 0.6 : 0,
    rain: mentions(text, WEATHER_WORDS.rain) ? 0.6 : 0,
    fog: mentions(text, WEATHER_WORDS.fog) ? 0.55 : 0,
  };

  let place = places[0];
  if (place === undefined) {
    if (elements.lighthouse || elements.boats || animals.includes("whale")) place = "sea";
    else if (elements.buildings && elements.buildings > 2) place = "city";
    else if (elements.trees && elements.trees > 2) place = "forest";
    else place = pick(rnd, OPEN_LANDS);
  }
  let time = times[0];
  if (time === undefined) {
    if (place === "space" || (elements.stars && !elements.sun)) time = "night";
    else if (elements.moon && !elements.sun) time = "night";
    else time = pick(rnd, OPEN_TIMES);
  }
  // What a place or a time brings with it, unless the negative prompt refuses it.
  const implied: Partial<Record<ElementKind, number>> = {};
  if (place === "harbour") Object.assign(implied, { boats: 3, buildings: 4 });
  if (place === "forest") implied.trees = 7;
  if (place === "city") implied.buildings = 8;
  if (time === "night" || place === "space") implied.stars = 1;
  if (time === "night" && place !== "space") implied.moon = 1;
  if (weather.rain > 0 || weather.snow > 0) implied.clouds = 1;
  for (const [kind, n] of Object.entries(implied) as [ElementKind, number][]) {
    elements[kind] ??= n;
  }
  if (!elements.sun && !elements.moon && time !== "night" && rnd() < 0.5) elements.sun = 1;
  if (!elements.clouds && place !== "space" && rnd() < 0.5) elements.clouds = 1;
  for (const kind of mentioned(not, ELEMENT_WORDS)) delete elements[kind];
  const refusedAnimals = mentioned(not, ANIMAL_WORDS);

  const scene: Scene = {
    seed,
    time,
    place,
    elements,
    animals: animals.filter((a) => !refusedAnimals.includes(a)),
    resting: /\b(sleep(ing|s)?|asleep|rest(ing)?|lying|curled|napping|dozing)\b/i.test(text),
    weather,
    warmth: 0,
    brightness: 0,
    colours: mentioned(text, COLOUR_WORDS)
      .filter((c) => !mentions(not, COLOUR_WORDS[c]))
      .slice(0, 2),
    palette: palettes[0] ?? "natural",
    style: styles[0] ?? "illustration",
  };
  if (/\b(warm|cosy|cozy)\b/i.test(text)) scene.warmth = 0.3;
  if (/\b(cold|icy|chilly|frozen)\b/i.test(text)) scene.warmth = -0.3;
  return settle(scene);
}

/**
 * The rules that keep a scene drawable, applied after parsing and after every edit (one place, so a
 * description and a drawing never disagree): no sun at night, no ground in space or the open sky.
 */
export function settle(scene: Scene): Scene {
  const s = structuredClone(scene);
  if (s.time === "night" && s.elements.sun) {
    delete s.elements.sun;
    s.elements.moon = 1;
  }
  if (s.place === "space") {
    for (const kind of ["clouds", "trees", "boats", "buildings", "lighthouse"] as const) {
      delete s.elements[kind];
    }
    s.weather = { snow: 0, rain: 0, fog: 0 };
    s.animals = [];
  }
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  s.warmth = clamp(s.warmth, -1, 1);
  s.brightness = clamp(s.brightness, -1, 1);
  s.weather.snow = clamp(s.weather.snow, 0, 1);
  s.weather.rain = clamp(s.weather.rain, 0, 1);
  s.weather.fog = clamp(s.weather.fog, 0, 1);
  return s;
}
