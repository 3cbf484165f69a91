// The languages the interface speaks. English is the source (its keys are the catalogue); every other
// language is one file typed as Messages, so a missing or misspelt key fails the typecheck. Adding a
// language: write locales/<code>.ts and list it here.
import en from "./en.ts";
import fr from "./fr.ts";

/**
 * The shape every language fills in: English's keys, any strings, plus the plural forms English has no
 * use for (French says "1 000 000 de personnes": Intl.PluralRules' "many"); i18n.test.ts checks that
 * each language has every plural form its rules name.
 */
export type Messages = Shape<typeof en>;
type Shape<T> = { readonly [K in keyof T]: T[K] extends string ? string : Shape<T[K]> } & {
  readonly [K in `${string}_${"zero" | "two" | "few" | "many"}`]?: string;
};

export const catalogues = { en, fr } as const satisfies Record<string, Messages>;

export type Locale = keyof typeof catalogues;
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALES = Object.keys(catalogues) as Locale[];

/** Each language's name in itself, for the language select. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", fr: "Français" };

export function isLocale(code: string): code is Locale {
  return Object.hasOwn(catalogues, code);
}
