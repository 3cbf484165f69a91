// A length of time as the forms offer it ("30 minutes", "1 day"): a unit and a count, written in the
// page's language with its plural rules (the poll lengths of compose, the expiries of filters).
import type { Translator } from "../../i18n/index.ts";

export type Duration = readonly ["minutes" | "hours" | "days" | "weeks", number];

export function durationText(t: Translator, [unit, count]: Duration): string {
  return t(`c_time.${unit}`, { count });
}
