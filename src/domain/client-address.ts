// Who a request comes from, behind reverse proxies: the TCP peer, unless the peer is one of the trusted
// proxies (TRUSTED_PROXIES), in which case the client is read from X-Forwarded-For. Per-address limits
// (API rate limit, sign-in throttle, streaming caps) and the sessions' recorded address use this, so a
// proxy in front of the server does not put every visitor in one bucket, and a client that talks to the
// server directly cannot choose its address by sending the header.
import { BlockList, isIPv4, isIPv6 } from "node:net";

/** Whether an address belongs to a trusted proxy. */
export interface ProxyMatcher {
  trusts(address: string): boolean;
}

const matchers = new WeakMap<readonly string[], ProxyMatcher>();

/** A matcher for Config.trustedProxies (normalized CIDRs), built once per list. */
export function proxyMatcher(cidrs: readonly string[]): ProxyMatcher {
  let matcher = matchers.get(cidrs);
  if (matcher === undefined) {
    const list = new BlockList();
    for (const cidr of cidrs) {
      const [network = "", prefix = ""] = cidr.split("/");
      list.addSubnet(network, Number(prefix), isIPv4(network) ? "ipv4" : "ipv6");
    }
    matcher = {
      trusts(address) {
        const ip = normalizeAddress(address);
        if (ip === undefined) return false;
        return list.check(ip, isIPv4(ip) ? "ipv4" : "ipv6");
      },
    };
    matchers.set(cidrs, matcher);
  }
  return matcher;
}

/**
 * An IP address in one spelling: IPv4-mapped IPv6 (`::ffff:192.0.2.1`, what a dual-stack socket reports)
 * as plain IPv4, IPv6 in lowercase without a zone; undefined when it is not an address.
 */
export function normalizeAddress(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(v);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(v)) return v;
  const unzoned = v.replace(/%[\w.-]+$/, "");
  return isIPv6(unzoned) ? unzoned : undefined;
}

/** One X-Forwarded-For entry: a bare address, `[v6]`, `[v6]:port` or `v4:port`; undefined if malformed. */
function forwardedEntry(entry: string): string | undefined {
  const e = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(e);
  if (bracketed) return isIPv6(bracketed[1]!) ? normalizeAddress(bracketed[1]!) : undefined;
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(e);
  return normalizeAddress(withPort ? withPort[1]! : e);
}

/**
 * The client's address from the TCP peer and the X-Forwarded-For header (all its values, comma-joined).
 * Only a trusted peer's header is read. It is walked from the right, since each proxy appends the address
 * it received the request from and only the entries our own proxies appended can be believed: trusted
 * addresses are skipped and the first untrusted one is the client. Should every entry be trusted, the
 * leftmost is the client. A malformed entry reached on the way means the chain cannot be read: the peer
 * is used, so nobody can smuggle an address past the proxies by garbling the header.
 */
export function resolveClientAddress(
  peer: string,
  forwardedFor: string | undefined,
  proxies: ProxyMatcher,
): string {
  const self = normalizeAddress(peer) ?? peer;
  if (forwardedFor === undefined || !proxies.trusts(self)) return self;
  const entries = forwardedFor.split(",");
  let client: string | undefined;
  for (let i = entries.length - 1; i >= 0; i--) {
    const address = forwardedEntry(entries[i]!);
    if (address === undefined) return self;
    client = address;
    if (!proxies.trusts(address)) return address;
  }
  return client ?? self;
}

/**
 * The bucket an address is counted in by per-address limits: the address itself for IPv4, its /64 for
 * IPv6 (one subscriber usually holds a whole /64, so counting single addresses would give one attacker
 * 2^64 buckets; Mastodon's throttles do the same).
 */
export function addressBucket(address: string): string {
  const ip = normalizeAddress(address);
  if (ip === undefined || isIPv4(ip)) return ip ?? address;
  return `${expandIPv6(ip).slice(0, 4).join(":")}::/64`;
}

function expandIPv6(ip: string): string[] {
  // An embedded IPv4 tail (::ffff:0:1.2.3.4 and the like) only affects the last 32 bits, not the /64.
  const [head = "", tail] = ip.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - left.length - right.length;
  return [...left, ...Array(Math.max(0, missing)).fill("0"), ...right].map(
    (g) => g.replace(/^0+(?=.)/, "") || "0",
  );
}
