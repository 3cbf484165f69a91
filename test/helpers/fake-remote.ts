// A fake remote server on loopback that serves actors with RSA keys and signs deliveries as them (draft-
// cavage HTTP Signatures with a Digest, as Mastodon does), for inbox tests that need a real signer.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { CryptographicKey, Emoji, Endpoints, Image, Person } from "@fedify/vocab";

export interface FakeActor {
  id: URL;
  keyId: URL;
  privateKey: CryptoKey;
}

export interface FakeRemote {
  origin: string;
  host: string;
  /** How many deliveries (POSTs) this server has received. */
  deliveries(): number;
  /** The JSON bodies of the deliveries received, in order (those that parse). */
  received(): Record<string, unknown>[];
  /** Serves `doc` as ActivityStreams JSON at `path` (a post an activity links, say). */
  serve(path: string, doc: unknown): string;
  /**
   * Serves an actor; `sharedInbox` overrides its shared inbox (by default this server's /inbox);
   * `displayName` and `emojis` (custom emoji tags: shortcode and image URL) go on its profile.
   */
  actor(
    name: string,
    options?: {
      sharedInbox?: string;
      displayName?: string;
      emojis?: { shortcode: string; url: string }[];
    },
  ): Promise<FakeActor>;
  /** Serves `bytes` at `path` (an image an object links, say) with `contentType`. */
  file(path: string, bytes: Uint8Array, contentType: string): string;
  /** How many times `path` was fetched. */
  fetches(path: string): number;
  /** POSTs `body` to `inbox`, signed as `signer` unless null. */
  deliver(inbox: string, body: unknown, signer: FakeActor | null): Promise<Response>;
  close(): Promise<void>;
}

/**
 * `inboxStatus`: what the fake answers to deliveries (202; 410 plays a server that is gone). `hostname`:
 * the name its URLs use (127.0.0.1 by default; `localhost` gives a name, not an address, to spell).
 */
export async function startFakeRemote(
  options: { inboxStatus?: number; hostname?: string } = {},
): Promise<FakeRemote> {
  const documents = new Map<string, unknown>();
  const files = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const fetched = new Map<string, number>();
  let deliveries = 0;
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method === "POST") {
      deliveries++;
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        try {
          bodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {}
        res.writeHead(options.inboxStatus ?? 202).end();
      });
      return;
    }
    const path = req.url ?? "";
    fetched.set(path, (fetched.get(path) ?? 0) + 1);
    const file = files.get(path);
    if (file !== undefined) {
      res.writeHead(200, { "Content-Type": file.contentType }).end(file.bytes);
      return;
    }
    const doc = documents.get(path);
    if (doc === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/activity+json" }).end(JSON.stringify(doc));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const host = `${options.hostname ?? "127.0.0.1"}:${port}`;
  const origin = `http://${host}`;
  return {
    origin,
    host,
    deliveries: () => deliveries,
    received: () => [...bodies],
    serve(path, doc) {
      documents.set(path, doc);
      return new URL(path, origin).href;
    },
    file(path, bytes, contentType) {
      files.set(path, { bytes, contentType });
      return new URL(path, origin).href;
    },
    fetches: (path) => fetched.get(path) ?? 0,
    async actor(name, actorOptions = {}) {
      const pair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
      const id = new URL(`/users/${name}`, origin);
      const keyId = new URL(`${id.href}#main-key`);
      const person = new Person({
        id,
        preferredUsername: name,
        inbox: new URL(`${id.href}/inbox`),
        endpoints: new Endpoints({
          sharedInbox: new URL(actorOptions.sharedInbox ?? "/inbox", origin),
        }),
        followers: new URL(`${id.href}/followers`),
        publicKey: new CryptographicKey({ id: keyId, owner: id, publicKey: pair.publicKey }),
        name: actorOptions.displayName ?? null,
        tags: (actorOptions.emojis ?? []).map(
          (e) =>
            new Emoji({
              id: new URL(`/emojis/${e.shortcode}`, origin),
              name: `:${e.shortcode}:`,
              icon: new Image({ url: new URL(e.url), mediaType: "image/png" }),
            }),
        ),
      });
      documents.set(id.pathname, await person.toJsonLd({ format: "compact" }));
      return { id, keyId, privateKey: pair.privateKey };
    },
    async deliver(inbox, body, signer) {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      let request = new Request(inbox, {
        method: "POST",
        headers: {
          "Content-Type": "application/activity+json",
          Accept: "application/activity+json",
        },
        body: text,
      });
      if (signer !== null) request = await signRequest(request, signer.privateKey, signer.keyId);
      return fetch(request);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
