// Downloads from an untrusted server (an attachment another server sent, a WebFinger answer) with the
// bounds it needs: http(s) only, an expected content type, a byte cap checked against Content-Length and again while
// streaming, one deadline for the whole exchange, few redirects, and — unless private addresses are
// allowed (tests on loopback) — no connection to loopback, private, link-local or other reserved
// addresses, checked on the address actually connected to (so DNS cannot point us inside afterwards).
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

export interface RemoteFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  allowPrivateAddress: boolean;
  userAgent: string;
  /** Redirects followed at most (each one checked like the first URL). */
  maxRedirects?: number;
  /** Cancels the download (shutdown). */
  signal?: AbortSignal;
}

/** What a bounded download answered. */
export interface FetchedImage {
  bytes: Buffer;
  contentType: string;
  /** The URL that answered (after redirects). */
  url: string;
}

/** Why a download was refused or failed; `reason` is short and safe to log. */
export class RemoteFetchError extends Error {
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = "RemoteFetchError";
    this.reason = reason;
  }
}

// Everything a public server never lives at: loopback, private, shared (CGNAT), link-local (cloud
// metadata at 169.254.169.254), documentation, benchmarking, multicast and reserved ranges.
const reserved = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  reserved.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  reserved.addSubnet(net, prefix, "ipv6");
}

/** Whether an IP address is one a public server cannot have (IPv4-mapped IPv6 is checked as IPv4). */
export function isReservedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return reserved.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return reserved.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** A DNS lookup for http(s).request that refuses names resolving to any reserved address. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, found) => {
      const addresses = found as LookupAddress[] | undefined;
      if (error || addresses === undefined || addresses.length === 0) {
        callback(error ?? new Error(`No address for ${hostname}`), "", 0);
        return;
      }
      if (!allowPrivate && addresses.some((a) => isReservedAddress(a.address))) {
        callback(new RemoteFetchError(`${hostname} resolves to a private address`), "", 0);
        return;
      }
      if (options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RemoteFetchError("not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RemoteFetchError(`scheme ${url.protocol} is not fetched`);
  }
  if (url.username || url.password) throw new RemoteFetchError("URL with credentials");
  // An address literal never goes through DNS, so it is checked here.
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && isIP(host) !== 0 && isReservedAddress(host)) {
    throw new RemoteFetchError("private address");
  }
  return url;
}

function get(url: URL, options: RequestOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, options, resolve);
    request.on("error", reject);
    request.end();
  });
}

async function readBounded(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    total += (chunk as Buffer).byteLength;
    // Content-Length may be absent or lie: the cap holds on the bytes actually received.
    if (total > maxBytes) {
      response.destroy();
      throw new RemoteFetchError(`larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Downloads one image, or throws a RemoteFetchError saying why not. */
export function fetchRemoteImage(
  rawUrl: string,
  options: RemoteFetchOptions,
): Promise<FetchedImage> {
  return fetchBounded(rawUrl, {
    ...options,
    accept: "image/*",
    acceptsType: (type) => /^image\/[a-z0-9.+-]+$/i.test(type),
    typeLabel: "an image",
  });
}

/** Downloads one JSON document (application/json or a +json type) with the same bounds. */
export function fetchRemoteJson(
  rawUrl: string,
  options: RemoteFetchOptions & { accept: string },
): Promise<FetchedImage> {
  return fetchBounded(rawUrl, {
    ...options,
    acceptsType: (type) => /^application\/([a-z0-9.-]+\+)?json$/i.test(type),
    typeLabel: "JSON",
  });
}

/** Downloads one HTML page (a link to preview) with the same bounds. */
export function fetchRemoteHtml(
  rawUrl: string,
  options: RemoteFetchOptions,
): Promise<FetchedImage> {
  return fetchBounded(rawUrl, {
    ...options,
    accept: "text/html, application/xhtml+xml;q=0.9",
    acceptsType: (type) => /^(text\/html|application\/xhtml\+xml)$/i.test(type),
    typeLabel: "HTML",
  });
}

/**
 * Downloads one oEmbed answer. Providers send it as application/json, text/json or the
 * application/json+oembed the discovery link names (not a +json suffix type), so all are taken.
 */
export function fetchRemoteOembed(
  rawUrl: string,
  options: RemoteFetchOptions,
): Promise<FetchedImage> {
  return fetchBounded(rawUrl, {
    ...options,
    accept: "application/json+oembed, application/json;q=0.9",
    acceptsType: (type) => /^(application|text)\/(json|json\+oembed)$/i.test(type),
    typeLabel: "oEmbed JSON",
  });
}

async function fetchBounded(
  rawUrl: string,
  options: RemoteFetchOptions & {
    accept: string;
    acceptsType: (contentType: string) => boolean;
    typeLabel: string;
  },
): Promise<FetchedImage> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  let url = checkUrl(rawUrl, options.allowPrivateAddress);
  const lookup = guardedLookup(options.allowPrivateAddress);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await get(url, {
        method: "GET",
        lookup,
        signal,
        headers: { "User-Agent": options.userAgent, Accept: options.accept },
      });
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        if (redirects >= (options.maxRedirects ?? 3))
          throw new RemoteFetchError("too many redirects");
        url = checkUrl(new URL(location, url).href, options.allowPrivateAddress);
        continue;
      }
      if (status !== 200) {
        response.resume();
        throw new RemoteFetchError(`HTTP ${status}`);
      }
      const contentType = (response.headers["content-type"] ?? "").split(";")[0]!.trim();
      if (!options.acceptsType(contentType)) {
        response.destroy();
        throw new RemoteFetchError(
          `content type ${contentType || "(none)"} is not ${options.typeLabel}`,
        );
      }
      const declared = Number(response.headers["content-length"]);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        response.destroy();
        throw new RemoteFetchError(`declares ${declared} bytes, more than ${options.maxBytes}`);
      }
      return { bytes: await readBounded(response, options.maxBytes), contentType, url: url.href };
    }
  } catch (error) {
    if (error instanceof RemoteFetchError) throw error;
    if (deadline.aborted) throw new RemoteFetchError(`timed out after ${options.timeoutMs} ms`);
    if (signal.aborted) throw new RemoteFetchError("cancelled");
    throw new RemoteFetchError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}
