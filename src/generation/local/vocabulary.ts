// The words the embedded generator understands, each mapped to the part of a scene it sets. Word lists
// are matched on whole words, case-insensitively, with plurals and a few British/American spellings.

export const TIMES = ["dawn", "morning", "noon", "afternoon", "dusk", "night"] as const;
export type TimeOfDay = (typeof TIMES)[number];

export const PLACES = [
  "sea",
  "harbour",
  "mountains",
  "forest",
  "desert",
  "city",
  "sky",
  "space",
  "meadow",
  "hills",
] as const;
export type Place = (typeof PLACES)[number];

export const ELEMENTS = [
  "sun",
  "moon",
  "stars",
  "clouds",
  "lighthouse",
  "trees",
  "boats",
  "buildings",
] as const;
export type ElementKind = (typeof ELEMENTS)[number];

export const ANIMALS = [
  "fox",
  "cat",
  "dog",
  "wolf",
  "deer",
  "horse",
  "cow",
  "sheep",
  "rabbit",
  "bird",
  "whale",
] as const;
export type Animal = (typeof ANIMALS)[number];

export const STYLES = [
  "illustration",
  "photograph",
  "watercolour",
  "risograph",
  "pixel-art",
  "ink",
  "neon",
] as const;
export type Style = (typeof STYLES)[number];

export const PALETTES = ["natural", "pastel", "vivid", "muted", "monochrome", "sepia"] as const;
export type Palette = (typeof PALETTES)[number];

export const COLOURS = {
  red: [215, 40, 40],
  orange: [240, 135, 30],
  yellow: [240, 210, 50],
  green: [60, 170, 70],
  teal: [30, 160, 160],
  blue: [40, 90, 220],
  purple: [130, 60, 190],
  pink: [240, 110, 170],
  brown: [130, 85, 50],
  gold: [220, 175, 60],
} as const satisfies Record<string, readonly [number, number, number]>;
export type Colour = keyof typeof COLOURS;

/** Word lists as regular-expression alternatives (matched as whole words). */
export const TIME_WORDS: Record<TimeOfDay, string> = {
  dawn: "dawn|sunrise|daybreak|first light",
  morning: "morning|mornings",
  noon: "noon|midday|high noon|daylight|sunny|bright day",
  afternoon: "afternoon|golden hour",
  dusk: "dusk|sunset|sundown|twilight|evening",
  night: "night|nights|midnight|nocturnal|nighttime|starry night",
};

export const PLACE_WORDS: Record<Place, string> = {
  harbour: "harbou?rs?|ports?|docks?|quays?|marinas?|piers?",
  sea: "seas?|oceans?|seascapes?|coast|coastal|shore|beach|waves?|bay|lakes?",
  mountains: "mountains?|peaks?|alps|alpine|ridges?|summits?|cliffs?",
  forest: "forests?|woods|woodland|jungle|taiga",
  desert: "deserts?|dunes?|sahara|sand|sands",
  city: "city|cities|town|towns|streets?|skyline|downtown|village|metropolis|urban",
  sky: "sky|skies|skyscape|cloudscape|above the clouds",
  space: "space|outer space|galaxy|galaxies|nebula|nebulae|cosmos|universe|planets?",
  meadow: "meadows?|fields?|grass|grassland|prairie|garden|farm",
  hills: "hills?|hillside|valley|countryside|landscape",
};

export const ELEMENT_WORDS: Record<ElementKind, string> = {
  sun: "sun|suns|sunshine|sunlight",
  moon: "moon|moons|moonlight|moonlit|crescent",
  stars: "stars?|starry|starlight|constellations?|starfield",
  clouds: "clouds?|cloudy|overcast",
  lighthouse: "lighthouses?|beacon",
  trees: "trees?|pines?|firs?|oaks?|palms?|birch(?:es)?|woods",
  boats: "boats?|ships?|sail(?:boat)?s?|yachts?|fishing boats?|ferry|ferries|canoes?|vessels?",
  buildings:
    "buildings?|houses?|cottages?|cabins?|towers?|castles?|churche?s?|skyscrapers?|barns?|huts?",
};

export const ANIMAL_WORDS: Record<Animal, string> = {
  fox: "fox|foxes",
  cat: "cats?|kittens?",
  dog: "dogs?|puppy|puppies",
  wolf: "wolf|wolves",
  deer: "deer|stags?|elk|moose|reindeer",
  horse: "horses?|pony|ponies",
  cow: "cows?|cattle|bulls?",
  sheep: "sheep|lambs?",
  rabbit: "rabbits?|hares?|bunny|bunnies",
  bird: "birds?|gulls?|seagulls?|crows?|swallows?|geese|flock",
  whale: "whales?|dolphins?",
};

export const STYLE_WORDS: Record<Exclude<Style, "illustration">, string> = {
  photograph: "photo|photos|photograph|photographic|photorealistic|realistic|35mm|film|dslr",
  watercolour: "watercolou?rs?|aquarelle|wash",
  risograph: "risograph|riso|screen ?print|print",
  "pixel-art": "pixel|pixels|pixel art|pixelated|8-bit|16-bit|retro game",
  ink: "ink|sumi-e|pen and ink|sketch|drawing|charcoal|etching|woodcut",
  neon: "neon|synthwave|cyberpunk|vaporwave|glowing",
};

export const PALETTE_WORDS: Record<Exclude<Palette, "natural">, string> = {
  pastel: "pastels?|soft|dreamy|airy|pale",
  vivid: "vivid|vibrant|saturated|bold|colou?rful|psychedelic",
  muted: "muted|desaturated|faded|dull|moody|gloomy",
  monochrome: "monochrome|black and white|b&w|greyscale|grayscale|noir",
  sepia: "sepia|vintage|antique|old photo",
};

export const COLOUR_WORDS: Record<Colour, string> = {
  red: "red|crimson|scarlet|ruby|vermilion",
  orange: "orange|amber|rust|copper|autumn|autumnal",
  yellow: "yellow|lemon|honey",
  green: "green|emerald|jade|verdant|lush",
  teal: "teal|turquoise|cyan|aqua|mint",
  blue: "blue|azure|cobalt|navy|sapphire",
  purple: "purple|violet|lavender|lilac|indigo|amethyst",
  pink: "pink|magenta|fuchsia|rose|blossoms?",
  brown: "brown|sepia brown|chocolate|earthy",
  gold: "gold|golden",
};

export const WEATHER_WORDS = {
  snow: "snow|snowy|snowing|snowfall|snowflakes?|blizzard|winter|wintry|frost|frosty",
  rain: "rain|rainy|raining|rainfall|drizzle|downpour|storm|stormy|showers?",
  fog: "fog|foggy|mist|misty|haze|hazy|mists|fogbank",
} as const;

const compiled = new Map<string, RegExp>();
const capturing = new Map<string, RegExp>();

/** Whether `text` contains one of the words (a `|`-separated alternation) as a whole word. */
export function mentions(text: string, words: string): boolean {
  let re = compiled.get(words);
  if (re === undefined) {
    re = new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${words})(?=$|[^\\p{L}\\p{N}])`, "iu");
    compiled.set(words, re);
  }
  return re.test(text);
}

/** The first word of the alternation found in `text`, as written there (for plural detection). */
export function found(text: string, words: string): string | undefined {
  let re = capturing.get(words);
  if (re === undefined) {
    re = new RegExp(`(?:^|[^\\p{L}\\p{N}])(${words})(?=$|[^\\p{L}\\p{N}])`, "iu");
    capturing.set(words, re);
  }
  const m = re.exec(text);
  return m?.[1]?.toLowerCase();
}

/** The keys of a word table that `text` mentions, in the table's order. */
export function mentioned<K extends string>(text: string, table: Record<K, string>): K[] {
  return (Object.keys(table) as K[]).filter((k) => mentions(text, table[k]));
}
