// The interop corpus's servers, stood up on loopback: one HTTP listener per host in the documents, every
// `https://HOST` rewritten to `http://127.0.0.1:PORT` (and atelier.example to the instance under test).
// Each listener answers WebFinger, its actors (also at a key id that is its own URL), the objects embedded
// in its activities, its media files and contexts; deliveries are signed with the actor's key from keys/
// (draft-cavage with a Digest, as Mastodon does).
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { signRequest } from "@fedify/fedify";
import { root } from "./process.ts";

export const CORPUS = join(root, "..", "shared", "fixtures", "activitypub");

// The manifest is free-form JSON written by hand; reading it loosely is the point.
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Loose = any;
export interface CorpusDoc {
  file: string;
  kind: "actor" | "activity";
  id?: string;
  actor?: string;
  keyId?: string;
  privateKey?: string;
  after?: string[];
  expect: Record<string, Loose>;
}
export interface Manifest {
  local: { origin: string; alice: string; status: string; follow: string };
  contexts: Record<string, string>;
  media: Record<
    string,
    { file: string; mediaType: string; width: number; height: number; blurhash: string }
  >;
  documents: CorpusDoc[];
}

export const manifest = JSON.parse(readFileSync(join(CORPUS, "manifest.json"), "utf8")) as Manifest;

/** An activity a corpus server received (our Accepts, Follows, deliveries…). */
export interface Received {
  host: string;
  path: string;
  /** The keyId of its HTTP signature, if signed. */
  keyId: string | null;
  json: Loose;
}

export interface CorpusServers {
  /** A corpus string with every corpus host and the local instance's URLs rewritten. */
  rewrite(text: string): string;
  /** Changes what the local instance's URLs are rewritten to (e.g. once a Follow of ours exists). */
  setLocal(local: Partial<{ alice: string; status: string; follow: string }>): void;
  /** Everything POSTed to the corpus servers so far. */
  received: Received[];
  /** From now on `iri` (rewritten) answers 410 Gone, as after a Delete. */
  gone(iri: string): void;
  /** From now on `iri` (rewritten) answers `json` (e.g. an actor after a Move shows movedTo). */
  serve(iri: string, json: unknown): void;
  /**
   * Serves `json` (in corpus terms, rewritten) at `iri` (rewritten), answering only once `release` is
   * called: a worker fetching it is busy with its message until then. `requested` resolves when asked.
   */
  hold(iri: string, json: unknown): { requested: Promise<void>; release(): void };
  /** Delivers a corpus activity to `inbox`, signed by its manifest actor (when it has one). */
  deliver(doc: CorpusDoc, inbox: string): Promise<Response>;
  /**
   * Delivers an activity of the test's own making, signed by the corpus actor `actor` (a manifest IRI);
   * with `forgeWith`, signed by that other actor's private key under `actor`'s key id (a forgery).
   */
  deliverJson(json: unknown, actor: string, inbox: string, forgeWith?: string): Promise<Response>;
  close(): Promise<void>;
}

/** A PKCS#8 PEM RSA private key, for RSASSA-PKCS1-v1_5 with SHA-256 (what draft-cavage uses). */
function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  return crypto.subtle.importKey(
    "pkcs8",
    der,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    true,
    ["sign"],
  );
}

const HOST_PATTERN = /https:\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*\.example)/g;

/** `local`: the real URIs to put where the corpus says atelier.example's alice, status and follow. */
export async function startCorpusServers(local: {
  origin: string;
  alice: string;
  status: string;
  follow: string;
}): Promise<CorpusServers> {
  const files = manifest.documents.map((d) => readFileSync(join(CORPUS, d.file), "utf8"));
  const hosts = new Set<string>();
  for (const text of [
    ...files,
    ...Object.keys(manifest.media),
    ...Object.keys(manifest.contexts),
  ]) {
    for (const m of text.matchAll(HOST_PATTERN)) hosts.add(m[1]!);
  }
  hosts.delete(new URL(manifest.local.origin).host);
  // Path → [content type, body] per host, filled once every listener has its port.
  const routes = new Map<string, Map<string, [string, string | Buffer]>>();
  const servers = new Map<string, Server>();
  const origins = new Map<string, string>();
  const received: Received[] = [];
  // `host path` → what a held document's request waits for, and how it tells that it was asked for.
  const held = new Map<string, { released: Promise<void>; asked: () => void }>();
  for (const host of hosts) {
    const table = new Map<string, [string, string | Buffer]>();
    routes.set(host, table);
    const server = createServer((req, res) => {
      if (req.method === "POST") {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          let json: Loose = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            // Recorded as null: a test looking for it fails.
          }
          const signature = String(req.headers.signature ?? req.headers["signature-input"] ?? "");
          received.push({
            host,
            path: req.url ?? "/",
            keyId: /keyId="([^"]+)"/.exec(signature)?.[1] ?? null,
            json,
          });
          res.writeHead(202).end();
        });
        return;
      }
      const url = new URL(req.url ?? "/", "http://x");
      const key =
        url.pathname === "/.well-known/webfinger"
          ? `${url.pathname}?${url.search.slice(1)}`
          : url.pathname;
      const found = table.get(key) ?? table.get(url.pathname + url.search);
      if (found?.[0] === "gone") {
        res.writeHead(410).end();
        return;
      }
      if (found === undefined) {
        res.writeHead(404).end();
        return;
      }
      const hold = held.get(`${host} ${url.pathname}`);
      hold?.asked();
      void (hold?.released ?? Promise.resolve()).then(() =>
        res.writeHead(200, { "Content-Type": found[0] }).end(found[1]),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    servers.set(host, server);
    origins.set(host, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  const localMap: [string, string][] = [
    [manifest.local.alice, local.alice],
    [manifest.local.status, local.status],
    [manifest.local.follow, local.follow],
    [manifest.local.origin, local.origin],
  ];
  const setLocal = (changes: Partial<{ alice: string; status: string; follow: string }>) => {
    if (changes.alice) localMap[0]![1] = changes.alice;
    if (changes.status) localMap[1]![1] = changes.status;
    if (changes.follow) localMap[2]![1] = changes.follow;
  };
  const rewrite = (text: string) => {
    let out = text;
    for (const [from, to] of localMap) out = out.split(from).join(to);
    return out.replace(HOST_PATTERN, (whole, host: string) => origins.get(host) ?? whole);
  };
  const put = (iri: string, type: string, body: string | Buffer) => {
    const url = new URL(iri);
    const host = [...origins].find(([, o]) => o === url.origin)?.[0];
    if (host !== undefined) routes.get(host)!.set(url.pathname + url.search, [type, body]);
  };
  const AP = "application/activity+json";
  manifest.documents.forEach((doc, i) => {
    const text = rewrite(files[i]!);
    if (doc.kind === "actor" && doc.id) {
      const json = JSON.parse(text);
      const id = rewrite(doc.id);
      put(id, AP, text);
      if (doc.keyId) put(rewrite(doc.keyId).split("#")[0]!, AP, text);
      const acct = `${json.preferredUsername}@${new URL(id).host}`;
      put(
        `${new URL(id).origin}/.well-known/webfinger?resource=acct:${acct}`,
        "application/jrd+json",
        JSON.stringify({ subject: `acct:${acct}`, links: [{ rel: "self", type: AP, href: id }] }),
      );
    } else if (doc.kind === "activity" && doc.actor) {
      // Embedded objects on the actor's own origin, without a fragment, are fetchable as themselves.
      let json: Loose;
      try {
        json = JSON.parse(text);
      } catch {
        return;
      }
      const object = json?.object;
      const actorOrigin = new URL(rewrite(doc.actor)).origin;
      if (
        object &&
        typeof object === "object" &&
        typeof object.id === "string" &&
        !object.id.includes("#")
      ) {
        // An embedded copy never replaces a document of its own (an Update(Person) is not the
        // actor as first served; tests change what is served with serve()).
        const exists = manifest.documents.some(
          (d) => d.kind === "actor" && rewrite(d.id ?? "") === object.id,
        );
        if (new URL(object.id).origin === actorOrigin && !exists) {
          put(object.id, AP, JSON.stringify({ "@context": json["@context"], ...object }));
        }
      }
    }
  });
  for (const [iri, media] of Object.entries(manifest.media)) {
    put(rewrite(iri), media.mediaType, readFileSync(join(CORPUS, media.file)));
  }
  for (const [iri, file] of Object.entries(manifest.contexts)) {
    put(rewrite(iri), "application/ld+json", readFileSync(join(CORPUS, file), "utf8"));
  }
  const keys = new Map<string, CryptoKey>();
  const keyOf = async (actor: string) => {
    const owner = manifest.documents.find((d) => d.kind === "actor" && d.id === actor);
    if (!owner?.privateKey || !owner.keyId) return null;
    let key = keys.get(owner.privateKey);
    if (key === undefined) {
      key = await importPrivateKey(readFileSync(join(CORPUS, owner.privateKey), "utf8"));
      keys.set(owner.privateKey, key);
    }
    return { key, keyId: new URL(rewrite(owner.keyId)) };
  };
  const post = async (
    body: string,
    actor: string | undefined,
    inbox: string,
    forgeWith?: string,
  ) => {
    let request = new Request(inbox, {
      method: "POST",
      headers: { "Content-Type": AP, Accept: AP },
      body,
    });
    const signer = actor ? await keyOf(actor) : null;
    const forger = forgeWith ? await keyOf(forgeWith) : null;
    if (signer) request = await signRequest(request, (forger ?? signer).key, signer.keyId);
    return fetch(request);
  };
  return {
    rewrite,
    setLocal,
    received,
    gone: (iri) => put(rewrite(iri), "gone", ""),
    serve: (iri, json) => put(rewrite(iri), AP, JSON.stringify(json)),
    hold(iri, json) {
      const url = new URL(rewrite(iri));
      const host = [...origins].find(([, o]) => o === url.origin)?.[0];
      if (host === undefined) throw new Error(`${iri} is on none of the corpus's hosts`);
      let release = () => {};
      let asked = () => {};
      const released = new Promise<void>((r) => {
        release = r;
      });
      const requested = new Promise<void>((r) => {
        asked = r;
      });
      held.set(`${host} ${url.pathname}`, { released, asked });
      put(url.href, AP, rewrite(JSON.stringify(json)));
      return { requested, release };
    },
    async deliver(doc, inbox) {
      const body = rewrite(readFileSync(join(CORPUS, doc.file), "utf8"));
      return post(body, doc.actor, inbox);
    },
    deliverJson: (json, actor, inbox, forgeWith) =>
      post(rewrite(JSON.stringify(json)), actor, inbox, forgeWith),
    close: async () => {
      await Promise.all(
        [...servers.values()].map((s) => new Promise<void>((r) => s.close(() => r()))),
      );
    },
  };
}
