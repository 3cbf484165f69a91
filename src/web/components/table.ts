// Wide tables (the administration's, the signed-in browsers) scroll sideways on phones inside a box. A
// box that scrolls must be reachable by keyboard (WCAG 2.1.1, axe's scrollable-region-focusable), so it is
// a focusable region named after its table: arrow keys then scroll it, and a screen reader announces it.
import { html } from "hono/html";
import type { Html } from "../context.ts";

export type TableName = { labelledBy: string } | { label: string };

/** `table` in a sideways-scrolling, keyboard-focusable region named like the table. */
export function tableWrap(name: TableName, table: Html): Html {
  const naming =
    "labelledBy" in name
      ? html`aria-labelledby="${name.labelledBy}"`
      : html`aria-label="${name.label}"`;
  return html`<div class="table-wrap" role="region" tabindex="0" ${naming}>${table}</div>`;
}
