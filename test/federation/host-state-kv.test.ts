// The per-host state Fedify reads for every delivery (circuit breaker, signature spec) comes from memory;
// the store stays the truth for compare-and-set, and a delivery's messages keep only the RSA key.
import { type KvKey, type KvStore, MemoryKvStore } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import { HostStateKvStore, hostStatePrefixes } from "../../federation/host-state-kv.ts";
import { withDeliveryKeysOnly } from "../../federation/outbox-queue.ts";

const CAVAGE = "draft-cavage-http-signatures-12";

/** A MemoryKvStore that counts the calls reaching it. */
function countingStore() {
  const inner = new MemoryKvStore();
  const calls = { get: 0, set: 0, list: 0 };
  const store: KvStore = {
    get: (key: KvKey) => {
      calls.get++;
      return inner.get(key);
    },
    set: (key: KvKey, value: unknown) => {
      calls.set++;
      return inner.set(key, value);
    },
    delete: (key: KvKey) => inner.delete(key),
    cas: (key: KvKey, expected: unknown, value: unknown) => inner.cas(key, expected, value),
    list: (prefix?: KvKey) => {
      calls.list++;
      return inner.list(prefix);
    },
  };
  return { inner, store, calls };
}

describe("HostStateKvStore", () => {
  it("answers hosts' circuit states from one read of the prefix, and other keys from the store", async () => {
    const { inner, store, calls } = countingStore();
    await inner.set(["_fedify", "circuit", "down.example"], { state: "open" });
    const kv = new HostStateKvStore(store, { prefixes: hostStatePrefixes(CAVAGE) });
    expect(await kv.get(["_fedify", "circuit", "a.example"])).toBeUndefined();
    expect(await kv.get(["_fedify", "circuit", "b.example"])).toBeUndefined();
    expect(await kv.get(["_fedify", "circuit", "down.example"])).toEqual({ state: "open" });
    expect(calls).toMatchObject({ get: 0, list: 1 });
    await inner.set(["_fedify", "publicKey", "k"], 1);
    expect(await kv.get(["_fedify", "publicKey", "k"])).toBe(1);
    expect(calls.get).toBe(1);
  });

  it("writes through, and a failed compare-and-set re-reads the key another worker changed", async () => {
    const { inner, store } = countingStore();
    const kv = new HostStateKvStore(store, { prefixes: hostStatePrefixes(CAVAGE) });
    const key: KvKey = ["_fedify", "circuit", "a.example"];
    expect(await kv.get(key)).toBeUndefined();
    expect(await kv.cas?.(key, undefined, { state: "closed", failures: ["t1"] })).toBe(true);
    expect(await inner.get(key)).toEqual({ state: "closed", failures: ["t1"] });
    // Another worker opens the circuit: this copy still says closed, so the swap fails, and the key is
    // read again for the circuit breaker's next attempt.
    await inner.set(key, { state: "open" });
    expect(await kv.get(key)).toEqual({ state: "closed", failures: ["t1"] });
    expect(await kv.cas?.(key, { state: "closed", failures: ["t1"] }, undefined)).toBe(false);
    expect(await kv.get(key)).toEqual({ state: "open" });
    await kv.delete(key);
    expect(await kv.get(key)).toBeUndefined();
    expect(await inner.get(key)).toBeUndefined();
  });

  it("sees another worker's changes after the refresh interval", async () => {
    const { inner, store } = countingStore();
    let now = 0;
    const kv = new HostStateKvStore(store, {
      prefixes: hostStatePrefixes(CAVAGE),
      refreshMs: 1000,
      now: () => now,
    });
    const key: KvKey = ["_fedify", "circuit", "a.example"];
    expect(await kv.get(key)).toBeUndefined();
    await inner.set(key, { state: "open" });
    now = 999;
    expect(await kv.get(key)).toBeUndefined();
    now = 1000;
    // The stale copy answers while the new one is read; the next read has it.
    await kv.get(key);
    await new Promise((r) => setTimeout(r, 0));
    expect(await kv.get(key)).toEqual({ state: "open" });
  });

  it("does not write a spec that changes no answer: the one held, or the first knock's when none is", async () => {
    const { inner, store, calls } = countingStore();
    const kv = new HostStateKvStore(store, { prefixes: hostStatePrefixes(CAVAGE) });
    const key: KvKey = ["_fedify", "httpMessageSignaturesSpec", "https://a.example"];
    await kv.set(key, CAVAGE);
    expect(calls.set).toBe(0);
    expect(await inner.get(key)).toBeUndefined();
    await kv.set(key, "rfc9421");
    await kv.set(key, "rfc9421");
    expect(calls.set).toBe(1);
    expect(await kv.get(key)).toBe("rfc9421");
    await kv.set(key, CAVAGE);
    expect(await inner.get(key)).toBe(CAVAGE);
  });
});

describe("withDeliveryKeysOnly", () => {
  const rsa = { keyId: "https://l.example/users/a#main-key", privateKey: { kty: "RSA", d: "x" } };
  const ed = { keyId: "https://l.example/users/a#ed25519-key", privateKey: { kty: "OKP", d: "y" } };

  it("keeps only the RSA key of a delivery, and both keys of a fan-out", () => {
    const outbox = { type: "outbox", inbox: "https://r.example/inbox", keys: [rsa, ed] };
    expect(withDeliveryKeysOnly(outbox)).toEqual({ ...outbox, keys: [rsa] });
    const fanout = { type: "fanout", keys: [rsa, ed] };
    expect(withDeliveryKeysOnly(fanout)).toBe(fanout);
  });

  it("leaves a delivery without an RSA key as it is", () => {
    const outbox = { type: "outbox", keys: [ed] };
    expect(withDeliveryKeysOnly(outbox)).toBe(outbox);
  });
});
