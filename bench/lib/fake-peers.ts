// Fake remote servers for the federation benchmarks, on loopback: actors with RSA keys served as
// ActivityStreams documents, a tiny image for their attachments, and signing of deliveries as them
// (draft-cavage with a Digest, as Mastodon does).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { CryptographicKey, Endpoints, Person } from "@fedify/vocab";
import sharp from "sharp";

export interface PeerActor {
  id: string;
  keyId: string;
  username: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export interface FakePeer {
  origin: string;
  host: string;
  actors: PeerActor[];
  imageUrl: string;
  /** POSTs an activity to `inbox`, signed as `actor`. */
  deliver(inbox: string, activity: unknown, actor: PeerActor): Promise<Response>;
  close(): Promise<void>;
}

export async function startFakePeer(actorCount: number): Promise<FakePeer> {
  const documents = new Map<string, string>();
  const png = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 90, b: 40 } },
  })
    .png()
    .toBuffer();
  const server: Server = createServer((req, res) => {
    if (req.method === "POST") {
      req.resume();
      res.writeHead(202).end();
      return;
    }
    if (req.url?.startsWith("/media/")) {
      res.writeHead(200, { "Content-Type": "image/png" }).end(png);
      return;
    }
    const doc = documents.get(req.url ?? "");
    if (doc === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/activity+json" }).end(doc);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const actors: PeerActor[] = [];
  for (let i = 0; i < actorCount; i++) {
    const username = `peer${i}`;
    const pair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const id = new URL(`/users/${username}`, origin);
    const keyId = new URL(`${id.href}#main-key`);
    const person = new Person({
      id,
      preferredUsername: username,
      inbox: new URL(`${id.href}/inbox`),
      endpoints: new Endpoints({ sharedInbox: new URL("/inbox", origin) }),
      followers: new URL(`${id.href}/followers`),
      publicKey: new CryptographicKey({ id: keyId, owner: id, publicKey: pair.publicKey }),
    });
    documents.set(id.pathname, JSON.stringify(await person.toJsonLd({ format: "compact" })));
    actors.push({
      id: id.href,
      keyId: keyId.href,
      username,
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
    });
  }
  return {
    origin,
    host: `127.0.0.1:${port}`,
    actors,
    imageUrl: `${origin}/media/image.png`,
    async deliver(inbox, activity, actor) {
      const request = new Request(inbox, {
        method: "POST",
        headers: { "Content-Type": "application/activity+json" },
        body: JSON.stringify(activity),
      });
      return fetch(await signRequest(request, actor.privateKey, new URL(actor.keyId)));
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
