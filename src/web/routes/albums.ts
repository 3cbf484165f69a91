// The albums pages: the public page of an album (/@name/albums/:id) and the owner's pages to make and
// edit them, which call the rules in domain/albums.ts (someone else's album is a 404 there, as an
// unknown one). A refused change is shown on the page with its reason.
import type { Hono, MiddlewareHandler } from "hono";
import { albumsOf, albumWithPosts } from "../../db/queries/albums.ts";
import { accountTiles } from "../../db/queries/gallery.ts";
import type { Album } from "../../db/queries/rows.ts";
import {
  addToAlbum,
  createAlbum,
  deleteAlbum,
  moveInAlbum,
  ownAlbum,
  removeFromAlbum,
  updateAlbum,
} from "../../domain/albums.ts";
import { AppError, badRequest, notFound } from "../../errors.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { albumEditPage, albumPage, albumsPage } from "../pages/albums.ts";
import { findAccountByHandle } from "../profiles.ts";
import { verifyCsrf } from "../security.ts";

// The add form offers the owner's newest image posts.
const ADDABLE = 48;

function refusal(error: unknown): string {
  if (error instanceof AppError && (error.status === 400 || error.status === 422)) {
    return error.message;
  }
  throw error;
}

export function albumRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;

  const renderEdit = async (c: WebContext, album: Album, error?: string) => {
    const account = sessionOf(c).account;
    const found = await albumWithPosts(db, account.id, album.id, account.id);
    if (found === undefined) throw notFound(translatorOf(c)("c_albums.errors.notFound"));
    const addable = (await accountTiles(db, account.id, account.id, null, ADDABLE)).items;
    return c.html(
      albumEditPage(viewOf(c, deps), account, found.album, found.tiles, addable, error),
      error === undefined ? 200 : 400,
    );
  };

  web.get("/:handle{@[^/]+}/albums/:id{[0-9]{1,20}}", page, async (c) => {
    const account = await findAccountByHandle(db, c.req.param("handle"), config.domain);
    const viewerId = c.get("session")?.account.id ?? null;
    const found =
      account === undefined || account.domain !== null
        ? undefined
        : await albumWithPosts(db, account.id, c.req.param("id"), viewerId);
    if (account === undefined || found === undefined)
      throw notFound(translatorOf(c)("c_albums.errors.notFound"));
    return c.html(
      albumPage(viewOf(c, deps), account, found.album, found.tiles, viewerId === account.id),
    );
  });

  web.get("/albums", page, signedIn, async (c) => {
    const account = sessionOf(c).account;
    return c.html(albumsPage(viewOf(c, deps), account, await albumsOf(db, account.id, account.id)));
  });

  web.post("/albums", page, signedIn, async (c) => {
    const account = sessionOf(c).account;
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    try {
      const album = await createAlbum(db, account.id, form.title ?? "");
      return c.redirect(`/albums/${album.id}/edit`, 303);
    } catch (error) {
      const list = await albumsOf(db, account.id, account.id);
      return c.html(albumsPage(viewOf(c, deps), account, list, refusal(error)), 400);
    }
  });

  web.get("/albums/:id{[0-9]{1,20}}/edit", page, signedIn, async (c) =>
    renderEdit(c, await ownAlbum(db, sessionOf(c).account.id, c.req.param("id"))),
  );

  web.post("/albums/:id{[0-9]{1,20}}", page, signedIn, async (c) => {
    const owner = sessionOf(c).account.id;
    const album = await ownAlbum(db, owner, c.req.param("id"));
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    try {
      await updateAlbum(db, owner, album.id, {
        title: form.title ?? "",
        coverStatusId: form.cover_status_id ?? null,
      });
    } catch (error) {
      return await renderEdit(c, album, refusal(error));
    }
    return c.redirect(`/albums/${album.id}/edit`, 303);
  });

  web.post("/albums/:id{[0-9]{1,20}}/delete", page, signedIn, async (c) => {
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    await deleteAlbum(db, sessionOf(c).account.id, c.req.param("id"));
    return c.redirect("/albums", 303);
  });

  web.post("/albums/:id{[0-9]{1,20}}/posts", page, signedIn, async (c) => {
    const owner = sessionOf(c).account.id;
    const album = await ownAlbum(db, owner, c.req.param("id"));
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    try {
      await addToAlbum(db, owner, album.id, form.status_id ?? "");
    } catch (error) {
      return await renderEdit(c, album, refusal(error));
    }
    return c.redirect(`/albums/${album.id}/edit`, 303);
  });

  web.post("/albums/:id{[0-9]{1,20}}/posts/:statusId{[0-9]{1,20}}", page, signedIn, async (c) => {
    const owner = sessionOf(c).account.id;
    const album = await ownAlbum(db, owner, c.req.param("id"));
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const statusId = c.req.param("statusId");
    if (form.action === "remove") await removeFromAlbum(db, owner, album.id, statusId);
    else if (form.action === "up" || form.action === "down") {
      await moveInAlbum(db, owner, album.id, statusId, form.action === "up" ? -1 : 1);
    } else throw badRequest(translatorOf(c)("c_albums.errors.action"));
    return c.redirect(`/albums/${album.id}/edit`, 303);
  });
}
