// The type every language file is checked against (apart from index.ts, which imports the files).
import type en from "./en.ts";

/**
 * The shape every language fills in: English's keys, any strings, plus the plural forms English has no
 * use for (French says "1 000 000 de personnes": Intl.PluralRules' "many"); i18n.test.ts checks that
 * each language has every plural form its rules name.
 */
export type Messages = Shape<typeof en>;
type Shape<T> = { readonly [K in keyof T]: T[K] extends string ? string : Shape<T[K]> } & {
  readonly [K in `${string}_${"zero" | "two" | "few" | "many"}`]?: string;
};
