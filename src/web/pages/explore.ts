// The explore gallery: the instance's recent public images, the front page for visitors.
import { html } from "hono/html";
import type { GalleryTile } from "../../db/queries/gallery.ts";
import { gallery, placeholderStyles } from "../components/gallery.ts";
import { layout, type View } from "../components/layout.ts";
import type { Html } from "../context.ts";

export function explorePage(v: View, tiles: GalleryTile[], next: string | null): Html {
  const description = `Recent public images made on ${v.instanceName}.`;
  return layout(
    v,
    {
      title: "Explore",
      description,
      social: {
        type: "website",
        title: `Explore · ${v.instanceName}`,
        description,
        url: `${v.origin}/explore`,
      },
      head: placeholderStyles(v, tiles),
    },
    html`<section class="intro">
  <h1>Explore</h1>
  <p class="muted">${description}${v.session ? "" : html` <a href="/auth/sign_in">Sign in</a> to post your own.`}</p>
</section>
${gallery(
  v,
  tiles,
  next,
  (maxId) => `/explore?max_id=${encodeURIComponent(maxId)}`,
  "Recent images",
  "Nothing has been posted here yet.",
)}`,
  );
}
