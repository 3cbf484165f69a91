// Signed-in actions on posts and accounts: like, boost, pin, react with an emoji (and their undos), reply,
// vote in a poll, delete one's own post, unfollow, and search (posts, or an account by handle or URL).
// Every action is a CSRF-checked POST form that redirects back; the domain records the change and its
// event, and kick() lets federation deliver it.
import type { Hono, MiddlewareHandler } from "hono";
import { findAccountById } from "../../db/queries/accounts.ts";
import type { Account, Status } from "../../db/queries/rows.ts";
import { findVisibleStatus, viewerStates } from "../../db/queries/statuses.ts";
import {
  reactToStatus,
  resolveLocalReaction,
  unreactToStatus,
} from "../../domain/emoji-reactions.ts";
import { parseHandle } from "../../domain/handles.ts";
import {
  boostStatus,
  favouriteStatus,
  unboostStatus,
  unfavouriteStatus,
} from "../../domain/interactions.ts";
import { pinStatus, unpinStatus } from "../../domain/pins.ts";
import { searchStatuses } from "../../domain/search.ts";
import { deleteStatus, publishStatus } from "../../domain/statuses.ts";
import { badRequest, forbidden, notFound } from "../../errors.ts";
import { profilePath, statusPath } from "../components/account.ts";
import type { WebContext, WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, safeReturnTo, sessionOf, signedIn, viewOf } from "../helpers.ts";
import { searchPage } from "../pages/search.ts";
import { verifyCsrf } from "../security.ts";
import { PAGE_SIZE, statusViews } from "../views.ts";

/** Whether the request came from app.js (fetch), which wants the new state instead of a redirect. */
const wantsJson = (c: WebContext) => (c.req.header("accept") ?? "").includes("application/json");

export function actionRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config, urls } = deps;
  const statusDeps = { db, urls, config, events: deps.events };

  /** The signed-in account, the checked form and the status the path names (visible to them). */
  const prepare = async (c: WebContext) => {
    const session = sessionOf(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const id = c.req.param("id") ?? "";
    // Found as the API finds it: hidden and blocked posts look missing.
    const status = /^\d{1,20}$/.test(id)
      ? await findVisibleStatus(db, session.account.id, id)
      : undefined;
    if (status === undefined || status.reblogOfId !== null) {
      throw notFound("This post does not exist or is not visible to you.");
    }
    const author = (await findAccountById(db, status.accountId, { includeSuspended: true }))!;
    const back = safeReturnTo(form.return_to ?? statusPath(author, status.id), config.origin);
    return { session, form, status, author, back };
  };

  /** Redirects back, or answers app.js with the post's counts and the viewer's state after the change. */
  const done = async (c: WebContext, back: string, statusId?: string) => {
    if (statusId !== undefined && wantsJson(c)) {
      const viewerId = c.get("session")!.account.id;
      const s = await findVisibleStatus(db, viewerId, statusId);
      const state = (await viewerStates(db, viewerId, [statusId])).get(statusId)!;
      return c.json({
        id: statusId,
        ...state,
        favouritesCount: s?.favouritesCount ?? 0,
        reblogsCount: s?.reblogsCount ?? 0,
        repliesCount: s?.repliesCount ?? 0,
      });
    }
    return c.redirect(back, 303);
  };

  // Like and boost toggles: the same form handling, only the domain call differs.
  const toggles: Record<string, (account: Account, status: Status) => Promise<unknown>> = {
    favourite: async (account, status) => await favouriteStatus(db, urls, account, status),
    unfavourite: async (account, status) => await unfavouriteStatus(db, account, status),
    reblog: async (account, status) => await boostStatus(db, urls, account, status),
    unreblog: async (account, status) => await unboostStatus(db, account, status),
    // pinStatus refuses someone else's post, a direct one and a sixth pin with a message for the page.
    pin: async (account, status) => await pinStatus(db, account, status),
    unpin: async (account, status) => await unpinStatus(db, account, status),
  };
  for (const [action, apply] of Object.entries(toggles)) {
    web.post(`/statuses/:id/${action}`, page, signedIn, async (c) => {
      const p = await prepare(c);
      await apply(p.session.account, p.status);
      return await done(c, p.back, p.status.id);
    });
  }

  // Emoji reactions: what may be reacted with is the domain's rule (a 400 with its message otherwise).
  web.post("/statuses/:id/react", page, signedIn, async (c) => {
    const p = await prepare(c);
    const emoji = (p.form.emoji ?? "").trim();
    if (emoji === "") throw badRequest("Choose an emoji to react with.");
    const reaction = await resolveLocalReaction(db, urls, emoji, p.status.id);
    await reactToStatus(db, urls, p.session.account, p.status, reaction);
    return c.redirect(p.back, 303);
  });

  // The form sends the reaction's stored name, so one whose emoji was disabled since can still go.
  web.post("/statuses/:id/unreact", page, signedIn, async (c) => {
    const p = await prepare(c);
    const emoji = (p.form.emoji ?? "").trim();
    if (emoji === "") throw badRequest("Choose the reaction to take back.");
    await unreactToStatus(db, p.session.account, p.status, emoji);
    return c.redirect(p.back, 303);
  });

  web.post("/statuses/:id/reply", page, signedIn, async (c) => {
    const p = await prepare(c);
    const text = (p.form.text ?? "").trim();
    if (text === "") throw badRequest("Write something to reply.");
    // Mention the author so the reply reaches them (as Mastodon pre-fills it).
    const mention =
      p.author.id === p.session.account.id
        ? ""
        : `@${p.author.username}${p.author.domain ? `@${p.author.domain}` : ""} `;
    await publishStatus(statusDeps, p.session.account.id, {
      text: text.startsWith("@") ? text : `${mention}${text}`,
      inReplyToId: p.status.id,
      visibility: p.status.visibility,
    });
    return c.redirect(statusPath(p.author, p.status.id), 303);
  });

  // A poll's vote form: one `choices` field per ticked option (checkboxes repeat it), so read them all.
  web.post("/statuses/:id/vote", page, signedIn, async (c) => {
    const session = sessionOf(c);
    const body = await c.req.parseBody({ all: true });
    const csrf = body.csrf;
    verifyCsrf(c, typeof csrf === "string" ? csrf : undefined, config.origin);
    const given = body.choices;
    const choices = (Array.isArray(given) ? given : given === undefined ? [] : [given]).map((v) =>
      typeof v === "string" && /^\d{1,3}$/.test(v) ? Number(v) : -1,
    );
    if (choices.length === 0) throw badRequest("Choose an option to vote.");
    const id = c.req.param("id");
    const status = /^\d{1,20}$/.test(id)
      ? await findVisibleStatus(db, session.account.id, id)
      : undefined;
    if (status === undefined) throw notFound("This post does not exist or is not visible to you.");
    await deps.polls.vote(session.account.id, status.id, choices);
    const author = (await findAccountById(db, status.accountId, { includeSuspended: true }))!;
    const returnTo = typeof body.return_to === "string" ? body.return_to : statusPath(author, id);
    return c.redirect(safeReturnTo(returnTo, config.origin), 303);
  });

  web.post("/statuses/:id/delete", page, signedIn, async (c) => {
    const p = await prepare(c);
    // deleteStatus refuses someone else's post too; checking here gives the page a plain message.
    if (p.status.accountId !== p.session.account.id) {
      throw forbidden("You can only delete your own posts.");
    }
    await deleteStatus(statusDeps, p.session.account.id, p.status.id);
    if (wantsJson(c)) return c.json({ id: p.status.id, deleted: true });
    // Back to the list the card was in; from the post's own page (gone now), to one's profile.
    const ownPage = statusPath(p.author, p.status.id);
    const back = p.form.return_to ? safeReturnTo(p.form.return_to, config.origin) : ownPage;
    return c.redirect(back.split("#")[0] === ownPage ? profilePath(p.session.account) : back, 303);
  });

  web.get("/search", page, signedIn, async (c) => {
    const q = (c.req.query("q") ?? "").trim();
    if (q === "") return c.redirect("/home", 303);
    // A handle or a URL names one thing: the interaction page shows it and offers to follow it.
    if (/^https?:\/\/\S+$/i.test(q) || (q.includes("@") && parseHandle(q) !== null)) {
      return c.redirect(`/authorize_interaction?uri=${encodeURIComponent(q)}`, 303);
    }
    const offsetText = c.req.query("offset") ?? "0";
    if (!/^\d{1,4}$/.test(offsetText)) throw badRequest("offset must be a number below 10000");
    const offset = Number(offsetText);
    const viewerId = sessionOf(c).account.id;
    // The client API's search, one more than shown to know whether a next page exists.
    const rows = await searchStatuses(db, config.domain, viewerId, q, {
      limit: PAGE_SIZE + 1,
      offset,
    });
    const items = await statusViews(db, rows.slice(0, PAGE_SIZE), viewerId);
    const nextOffset = rows.length > PAGE_SIZE ? offset + PAGE_SIZE : null;
    return c.html(searchPage(viewOf(c, deps), q, { items, nextOffset }));
  });
}
