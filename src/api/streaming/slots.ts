// How many streaming connections (SSE and WebSocket together) may be open at once per access token and
// per client address. Each holds a socket, a heartbeat timer and a per-event visibility check, so
// without a cap one caller could open thousands and make every event cost thousands of queries.
//
// Mastodon's streaming server documents no fixed number; these defaults leave room for real use (a
// person with several tabs and apps on one token; a household or office behind one address, counted
// per client address behind trusted proxies, an IPv6 /64 as one) and stop a single caller from
// holding the server's sockets.
import { addressBucket } from "../../domain/client-address.ts";

export interface StreamingCaps {
  /** Open streams per access token. */
  perToken: number;
  /** Open streams per client address, with or without a token. */
  perAddress: number;
}

export const defaultStreamingCaps: StreamingCaps = { perToken: 16, perAddress: 64 };

export class StreamingSlots {
  readonly #caps: StreamingCaps;
  readonly #open = new Map<string, number>();

  constructor(caps: Partial<StreamingCaps> = {}) {
    this.#caps = { ...defaultStreamingCaps, ...caps };
  }

  /**
   * Takes a slot for a stream of `tokenId` (null: anonymous) from `address`; returns what frees it
   * (idempotent: call it on every way the stream can end), or undefined when a cap is reached.
   */
  reserve(tokenId: string | null, address: string): (() => void) | undefined {
    const keys = [`ip:${addressBucket(address)}`];
    if (tokenId !== null) keys.push(`token:${tokenId}`);
    const caps = [this.#caps.perAddress, this.#caps.perToken];
    if (keys.some((key, i) => (this.#open.get(key) ?? 0) >= caps[i]!)) return undefined;
    for (const key of keys) this.#open.set(key, (this.#open.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const key of keys) {
        const left = (this.#open.get(key) ?? 1) - 1;
        if (left <= 0) this.#open.delete(key);
        else this.#open.set(key, left);
      }
    };
  }
}
