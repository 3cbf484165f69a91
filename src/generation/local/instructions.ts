// Edit instructions read against a Scene: "warmer", "at night", "add stars", "remove the boat",
// "more fog", "as a watercolour". Each clause of the instruction changes the scene; the result is
// settled by the same rules as a parsed prompt, so the drawing and its description stay in step.
import { type Scene, settle } from "./scene.ts";
import {
  ANIMAL_WORDS,
  COLOUR_WORDS,
  ELEMENT_WORDS,
  type ElementKind,
  found,
  mentioned,
  PALETTE_WORDS,
  PLACE_WORDS,
  STYLE_WORDS,
  TIME_WORDS,
  type TimeOfDay,
  WEATHER_WORDS,
} from "./vocabulary.ts";

const REMOVE =
  /\b(remove|without|no|delete|erase|take (away|out)|get rid of|drop|hide|clear|lose)\b/i;
const LESS = /\b(less|fewer|thinner|lighter fog|reduce)\b/i;
const MORE = /\b(more|extra|thicker|heavier|denser|lots of|many)\b/i;

export const WARMER = /\b(warmer|warm(er)? (it )?up|warm|warmth|hotter|sunnier)\b/i;
export const COOLER = /\b(cooler|cool(er)? (it )?down|cool|colder|cold|icier|bluer)\b/i;
export const BRIGHTER = /\b(brighter|lighter|lighten|brighten|more light)\b/i;
export const DARKER = /\b(darker|darken|dimmer|dim|moodier|less light)\b/i;
/** A studio resize step's instruction: the same picture in another frame (the size says which). */
export const REFRAME = /\b(reframed?|resized?|recropped|the same (picture|image|scene))\b/i;

/** Splits an instruction into clauses: "add stars and remove the boat, warmer". */
export function clausesOf(instruction: string): string[] {
  return instruction
    .split(/[,;.!]|\band\b|\bthen\b|\bbut\b|\balso\b/i)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/** What an element becomes when it is added ("add a boat": one; "add boats", "more boats": a few). */
function added(
  kind: ElementKind,
  word: string | undefined,
  before: number | undefined,
  more: boolean,
) {
  const countable = kind === "boats" || kind === "trees" || kind === "buildings";
  if (!countable) return 1;
  const plural = word?.endsWith("s") ?? false;
  const step = plural || more ? 2 : 1;
  return Math.min(12, (before ?? 0) + step);
}

/** Moves to a new time of day, bringing the sky that goes with it. */
function changeTime(scene: Scene, time: TimeOfDay): void {
  if (time === "night") {
    scene.elements.stars = 1;
    if (scene.elements.sun) delete scene.elements.sun;
    scene.elements.moon = 1;
  } else if (scene.time === "night") {
    delete scene.elements.stars;
    if (scene.elements.moon) {
      delete scene.elements.moon;
      scene.elements.sun = 1;
    }
  }
  scene.time = time;
}

/**
 * Applies an instruction to a scene. Returns the new scene, or undefined when no word of it was
 * understood (so the caller can say so rather than return the same picture).
 */
export function applyInstruction(scene: Scene, instruction: string): Scene | undefined {
  const s = structuredClone(scene);
  let understood = false;
  for (const clause of clausesOf(instruction)) {
    if (REFRAME.test(clause)) understood = true;
    const remove = REMOVE.test(clause);
    const less = LESS.test(clause);
    const more = MORE.test(clause);
    const grades: [RegExp, "warmth" | "brightness", number][] = [
      [WARMER, "warmth", 0.35],
      [COOLER, "warmth", -0.35],
      [BRIGHTER, "brightness", 0.3],
      [DARKER, "brightness", -0.3],
    ];
    for (const [words, key, step] of grades) {
      if (!words.test(clause) || /\blighter fog\b/i.test(clause)) continue;
      s[key] += step;
      understood = true;
    }
    const time = mentioned(clause, TIME_WORDS)[0];
    if (time !== undefined && !remove) {
      changeTime(s, time);
      understood = true;
    }
    const place = mentioned(clause, PLACE_WORDS)[0];
    if (place !== undefined && !remove) {
      s.place = place;
      understood = true;
    }
    const style = mentioned(clause, STYLE_WORDS)[0];
    if (style !== undefined) {
      s.style = remove ? "illustration" : style;
      understood = true;
    }
    const palette = mentioned(clause, PALETTE_WORDS)[0];
    if (palette !== undefined) {
      s.palette = remove ? "natural" : palette;
      understood = true;
    }
    const colours = mentioned(clause, COLOUR_WORDS);
    if (colours.length > 0) {
      s.colours = remove ? s.colours.filter((c) => !colours.includes(c)) : colours.slice(0, 2);
      understood = true;
    }
    for (const kind of mentioned(clause, ELEMENT_WORDS)) {
      understood = true;
      const before = s.elements[kind];
      if (remove) delete s.elements[kind];
      else if (less) {
        const n = (before ?? 0) - 2;
        if (n > 0 && kind !== "stars") s.elements[kind] = n;
        else delete s.elements[kind];
      } else s.elements[kind] = added(kind, found(clause, ELEMENT_WORDS[kind]), before, more);
    }
    for (const animal of mentioned(clause, ANIMAL_WORDS)) {
      understood = true;
      s.animals = s.animals.filter((a) => a !== animal);
      if (!remove && !less) s.animals.push(animal);
    }
    for (const kind of ["snow", "rain", "fog"] as const) {
      if (!new RegExp(`\\b(${WEATHER_WORDS[kind]})\\b`, "i").test(clause)) continue;
      understood = true;
      const now = s.weather[kind];
      s.weather[kind] = remove ? 0 : less ? Math.max(0, now - 0.3) : Math.max(0.55, now + 0.3);
      if (!remove && !less && kind !== "fog") s.elements.clouds = 1;
    }
  }
  return understood ? settle(s) : undefined;
}
