// Remix lineage across two real Atelier instances on loopback: bob on B remixes alice's AI post on A
// through B's client API; the Create that reaches A names its source in Atelier's remixOf next to the
// FEP-044f quote, A stores it as a remix, and alice's page on A counts and shows it, while a plain quote
// from B is counted as nothing.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, type Status, statuses } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";
import { AI_PROVENANCE, publishWithImages } from "../helpers/publish.ts";

let a: FederatedInstance;
let b: FederatedInstance;
let alice: Account;
let bob: Account;
let bobToken: string;
let source: Status;

// biome-ignore lint/suspicious/noExplicitAny: API answers are read loosely; the assertions say what matters.
type Json = any;
const onB = async (method: string, path: string, body?: unknown): Promise<Json> => {
  const res = await fetch(new URL(path, b.url), {
    method,
    headers: {
      Authorization: `Bearer ${bobToken}`,
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json() };
};

const settle = async (i: FederatedInstance) => {
  i.deps.events.kick();
  await i.deps.events.drain();
};

/** The remixes section of alice's page on A, as an anonymous visitor sees it. */
const remixesOnA = async () => {
  const res = await fetch(`${a.url}/@alice/${source.id}`);
  expect(res.status).toBe(200);
  return /<section class="remixes"[\s\S]*?<\/section>/.exec(await res.text())?.[0] ?? "";
};

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
  alice = (
    await createLocalUser(a.deps.db, a.deps.urls, { username: "alice", password: "alice-password" })
  ).account;
  bob = (
    await createLocalUser(b.deps.db, b.deps.urls, { username: "bob", password: "bob-password!" })
  ).account;
  bobToken = (
    await issueAccessToken(b.deps.db, {
      applicationId: null,
      accountId: bob.id,
      scopes: ["read", "write"],
    })
  ).accessToken;
  source = await publishWithImages(a.deps, alice.id, {
    text: "A lighthouse",
    images: [{ color: { r: 220, g: 130, b: 50 }, provenance: AI_PROVENANCE }],
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("a remix across servers", () => {
  let remixOnA: Status;

  it("bob on B remixes alice's post on A, and A stores it as a remix of hers", async () => {
    const found = await onB(
      "GET",
      `/api/v2/search?resolve=true&type=statuses&q=${encodeURIComponent(source.iri)}`,
    );
    expect(found.status).toBe(200);
    const copyId = found.json.statuses[0].id as string;
    const job = await onB("POST", "/api/v1/atelier/generations", {
      remix_of_status_id: copyId,
      seed: 9,
      size: "256x256",
    });
    expect(job.status).toBe(202);
    await b.deps.generation.idle();
    const done = await onB("GET", `/api/v1/atelier/generations/${job.json.id}`);
    const posted = await onB("POST", "/api/v1/statuses", {
      status: "my take on it",
      media_ids: [done.json.candidates[0].id],
    });
    expect(posted.status).toBe(200);
    const remixOnB = (await b.deps.db
      .select()
      .from(statuses)
      .where(eq(statuses.id, posted.json.id))
      .then((r) => r[0]))!;
    expect(remixOnB).toMatchObject({ quoteOfId: copyId, remixOfId: copyId });
    // What B serves for it says remixOf, next to the quote.
    const note = (await (
      await fetch(remixOnB.iri, { headers: { Accept: "application/activity+json" } })
    ).json()) as Json;
    expect(note).toMatchObject({ quote: source.iri, remixOf: source.iri });

    await settle(b);
    remixOnA = await waitFor("the remix on A", () => findStatusByIri(a.deps.db, remixOnB.iri));
    expect(remixOnA).toMatchObject({ quoteOfId: source.id, remixOfId: source.id });
  });

  it("alice's page on A counts the remix and shows it", async () => {
    await settle(a);
    const section = await remixesOnA();
    expect(section).toContain("1 remix<");
    expect(section).toContain(`/${remixOnA.id}"`);
  });

  it("a plain quote from B is not a remix", async () => {
    const found = await onB(
      "GET",
      `/api/v2/search?resolve=true&type=statuses&q=${encodeURIComponent(source.iri)}`,
    );
    const quote = await onB("POST", "/api/v1/statuses", {
      status: "see this",
      quoted_status_id: found.json.statuses[0].id,
    });
    expect(quote.status).toBe(200);
    await settle(b);
    const iri = (await b.deps.db
      .select({ iri: statuses.iri })
      .from(statuses)
      .where(eq(statuses.id, quote.json.id))
      .then((r) => r[0]!.iri))!;
    const quoteOnA = await waitFor("the quote on A", () => findStatusByIri(a.deps.db, iri));
    expect(quoteOnA).toMatchObject({ quoteOfId: source.id, remixOfId: null });
    expect(await remixesOnA()).toContain("1 remix<");
  });
});
