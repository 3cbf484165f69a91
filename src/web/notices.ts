// The "done" notices of settings pages: a redirect after a form carries `?done=<what>`, and the page
// shows that message in the reader's language. Only the names a page lists are shown, so the query
// string cannot put text of its own on the page.
import type { MessageKey, Translator } from "../i18n/index.ts";

export interface DoneNotice {
  kind: "ok";
  text: string;
}

/** The notice `done` names in `keys`, translated, or undefined for a missing or unknown name. */
export function doneNotice(
  t: Translator,
  keys: Readonly<Record<string, MessageKey>>,
  done: string | undefined,
): DoneNotice | undefined {
  if (done === undefined || !Object.hasOwn(keys, done)) return undefined;
  return { kind: "ok", text: t(keys[done]!) };
}
