// Many fake instances on loopback for the fan-out benchmark: each listens on its own port (its own host,
// as far as federation is concerned) with a shared inbox that verifies the draft-cavage HTTP signature and
// the Digest of every delivery against the sender's public key, and counts what it received.
import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeInboxes {
  /** Shared inbox URL of instance i. */
  inboxes: string[];
  /** Deliveries accepted (valid signature) per instance. */
  received: number[];
  /** Deliveries refused (missing or bad signature or digest). */
  refused(): number;
  /** Resolves when every instance has received at least one valid delivery. */
  allReached(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

function parseSignature(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/(\w+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

function verifyDelivery(req: IncomingMessage, body: Buffer, key: KeyObject): boolean {
  const header = req.headers.signature;
  if (typeof header !== "string") return false;
  const sig = parseSignature(header);
  if (!sig.headers || !sig.signature) return false;
  const digest = req.headers.digest;
  const expected = `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
  if (typeof digest !== "string" || !digest.split(",").some((d) => d.trim() === expected)) {
    return false;
  }
  const lines = sig.headers.split(" ").map((name) => {
    if (name === "(request-target)")
      return `(request-target): ${req.method?.toLowerCase()} ${req.url}`;
    const value = req.headers[name];
    return `${name}: ${Array.isArray(value) ? value.join(", ") : (value ?? "")}`;
  });
  return verify("sha256", Buffer.from(lines.join("\n")), key, Buffer.from(sig.signature, "base64"));
}

/** Starts `count` fake instances; `publicKeyPem` is the sender's key (fetched once, as a cache would). */
export async function startFakeInboxes(count: number, publicKeyPem: string): Promise<FakeInboxes> {
  const key = createPublicKey(publicKeyPem);
  const received = new Array<number>(count).fill(0);
  let refused = 0;
  let reached = 0;
  let onAllReached: (() => void) | undefined;
  const servers: Server[] = [];
  const inboxes: string[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.method !== "POST" || !verifyDelivery(req, Buffer.concat(chunks), key)) {
          refused++;
          res.writeHead(401).end();
          return;
        }
        received[i] = (received[i] ?? 0) + 1;
        if (received[i] === 1 && ++reached === count) onAllReached?.();
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    servers.push(server);
    inboxes.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`);
  }
  return {
    inboxes,
    received,
    refused: () => refused,
    allReached(timeoutMs) {
      if (reached === count) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        onAllReached = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
    },
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}
