// The languages the interface speaks. English is the source (its keys are the catalogue); every other
// language is one file typed as Messages, so a missing or misspelt key fails the typecheck. Adding a
// language: write locales/<code>.ts and list it here.
import en from "./en.ts";
import fr from "./fr.ts";
import type { Messages } from "./messages.ts";

export type { Messages } from "./messages.ts";

export const catalogues = { en, fr } as const satisfies Record<string, Messages>;

export type Locale = keyof typeof catalogues;
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALES = Object.keys(catalogues) as Locale[];

/** Each language's name in itself, for the language select. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", fr: "Français" };

export function isLocale(code: string): code is Locale {
  return Object.hasOwn(catalogues, code);
}
