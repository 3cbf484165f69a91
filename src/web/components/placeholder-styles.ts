// Nonced <style> rules that paint blurhash placeholders behind images (the CSP bars style attributes).
import { html } from "hono/html";
import type { MediaAttachment } from "../../db/queries/rows.ts";
import type { Html } from "../context.ts";
import type { View } from "./layout.ts";
import { blurhashBackground } from "./placeholder.ts";

export function placeholderStylesFor(v: View, media: MediaAttachment[]): Html {
  const rules = media.flatMap((m) => {
    const bg = blurhashBackground(m.blurhash);
    return bg === null ? [] : [`.ph-${m.id}{background:${bg}}`];
  });
  return rules.length === 0 ? html`` : html`<style nonce="${v.nonce}">${rules.join("\n")}</style>`;
}
