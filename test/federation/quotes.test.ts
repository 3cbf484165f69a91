// FEP-044f's consent exchange with a fake Mastodon 4.5 peer on loopback, through the real signed inbox:
// a QuoteRequest for alice's post is answered by its policy (Accept with a QuoteAuthorization we serve,
// or Reject), alice's revocation deletes it; alice's quote of mira's post asks mira, and becomes
// accepted on Accept, rejected on Reject, revoked when mira deletes the authorization.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import {
  type FederatedInstance,
  pendingInQueue,
  startFederatedInstance,
  waitFor,
} from "../helpers/federation.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
// Mastodon 4.5's inline terms for quotes and interaction policies.
const CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  {
    quote: { "@id": "https://w3id.org/fep/044f#quote", "@type": "@id" },
    QuoteRequest: "https://w3id.org/fep/044f#QuoteRequest",
    QuoteAuthorization: "https://w3id.org/fep/044f#QuoteAuthorization",
    quoteAuthorization: { "@id": "https://w3id.org/fep/044f#quoteAuthorization", "@type": "@id" },
    gts: "https://gotosocial.org/ns#",
    interactionPolicy: { "@id": "gts:interactionPolicy", "@type": "@id" },
    canQuote: { "@id": "gts:canQuote", "@type": "@id" },
    automaticApproval: { "@id": "gts:automaticApproval", "@type": "@id" },
  },
];

let local: FederatedInstance;
let remote: FakeRemote;
let mira: FakeActor;
let token: string;
let inbox: string;

// biome-ignore lint/suspicious/noExplicitAny: API answers are read loosely; the assertions say what matters.
type Json = any;
const api = async (path: string, init: { method?: string; body?: unknown } = {}): Promise<Json> => {
  const res = await fetch(new URL(path, local.url), {
    method: init.method ?? "GET",
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body ? { "Content-Type": "application/json" } : {}),
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, ...(await res.json()) };
};
const apFetch = (url: string) => fetch(url, { headers: { Accept: "application/activity+json" } });

const settled = async () => {
  await waitFor("the queues to settle", async () => (await pendingInQueue(local)) === 0);
  await local.deps.events.drain();
};
const deliver = async (body: Record<string, unknown>) => {
  const res = await remote.deliver(inbox, { "@context": CONTEXT, ...body }, mira);
  expect(res.status).toBe(202);
  await settled();
};
const receivedOf = (type: string, pred: (j: Json) => boolean = () => true) =>
  waitFor(`a ${type} at mira's server`, () =>
    remote.received().find((j: Json) => String(j.type).endsWith(type) && pred(j)),
  );

let n = 0;
/** A post of mira's quoting `quoted`, as Mastodon 4.5 writes it. */
const miraNote = (quoted: string | null) => {
  const id = `${mira.id.href}/statuses/${++n}`;
  return {
    id,
    type: "Note",
    attributedTo: mira.id.href,
    content: `<p>mira's post ${n}</p>`,
    to: [PUBLIC],
    cc: [`${mira.id.href}/followers`],
    published: new Date().toISOString(),
    ...(quoted ? { quote: quoted } : {}),
    interactionPolicy: { canQuote: { automaticApproval: [PUBLIC] } },
  };
};

beforeAll(async () => {
  [local, remote] = await Promise.all([startFederatedInstance(), startFakeRemote()]);
  const { account } = await createLocalUser(local.deps.db, local.deps.urls, {
    username: "alice",
    password: "alice-password",
  });
  token = (
    await issueAccessToken(local.deps.db, {
      applicationId: null,
      accountId: account.id,
      scopes: ["read", "write"],
    })
  ).accessToken;
  mira = await remote.actor("mira");
  inbox = local.deps.urls.sharedInbox();
}, 60_000);
afterAll(async () => {
  await Promise.all([local?.close(), remote?.close()]);
});

describe("quote consent with a Mastodon 4.5 peer", () => {
  it("accepts a QuoteRequest for a public post, serves the authorization, and deletes it on revoke", async () => {
    const post = await api("/api/v1/statuses", { method: "POST", body: { status: "quote me" } });
    // Our Note says who may quote it.
    const note = await (await apFetch(post.uri)).json();
    expect(JSON.stringify(note.interactionPolicy ?? note["gts:interactionPolicy"])).toContain(
      PUBLIC,
    );
    const quoting = miraNote(post.uri);
    await deliver({
      id: `${quoting.id}/activity`,
      type: "Create",
      actor: mira.id.href,
      object: quoting,
    });
    await deliver({
      id: `${quoting.id}#quote-request`,
      type: "QuoteRequest",
      actor: mira.id.href,
      object: post.uri,
      instrument: quoting,
    });
    const accept = await receivedOf("Accept", (j) => j.object === `${quoting.id}#quote-request`);
    expect(accept.actor).toBe(post.account.url.replace("/@", "/users/"));
    const authorization = accept.result as string;
    expect(authorization).toMatch(/\/quote-authorizations\//);
    const served = await apFetch(authorization);
    expect(served.status).toBe(200);
    const auth = await served.json();
    expect(auth.type).toMatch(/QuoteAuthorization$/);
    expect(JSON.stringify(auth)).toContain(quoting.id);

    const mine = (await fetch(new URL(`/api/v1/statuses/${post.id}/quotes`, local.url)).then((r) =>
      r.json(),
    )) as Json[];
    const quote = mine.find((s) => s.uri === quoting.id);
    expect(quote.quote.state).toBe("accepted");
    // alice is told once, whether the Create or the QuoteRequest settled the quote.
    const told = (await fetch(new URL("/api/v1/notifications?types[]=quote", local.url), {
      headers: { Authorization: `Bearer ${token}` },
    }).then((r) => r.json())) as Json[];
    expect(told.map((t) => [t.type, t.account.acct, t.status.uri])).toEqual([
      ["quote", `mira@${new URL(mira.id.href).host}`, quoting.id],
    ]);

    const revoked = await api(`/api/v1/statuses/${post.id}/quotes/${quote.id}/revoke`, {
      method: "POST",
    });
    expect(revoked.quote.state).toBe("revoked");
    await settled();
    const del = await receivedOf("Delete", (j) => j.object === authorization);
    expect(del.actor).toBe(accept.actor);
    expect((await apFetch(authorization)).status).toBeGreaterThanOrEqual(404);
  });

  it("rejects a QuoteRequest for a post whose author allows no quotes", async () => {
    const post = await api("/api/v1/statuses", {
      method: "POST",
      body: { status: "mine alone", quote_approval_policy: "nobody" },
    });
    const quoting = miraNote(post.uri);
    // Only the request arrives: its embedded post is stored from it.
    await deliver({
      id: `${quoting.id}#quote-request`,
      type: "QuoteRequest",
      actor: mira.id.href,
      object: post.uri,
      instrument: quoting,
    });
    await receivedOf("Reject", (j) => j.object === `${quoting.id}#quote-request`);
    const quotes = (await fetch(new URL(`/api/v1/statuses/${post.id}/quotes`, local.url)).then(
      (r) => r.json(),
    )) as Json[];
    expect(quotes).toEqual([]);
  });

  it("asks mira before quoting her post, and follows her answer", async () => {
    const theirs = miraNote(null);
    await deliver({
      id: `${theirs.id}/activity`,
      type: "Create",
      actor: mira.id.href,
      object: theirs,
    });
    const found = await api(`/api/v2/search?q=${encodeURIComponent(theirs.id)}&resolve=true`);
    const quotedId = found.statuses[0].id as string;
    const shown = await api(`/api/v1/statuses/${quotedId}`);
    expect(shown.quote_approval).toMatchObject({
      automatic: ["public"],
      current_user: "automatic",
    });

    const ask = async () => {
      const mine = await api("/api/v1/statuses", {
        method: "POST",
        body: { status: "quoting mira", quoted_status_id: quotedId },
      });
      expect(mine.status).toBe(200);
      expect(mine.quote).toEqual({ state: "pending", quoted_status: null });
      await settled();
      const request = await receivedOf("QuoteRequest", (j) => j.id === `${mine.uri}#quote-request`);
      expect(request.object).toBe(theirs.id);
      expect(JSON.stringify(request.instrument)).toContain(mine.uri);
      return { mine, request };
    };

    const first = await ask();
    const authorization = `${mira.id.href}/quote_authorizations/1`;
    await deliver({
      id: `${mira.id.href}#accepts/quotes/1`,
      type: "Accept",
      actor: mira.id.href,
      object: first.request.id,
      result: authorization,
    });
    const accepted = await api(`/api/v1/statuses/${first.mine.id}`);
    expect(accepted.quote.state).toBe("accepted");
    expect(accepted.quote.quoted_status.id).toBe(quotedId);
    // Our Note now carries the authorization, and went out again as an Update.
    const note = await (await apFetch(first.mine.uri)).json();
    expect(JSON.stringify(note)).toContain(authorization);
    await receivedOf("Update", (j) => j.object?.id === first.mine.uri);

    // Mira edits her post: alice is told, with the quote her readers see it in.
    await deliver({
      id: `${theirs.id}#updates/1`,
      type: "Update",
      actor: mira.id.href,
      object: {
        ...theirs,
        content: "<p>mira's post, edited</p>",
        updated: new Date().toISOString(),
      },
    });
    const told = (await fetch(new URL("/api/v1/notifications?types[]=quoted_update", local.url), {
      headers: { Authorization: `Bearer ${token}` },
    }).then((r) => r.json())) as Json[];
    expect(told.map((t) => [t.account.acct, t.status.id])).toEqual([
      [`mira@${new URL(mira.id.href).host}`, first.mine.id],
    ]);

    // Mira deletes the authorization: the quote is revoked.
    await deliver({
      id: `${authorization}#delete`,
      type: "Delete",
      actor: mira.id.href,
      object: authorization,
    });
    expect((await api(`/api/v1/statuses/${first.mine.id}`)).quote.state).toBe("revoked");
    // A late or replayed Accept (another activity id, so the inbox does not drop it as seen) does not
    // bring the approval back: only a pending quote takes an answer.
    await deliver({
      id: `${mira.id.href}#accepts/quotes/1-again`,
      type: "Accept",
      actor: mira.id.href,
      object: first.request.id,
      result: authorization,
    });
    expect((await api(`/api/v1/statuses/${first.mine.id}`)).quote.state).toBe("revoked");

    const second = await ask();
    await deliver({
      id: `${mira.id.href}#rejects/quotes/2`,
      type: "Reject",
      actor: mira.id.href,
      object: second.request.id,
    });
    expect((await api(`/api/v1/statuses/${second.mine.id}`)).quote).toEqual({
      state: "rejected",
      quoted_status: null,
    });
    await deliver({
      id: `${mira.id.href}#accepts/quotes/2-late`,
      type: "Accept",
      actor: mira.id.href,
      object: second.request.id,
      result: `${mira.id.href}/quote_authorizations/2`,
    });
    expect((await api(`/api/v1/statuses/${second.mine.id}`)).quote.state).toBe("rejected");
  });

  it("accepts a quote of another server's post only with an authorization fetched from it that names this quote", async () => {
    const nora = await remote.actor("nora");
    const noras = {
      id: `${nora.id.href}/statuses/1`,
      type: "Note",
      attributedTo: nora.id.href,
      content: "<p>nora's post</p>",
      to: [PUBLIC],
      cc: [`${nora.id.href}/followers`],
      published: new Date().toISOString(),
    };
    const created = await remote.deliver(
      inbox,
      {
        "@context": CONTEXT,
        id: `${noras.id}/activity`,
        type: "Create",
        actor: nora.id.href,
        object: noras,
      },
      nora,
    );
    expect(created.status).toBe(202);
    await settled();
    const authorization = (name: string, quoting: string, by = nora.id.href) =>
      remote.serve(`/quote_authorizations/${name}`, {
        "@context": [
          "https://www.w3.org/ns/activitystreams",
          {
            QuoteAuthorization: "https://w3id.org/fep/044f#QuoteAuthorization",
            gts: "https://gotosocial.org/ns#",
            interactingObject: { "@id": "gts:interactingObject", "@type": "@id" },
            interactionTarget: { "@id": "gts:interactionTarget", "@type": "@id" },
          },
        ],
        id: `${remote.origin}/quote_authorizations/${name}`,
        type: "QuoteAuthorization",
        attributedTo: by,
        interactingObject: quoting,
        interactionTarget: noras.id,
      });
    const stateOf = async (uri: string) => {
      const found = await api(`/api/v2/search?q=${encodeURIComponent(uri)}&resolve=false`);
      return found.statuses[0]?.quote?.state as string | undefined;
    };
    const create = async (note: Json) =>
      await deliver({
        id: `${note.id}/activity`,
        type: "Create",
        actor: mira.id.href,
        object: note,
      });

    const good = miraNote(noras.id);
    await create({ ...good, quoteAuthorization: authorization("good", good.id) });
    expect(await stateOf(good.id)).toBe("accepted");

    // One that authorizes another post, one issued by someone else, one that is not there.
    const other = miraNote(noras.id);
    await create({ ...other, quoteAuthorization: authorization("other", good.id) });
    const forged = miraNote(noras.id);
    await create({
      ...forged,
      quoteAuthorization: authorization("forged", forged.id, mira.id.href),
    });
    const missing = miraNote(noras.id);
    await create({ ...missing, quoteAuthorization: `${remote.origin}/quote_authorizations/none` });
    expect(await stateOf(other.id)).toBe("pending");
    expect(await stateOf(forged.id)).toBe("pending");
    expect(await stateOf(missing.id)).toBe("pending");

    // Mastodon 4.5's way: the quote first waits, and an Update brings the authorization once approved.
    const later = miraNote(noras.id);
    await create(later);
    expect(await stateOf(later.id)).toBe("pending");
    await deliver({
      id: `${later.id}#updates/1`,
      type: "Update",
      actor: mira.id.href,
      object: {
        ...later,
        quoteAuthorization: authorization("later", later.id),
        updated: new Date().toISOString(),
      },
    });
    expect(await stateOf(later.id)).toBe("accepted");
  });
});
