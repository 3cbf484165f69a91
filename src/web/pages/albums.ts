// Albums: the public page of one (its posts in order, as a grid), one's own albums with a form to make
// one, and an album's edit page (rename, cover, add, remove and reorder posts). Plain forms, so they
// work without JavaScript.
import { html } from "hono/html";
import type { AlbumSummary } from "../../db/queries/albums.ts";
import type { GalleryTile } from "../../db/queries/gallery.ts";
import type { Account, Album } from "../../db/queries/rows.ts";
import { ALBUM_TITLE_MAX } from "../../domain/albums.ts";
import { accountLine, albumPath, displayNameOf } from "../components/account.ts";
import { gallery, placeholderStyles } from "../components/gallery.ts";
import { layout, type View } from "../components/layout.ts";
import { altText, imageUrls } from "../components/media.ts";
import type { Html } from "../context.ts";

const csrf = (v: View) => html`<input type="hidden" name="csrf" value="${v.csrf}">`;

function errorNotice(error: string | undefined): Html | string {
  return error ? html`<p class="notice notice-error" role="alert">${error}</p>` : "";
}

const postsLabel = (n: number) => (n === 1 ? "1 post" : `${n} posts`);

/** The album's cover as the viewer may see it: the chosen post, else its first post shown. */
export function coverOf(album: Album, tiles: readonly GalleryTile[]): GalleryTile | undefined {
  return tiles.find((t) => t.statusId === album.coverStatusId) ?? tiles[0];
}

/**
 * An album's cover in a list of albums: its thumbnail, or a plain frame when it shows no post or a
 * sensitive one (a list shows no image behind a warning, as the grids hide it until asked).
 */
export function albumCover(v: View, s: AlbumSummary): Html {
  const cover = s.cover;
  const urls = cover && !cover.sensitive ? imageUrls(cover.media, v.urls) : null;
  if (cover === undefined || urls === null) {
    return html`<span class="album-cover album-cover-empty" aria-hidden="true"></span>`;
  }
  return html`<img class="album-cover" src="${urls.thumbnail}" alt="${altText(cover.media)}" width="96" height="96" loading="lazy">`;
}

/** An album's public page: its title, owner and posts in the owner's order; its cover on link cards. */
export function albumPage(
  v: View,
  account: Account,
  album: Album,
  tiles: GalleryTile[],
  isOwner: boolean,
): Html {
  const cover = coverOf(album, tiles);
  const coverUrls = cover && !cover.sensitive ? imageUrls(cover.media, v.urls) : null;
  const description = `An album of ${postsLabel(tiles.length)} by ${displayNameOf(account)}`;
  return layout(
    v,
    {
      title: `${album.title} — ${displayNameOf(account)}`,
      description,
      head: placeholderStyles(v, tiles),
      social: {
        type: "website",
        title: album.title,
        description,
        url: `${v.origin}${albumPath(account, album.id)}`,
        largeImage: coverUrls !== null,
        ...(cover && coverUrls
          ? {
              image: {
                url: coverUrls.full,
                alt: altText(cover.media),
                width: coverUrls.width,
                height: coverUrls.height,
              },
            }
          : {}),
      },
    },
    html`<section class="album">
  <h1>${album.title}</h1>
  <p>${accountLine(v, account)} <span class="muted">${postsLabel(tiles.length)}</span></p>
  ${isOwner ? html`<p><a class="button" href="/albums/${album.id}/edit">Edit album</a></p>` : ""}
  ${gallery(v, tiles, null, () => "", `Posts in ${album.title}`, "This album shows no posts.")}
</section>`,
  );
}

/** One's albums, with a form to make one. */
export function albumsPage(v: View, account: Account, list: AlbumSummary[], error?: string): Html {
  return layout(
    v,
    { title: "Albums", noindex: true },
    html`<section class="panel narrow">
  <h1>Albums</h1>
  <p class="muted">Gather your posts in an order of your choosing; each album has a public page and is listed on your profile.</p>
  ${errorNotice(error)}
  ${
    list.length === 0
      ? html`<p class="empty">You have no albums yet.</p>`
      : html`<ul class="albums-list">${list.map(
          (s) =>
            html`<li>${albumCover(v, s)} <a href="${albumPath(account, s.album.id)}">${s.album.title}</a> <span class="muted">${postsLabel(s.count)}</span> <a href="/albums/${s.album.id}/edit">Edit</a></li>`,
        )}</ul>`
  }
  <h2>New album</h2>
  <form method="post" action="/albums" class="stack">
    ${csrf(v)}
    <label for="title">Title</label>
    <input type="text" id="title" name="title" maxlength="${ALBUM_TITLE_MAX}" required>
    <button type="submit" class="button button-primary">Create album</button>
  </form>
</section>`,
  );
}

function itemRow(v: View, album: Album, t: GalleryTile, index: number, total: number): Html {
  const action = (value: string, label: string, disabled: boolean) =>
    html`<button type="submit" class="button" name="action" value="${value}"${disabled ? " disabled" : ""}>${label}</button>`;
  const thumb = imageUrls(t.media, v.urls)?.thumbnail;
  return html`<li class="album-item">
  ${thumb ? html`<img class="ph-${t.media.id}" src="${thumb}" alt="${altText(t.media)}" width="80" height="80" loading="lazy">` : ""}
  <form method="post" action="/albums/${album.id}/posts/${t.statusId}" class="inline">
    ${csrf(v)}
    ${action("up", `Move post ${index + 1} earlier`, index === 0)}
    ${action("down", `Move post ${index + 1} later`, index === total - 1)}
    ${action("remove", `Remove post ${index + 1}`, false)}
  </form>
</li>`;
}

/** The owner's edit page: rename and pick the cover, reorder or remove posts, add one of theirs. */
export function albumEditPage(
  v: View,
  account: Account,
  album: Album,
  items: GalleryTile[],
  addable: GalleryTile[],
  error?: string,
): Html {
  const inAlbum = new Set(items.map((t) => t.statusId));
  const candidates = addable.filter((t) => !inAlbum.has(t.statusId));
  return layout(
    v,
    { title: `Edit ${album.title}`, noindex: true, head: placeholderStyles(v, [...items]) },
    html`<section class="panel narrow">
  <h1>Edit album</h1>
  <p><a href="${albumPath(account, album.id)}">View the album</a></p>
  ${errorNotice(error)}
  <form method="post" action="/albums/${album.id}" class="stack">
    ${csrf(v)}
    <label for="title">Title</label>
    <input type="text" id="title" name="title" maxlength="${ALBUM_TITLE_MAX}" required value="${album.title}">
    <label for="cover">Cover</label>
    <select id="cover" name="cover_status_id">
      <option value="">The first post</option>
      ${items.map(
        (t, i) =>
          html`<option value="${t.statusId}"${t.statusId === album.coverStatusId ? " selected" : ""}>Post ${i + 1}: ${altText(t.media).slice(0, 60)}</option>`,
      )}
    </select>
    <button type="submit" class="button button-primary">Save</button>
  </form>
  <h2>Posts</h2>
  ${
    items.length === 0
      ? html`<p class="empty">No posts yet.</p>`
      : html`<ol class="album-items">${items.map((t, i) => itemRow(v, album, t, i, items.length))}</ol>`
  }
  <h2>Add a post</h2>
  ${
    candidates.length === 0
      ? html`<p class="empty">None of your recent image posts is left to add.</p>`
      : html`<form method="post" action="/albums/${album.id}/posts" class="stack">
    ${csrf(v)}
    <label for="status_id">Post</label>
    <select id="status_id" name="status_id">${candidates.map(
      (t) => html`<option value="${t.statusId}">${altText(t.media).slice(0, 80)}</option>`,
    )}</select>
    <button type="submit" class="button">Add to album</button>
  </form>`
  }
  <form method="post" action="/albums/${album.id}/delete">
    ${csrf(v)}
    <button type="submit" class="button button-danger">Delete album</button>
  </form>
</section>`,
  );
}
