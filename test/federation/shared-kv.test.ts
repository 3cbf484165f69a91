// One conformance suite for Fedify's KvStore on SQLite, PostgreSQL and Redis (real servers on loopback):
// TTLs, prefixes, compare-and-swap (also between two stores on their own connections, as two processes).
import { Temporal } from "@js-temporal/polyfill";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  backends,
  type Store,
  sleep,
  startStoreServers,
  stopStoreServers,
} from "../helpers/shared-stores.ts";

beforeAll(startStoreServers, 60_000);
afterAll(stopStoreServers);

for (const backend of backends) {
  describe(`${backend.name} KvStore`, () => {
    let store: Store;
    afterEach(async () => {
      await store?.close();
    });

    it("forgets kv entries at their TTL, lists by prefix, compares-and-swaps and deletes", async () => {
      store = await backend.fresh();
      const kv = await store.kv();
      await kv.set(["a", "b%_*["], { n: 1 });
      await kv.set(["a", "c"], 2);
      await kv.set(["ab"], 3);
      await kv.set(["a", "gone"], 4, { ttl: Temporal.Duration.from({ milliseconds: 30 }) });
      await kv.set(["a", "kept"], 5, { ttl: Temporal.Duration.from({ hours: 1 }) });
      // Read before its TTL only through "kept" (an hour): how long set-then-get takes is the machine's.
      expect(await kv.get(["a", "kept"])).toBe(5);
      await sleep(60);
      expect(await kv.get(["a", "gone"])).toBeUndefined();
      expect(await kv.get(["a", "b%_*["])).toEqual({ n: 1 });
      const listed: { key: readonly string[]; value: unknown }[] = [];
      for await (const entry of kv.list(["a"])) listed.push(entry);
      expect(listed.sort((x, y) => x.key.join().localeCompare(y.key.join()))).toEqual([
        { key: ["a", "b%_*["], value: { n: 1 } },
        { key: ["a", "c"], value: 2 },
        { key: ["a", "kept"], value: 5 },
      ]);
      expect(await kv.cas!(["a", "c"], 1, 6)).toBe(false);
      expect(await kv.cas!(["a", "c"], 2, 6)).toBe(true);
      expect(await kv.get(["a", "c"])).toBe(6);
      // An expired entry counts as absent.
      expect(await kv.cas!(["a", "gone"], undefined, 7)).toBe(true);
      expect(await kv.cas!(["a", "gone"], undefined, 8)).toBe(false);
      await kv.delete(["a", "c"]);
      expect(await kv.get(["a", "c"])).toBeUndefined();
    });

    if (!backend.shared) return;

    it("lets one of two processes win a compare-and-swap", async () => {
      store = await backend.fresh();
      const [one, two] = [await store.kv(), await store.kv()];
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).cas!(["lock"], undefined, i)),
      );
      expect(created.filter(Boolean)).toHaveLength(1);
      const winner = await one.get(["lock"]);
      const swapped = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).cas!(["lock"], winner, 100 + i)),
      );
      expect(swapped.filter(Boolean)).toHaveLength(1);
    });
  });
}
