// What every corpus-through-the-inbox test starts from: a real instance with private addresses allowed,
// the local user alice (the corpus's atelier.example/users/alice) with one public status of hers (its
// statuses/LOCAL-1), the corpus's servers on loopback, and a small client for the Mastodon API — so a
// test delivers documents signed by their actors and looks at the result as a user would.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Account } from "../../src/db/schema/index.ts";
import type { CreateDepsOptions } from "../../src/deps.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { findAccountByIri } from "../../src/domain/remote-accounts.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import {
  CORPUS,
  type CorpusDoc,
  type CorpusServers,
  type Loose,
  manifest,
  startCorpusServers,
} from "./corpus-servers.ts";
import {
  type FederatedInstance,
  pendingInQueue,
  startFederatedInstance,
  waitFor,
} from "./federation.ts";

/** What sanitized HTML must never keep. */
export const FORBIDDEN_HTML = [
  /<script/i,
  /\son\w+=/i,
  /javascript:/i,
  /vbscript:/i,
  /<iframe/i,
  /style=/i,
];

export interface LocalUser {
  account: Account;
  token: string;
}

export interface CorpusHarness {
  instance: FederatedInstance;
  servers: CorpusServers;
  alice: LocalUser;
  /** Alice's public status that stands for the corpus's statuses/LOCAL-1. */
  aliceStatus: { id: string; uri: string };
  /** Another local user (signed in with read, write and follow). */
  user(name: string): Promise<LocalUser>;
  /** GET/POST on the client API as `as` (alice unless told). */
  api(
    path: string,
    init?: { as?: LocalUser | null; method?: string; body?: unknown },
  ): Promise<{
    status: number;
    json: Loose;
  }>;
  /** Delivers a corpus document to the shared inbox, signed by its manifest actor. */
  deliver(file: string): Promise<Response>;
  /**
   * Delivers the documents a document's `after` names that were not delivered yet (each must be
   * accepted), and waits until they are handled.
   */
  deliverPrerequisites(file: string): Promise<void>;
  /** A manifest URI as the running test sees it. */
  uri(iri: string): string;
  /** Resolves once the inbox queue has processed everything delivered so far (for "nothing happened"). */
  settled(): Promise<void>;
  /** A manifest acct ("mira@mastodon.example") as the running test sees it (host rewritten). */
  acct(manifestAcct: string): string;
  /** The local user's notifications of one type (emoji reactions are only listed when asked for). */
  notifications(type: string, as?: LocalUser): Promise<Loose[]>;
  /** The account id of a corpus actor, resolved through the search API (WebFinger + fetch). */
  resolveAccount(iri: string): Promise<Loose>;
  close(): Promise<void>;
}

export const doc = (file: string): CorpusDoc => {
  const found = manifest.documents.find((d) => d.file === file);
  if (found === undefined) throw new Error(`${file} is not in the manifest`);
  return found;
};

export const readCorpus = (file: string) => readFileSync(join(CORPUS, file), "utf8");

export async function startCorpusHarness(options: CreateDepsOptions = {}): Promise<CorpusHarness> {
  const instance = await startFederatedInstance({ deps: options });
  const { db, urls } = instance.deps;
  const user = async (username: string): Promise<LocalUser> => {
    const { account } = await createLocalUser(db, urls, {
      username,
      password: `${username}-password-long`,
    });
    const token = (
      await issueAccessToken(db, {
        applicationId: null,
        accountId: account.id,
        scopes: ["read", "write", "follow"],
      })
    ).accessToken;
    return { account, token };
  };
  const alice = await user("alice");
  const api: CorpusHarness["api"] = async (path, init = {}) => {
    const as = init.as === undefined ? alice : init.as;
    const res = await fetch(new URL(path, instance.url), {
      method: init.method ?? "GET",
      headers: {
        ...(as ? { Authorization: `Bearer ${as.token}` } : {}),
        ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    let json: Loose = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json };
  };
  const posted = await api("/api/v1/statuses", {
    method: "POST",
    body: { status: "A lighthouse of teacups, my first try", visibility: "public" },
  });
  expect(posted.status).toBe(200);
  const aliceStatus = { id: posted.json.id as string, uri: posted.json.uri as string };
  const servers = await startCorpusServers({
    origin: instance.url,
    alice: alice.account.iri,
    status: aliceStatus.uri,
    // Replaced by a test that sends a Follow of alice's first.
    follow: `${instance.url}/follows/none`,
  });
  const delivered = new Set<string>();
  const deliver = (file: string) => {
    delivered.add(file);
    return servers.deliver(doc(file), instance.deps.urls.sharedInbox());
  };
  const settled = async () => {
    // Inbox activities are processed from the queue; none ready or in hand means all were handled.
    await waitFor("the inbox queue to settle", async () => (await pendingInQueue(instance)) === 0);
    await instance.deps.events.drain();
  };
  return {
    instance,
    servers,
    alice,
    aliceStatus,
    user,
    api,
    deliver,
    async deliverPrerequisites(file) {
      for (const first of doc(file).after ?? []) {
        if (delivered.has(first)) continue;
        expect((await deliver(first)).status).toBe(202);
        await settled();
      }
    },
    uri: (iri) => servers.rewrite(iri),
    settled,
    acct(manifestAcct) {
      const [name, host] = manifestAcct.split("@");
      return `${name}@${new URL(servers.rewrite(`https://${host}`)).host}`;
    },
    async notifications(type, as = alice) {
      const res = await api(`/api/v1/notifications?types[]=${type}`, { as });
      expect(res.status).toBe(200);
      return res.json;
    },
    async resolveAccount(iri) {
      const found = await api(
        `/api/v2/search?type=accounts&resolve=true&q=${encodeURIComponent(servers.rewrite(iri))}`,
      );
      expect(found.status).toBe(200);
      expect(found.json.accounts).toHaveLength(1);
      return found.json.accounts[0];
    },
    close: async () => {
      await Promise.all([instance.close(), servers.close()]);
    },
  };
}

/** Delivers a post and answers it as GET /api/v1/statuses/:id shows it to alice. */
export async function deliverAndShow(harness: CorpusHarness, doc: CorpusDoc): Promise<Loose> {
  const res = await harness.deliver(doc.file);
  expect(res.status).toBe(202);
  const uri = harness.uri(doc.expect.status.uri);
  const stored = await waitFor(
    `${doc.file} stored`,
    async () => await findStatusByIri(harness.instance.deps.db, uri),
  );
  const { status, json } = await harness.api(`/api/v1/statuses/${stored.id}`);
  expect(status).toBe(200);
  return json;
}

/** Checks a Mastodon Status against a manifest `expect.status` (the keys it has). */
export async function expectStatus(
  harness: CorpusHarness,
  doc: CorpusDoc,
  got: Loose,
): Promise<void> {
  const want = doc.expect.status;
  const raw = readCorpus(doc.file);
  expect(got.uri).toBe(harness.uri(want.uri));
  const db = harness.instance.deps.db;
  if (want.in_reply_to !== undefined) {
    const parent = want.in_reply_to && (await findStatusByIri(db, harness.uri(want.in_reply_to)));
    expect(got.in_reply_to_id).toBe(parent ? parent.id : null);
    if (want.in_reply_to) expect(parent).toBeTruthy();
  }
  if (want.mentions !== undefined) {
    const ids = await Promise.all(
      (want.mentions as string[]).map(
        async (iri) => (await findAccountByIri(db, harness.uri(iri)))?.id,
      ),
    );
    expect(got.mentions.map((m: Loose) => m.id).sort()).toEqual(ids.sort());
  }
  if (want.quote !== undefined) {
    // Mastodon 4.5's Quote: accepted, with the quoted status inside.
    expect(got.quote?.state).toBe("accepted");
    expect(got.quote.quoted_status?.uri).toBe(harness.uri(want.quote));
  }
  if (want.url !== undefined) expect(got.url).toBe(harness.uri(want.url));
  if (want.visibility !== undefined) expect(got.visibility).toBe(want.visibility);
  if (want.sensitive !== undefined) expect(got.sensitive).toBe(want.sensitive);
  if (want.spoiler_text !== undefined) expect(got.spoiler_text).toBe(want.spoiler_text);
  if (want.language !== undefined) expect(got.language).toBe(want.language);
  if (want.tags !== undefined)
    expect(got.tags.map((t: Loose) => t.name.toLowerCase()).sort()).toEqual([...want.tags].sort());
  if (want.emojis !== undefined) {
    expect(got.emojis.map((e: Loose) => `:${e.shortcode}:`).sort()).toEqual(
      [...want.emojis].sort(),
    );
    // Each with the sender's image (rewritten to its corpus server) until our copy exists.
    const sent = JSON.parse(raw) as Loose;
    const sentTags = [sent.object?.tag ?? sent.tag]
      .flat()
      .filter((t: Loose) => t?.type === "Emoji");
    for (const e of got.emojis) {
      const tag = sentTags.find((t: Loose) => t.name === `:${e.shortcode}:`);
      const ours = e.url.startsWith(`${harness.instance.deps.config.origin}/media/`);
      expect(ours || e.url === harness.uri(tag.icon.url), e.url).toBe(true);
    }
  }
  // Substrings in corpus terms: the document's URLs were rewritten, so are these.
  for (const s of want.contentIncludes ?? []) expect(got.content).toContain(harness.uri(s));
  for (const s of want.contentExcludes ?? []) expect(got.content.toLowerCase()).not.toContain(s);
  for (const pattern of FORBIDDEN_HTML) expect(got.content).not.toMatch(pattern);
  if (want.media === undefined) return;
  expect(got.media_attachments).toHaveLength(want.media.length);
  want.media.forEach((m: Loose, i: number) => {
    const a = got.media_attachments[i];
    if (m.type !== undefined) expect(a.type).toBe(m.type);
    if (m.remote_url !== undefined) expect(a.remote_url).toBe(harness.uri(m.remote_url));
    if (m.description !== undefined) expect(a.description).toBe(m.description);
    // A blurhash or size the document does not carry comes from the downloaded file (Mastodon
    // computes its own too), which this check does not wait for.
    if (m.blurhash !== undefined && (m.blurhash === null || raw.includes(m.blurhash)))
      expect(a.blurhash).toBe(m.blurhash);
    if (m.width !== undefined) expect(a.meta?.original?.width ?? null).toBe(m.width);
    if (m.height !== undefined) expect(a.meta?.original?.height ?? null).toBe(m.height);
    // `null`: no focal point, so (as on Mastodon) meta has no focus at all.
    if (m.focus === null) expect(a.meta).not.toHaveProperty("focus");
    else if (m.focus?.x !== undefined) expect(a.meta.focus).toEqual(m.focus);
    else if (m.focus?.clampedTo !== undefined) {
      for (const v of Object.values(a.meta.focus) as number[]) {
        expect(v).toBeGreaterThanOrEqual(m.focus.clampedTo[0]);
        expect(v).toBeLessThanOrEqual(m.focus.clampedTo[1]);
      }
    }
  });
}

/** Checks a manifest `expect.notification` ({type, account}) against the local user's notifications. */
export async function expectNotification(
  harness: CorpusHarness,
  want: { type: string; account: string },
  statusId?: string,
  as?: LocalUser,
): Promise<void> {
  const acct = harness.acct(want.account);
  const found = await waitFor(`a ${want.type} notification from ${acct}`, async () =>
    (await harness.notifications(want.type, as)).find(
      (n) => n.account.acct === acct && (statusId === undefined || n.status?.id === statusId),
    ),
  );
  expect(found.type).toBe(want.type);
}
