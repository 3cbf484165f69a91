// Translated sentences with markup inside ("Find people to follow on <a>Explore</a>."): the message
// keeps the sentence whole for translators, with {{name}} where a link or tag goes; the text around is
// escaped, the parts are the page's own HTML.
import { html } from "hono/html";
import type { MessageKey, MessageValues, Translator } from "../../i18n/index.ts";
import type { Html } from "../context.ts";

// Control characters cannot come from a catalogue or a value we pass: safe markers for the parts.
const MARK = "\u0001";

/** The message `key` with each `{{part}}` replaced by its HTML and the rest escaped. */
export function rich(
  t: Translator,
  key: MessageKey,
  parts: Record<string, Html | string>,
  values: MessageValues = {},
): Html {
  const marked = Object.fromEntries(
    Object.keys(parts).map((name) => [name, `${MARK}${name}${MARK}`]),
  );
  const text = t(key, { ...values, ...marked });
  const pieces = text.split(MARK).map((piece, i) => (i % 2 === 1 ? (parts[piece] ?? "") : piece));
  return html`${pieces}`;
}
