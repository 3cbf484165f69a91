// The one i18n layer of every user-visible string: i18next over the catalogues of locales/ (plural forms
// by Intl.PluralRules: `key_one`, `key_other`…), and the locale's dates and numbers by Intl. A request's
// Translator is chosen once (negotiate.ts) and handed down, never kept in a global: two requests in two
// languages render side by side.
import { createInstance, type i18n } from "i18next";
import { catalogues, DEFAULT_LOCALE, type Locale } from "./locales/index.ts";

export { DEFAULT_LOCALE, isLocale, LOCALE_NAMES, LOCALES, type Locale } from "./locales/index.ts";
export { chooseLocale, localeOfTag, negotiateLocale } from "./negotiate.ts";

type PluralSuffix = "_zero" | "_one" | "_two" | "_few" | "_many" | "_other";
type Leaves<T, P extends string = ""> = {
  [K in keyof T & (string | number)]: T[K] extends string
    ? `${P}${`${K}` extends `${infer Base}${PluralSuffix}` ? Base : K}`
    : Leaves<T[K], `${P}${K}.`>;
}[keyof T & (string | number)];

/** Every message key ("nav.explore"; plural ones without their suffix: "explore.people"). */
export type MessageKey = Leaves<(typeof catalogues)["en"]>;

/** Values put into a message: `count` picks the plural form (and shows as `{{count, number}}`). */
export type MessageValues = Record<string, string | number> & { count?: number };

/** A language's strings and formats: call it with a key; its methods format dates and numbers. */
export interface Translator {
  (key: MessageKey, values?: MessageValues): string;
  readonly locale: Locale;
  /** Date and time, in UTC (the server does not know the reader's time zone): "12 mars 2025, 14:05 UTC". */
  dateTime(at: Date | string): string;
  /** A day: "12 mars 2025". */
  date(at: Date | string): string;
  number(n: number): string;
}

let instance: i18n | undefined;
const translators = new Map<Locale, Translator>();

// One i18next instance, made on first use (nothing runs at import); it holds only the catalogues, which
// never change, and each request gets a fixed-language function from it.
function i18nInstance(): i18n {
  if (instance === undefined) {
    const made = createInstance();
    void made.init({
      resources: Object.fromEntries(
        Object.entries(catalogues).map(([code, messages]) => [code, { translation: messages }]),
      ),
      lng: DEFAULT_LOCALE,
      fallbackLng: DEFAULT_LOCALE,
      // Synchronous: the catalogues are in memory.
      initAsync: false,
      // The pages escape what they print (hono/html); escaping here too would show "&amp;".
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    instance = made;
  }
  return instance;
}

/** The Translator of a language (made once per language). */
export function translatorFor(locale: Locale): Translator {
  const known = translators.get(locale);
  if (known !== undefined) return known;
  const fixed = i18nInstance().getFixedT(locale);
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const numberFormat = new Intl.NumberFormat(locale);
  const translate = ((key: MessageKey, values?: MessageValues) =>
    fixed(key, values as Record<string, unknown>) as string) as Translator;
  Object.assign(translate, {
    locale,
    dateTime: (at: Date | string) => `${dateTimeFormat.format(new Date(at))} UTC`,
    date: (at: Date | string) => dateFormat.format(new Date(at)),
    number: (n: number) => numberFormat.format(n),
  });
  translators.set(locale, translate);
  return translate;
}
