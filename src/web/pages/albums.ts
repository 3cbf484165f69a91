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

const postsLabel = (v: View, n: number) => v.t("c_albums.posts", { count: n });

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
  return html`<img class="album-cover" src="${urls.thumbnail}" alt="${altText(cover.media, v.t)}" width="96" height="96" loading="lazy">`;
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
  const description = v.t("c_albums.description", {
    posts: postsLabel(v, tiles.length),
    name: displayNameOf(account),
  });
  return layout(
    v,
    {
      title: v.t("c_albums.pageTitle", { title: album.title, name: displayNameOf(account) }),
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
                alt: altText(cover.media, v.t),
                width: coverUrls.width,
                height: coverUrls.height,
              },
            }
          : {}),
      },
    },
    html`<section class="album">
  <h1>${album.title}</h1>
  <p>${accountLine(v, account)} <span class="muted">${postsLabel(v, tiles.length)}</span></p>
  ${isOwner ? html`<p><a class="button" href="/albums/${album.id}/edit">${v.t("c_albums.edit")}</a></p>` : ""}
  ${gallery(v, tiles, null, () => "", v.t("c_albums.postsIn", { title: album.title }), v.t("c_albums.empty"))}
</section>`,
  );
}

/** One's albums, with a form to make one. */
export function albumsPage(v: View, account: Account, list: AlbumSummary[], error?: string): Html {
  return layout(
    v,
    { title: v.t("c_albums.title"), noindex: true },
    html`<section class="panel narrow">
  <h1>${v.t("c_albums.title")}</h1>
  <p class="muted">${v.t("c_albums.intro")}</p>
  ${errorNotice(error)}
  ${
    list.length === 0
      ? html`<p class="empty">${v.t("c_albums.none")}</p>`
      : html`<ul class="albums-list">${list.map(
          (s) =>
            html`<li>${albumCover(v, s)} <a href="${albumPath(account, s.album.id)}">${s.album.title}</a> <span class="muted">${postsLabel(v, s.count)}</span> <a href="/albums/${s.album.id}/edit">${v.t("c_albums.editLink")}</a></li>`,
        )}</ul>`
  }
  <h2>${v.t("c_albums.newAlbum")}</h2>
  <form method="post" action="/albums" class="stack">
    ${csrf(v)}
    <label for="title">${v.t("c_albums.titleLabel")}</label>
    <input type="text" id="title" name="title" maxlength="${ALBUM_TITLE_MAX}" required>
    <button type="submit" class="button button-primary">${v.t("c_albums.create")}</button>
  </form>
</section>`,
  );
}

function itemRow(v: View, album: Album, t: GalleryTile, index: number, total: number): Html {
  const action = (value: string, label: string, disabled: boolean) =>
    html`<button type="submit" class="button" name="action" value="${value}"${disabled ? " disabled" : ""}>${label}</button>`;
  const thumb = imageUrls(t.media, v.urls)?.thumbnail;
  const n = v.t.number(index + 1);
  return html`<li class="album-item">
  ${thumb ? html`<img class="ph-${t.media.id}" src="${thumb}" alt="${altText(t.media, v.t)}" width="80" height="80" loading="lazy">` : ""}
  <form method="post" action="/albums/${album.id}/posts/${t.statusId}" class="inline">
    ${csrf(v)}
    ${action("up", v.t("c_albums.moveEarlier", { n }), index === 0)}
    ${action("down", v.t("c_albums.moveLater", { n }), index === total - 1)}
    ${action("remove", v.t("c_albums.remove", { n }), false)}
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
    {
      title: v.t("c_albums.editTitle", { title: album.title }),
      noindex: true,
      head: placeholderStyles(v, [...items]),
    },
    html`<section class="panel narrow">
  <h1>${v.t("c_albums.edit")}</h1>
  <p><a href="${albumPath(account, album.id)}">${v.t("c_albums.view")}</a></p>
  ${errorNotice(error)}
  <form method="post" action="/albums/${album.id}" class="stack">
    ${csrf(v)}
    <label for="title">${v.t("c_albums.titleLabel")}</label>
    <input type="text" id="title" name="title" maxlength="${ALBUM_TITLE_MAX}" required value="${album.title}">
    <label for="cover">${v.t("c_albums.cover")}</label>
    <select id="cover" name="cover_status_id">
      <option value="">${v.t("c_albums.firstPost")}</option>
      ${items.map(
        (t, i) =>
          html`<option value="${t.statusId}"${t.statusId === album.coverStatusId ? " selected" : ""}>${v.t("c_albums.postN", { n: v.t.number(i + 1), alt: altText(t.media, v.t).slice(0, 60) })}</option>`,
      )}
    </select>
    <button type="submit" class="button button-primary">${v.t("common.save")}</button>
  </form>
  <h2>${v.t("c_albums.postsHeading")}</h2>
  ${
    items.length === 0
      ? html`<p class="empty">${v.t("c_albums.noPosts")}</p>`
      : html`<ol class="album-items">${items.map((t, i) => itemRow(v, album, t, i, items.length))}</ol>`
  }
  <h2>${v.t("c_albums.addHeading")}</h2>
  ${
    candidates.length === 0
      ? html`<p class="empty">${v.t("c_albums.nothingToAdd")}</p>`
      : html`<form method="post" action="/albums/${album.id}/posts" class="stack">
    ${csrf(v)}
    <label for="status_id">${v.t("c_albums.post")}</label>
    <select id="status_id" name="status_id">${candidates.map(
      (t) => html`<option value="${t.statusId}">${altText(t.media, v.t).slice(0, 80)}</option>`,
    )}</select>
    <button type="submit" class="button">${v.t("c_albums.add")}</button>
  </form>`
  }
  <form method="post" action="/albums/${album.id}/delete">
    ${csrf(v)}
    <button type="submit" class="button button-danger">${v.t("c_albums.delete")}</button>
  </form>
</section>`,
  );
}
