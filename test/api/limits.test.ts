import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { writeCount } from "../../src/db/client.ts";
import { isPostgres } from "../../src/db/dialect.ts";
import {
  call,
  follow,
  localUser,
  media,
  notify,
  remoteAccount,
  status,
  times,
} from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { authorize } from "./oauth-flow.ts";

let instance: TestInstance;
afterEach(() => instance.close());

/**
 * How many statements `run` executes (prepared ones too: most hot queries are prepared once). Reads
 * are counted on the Statement prototype; statements that may write carry their own wrappers (made at
 * prepare time, see src/db/client.ts), so they are counted by the connection's write counter.
 */
async function countQueries(run: () => Promise<unknown>): Promise<number> {
  if (isPostgres(instance.deps.db)) return await countPostgresQueries(run);
  const proto = Object.getPrototypeOf(instance.deps.db.$client.prepare("select 1")) as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  const methods = ["all", "get", "run", "iterate"] as const;
  const originals = methods.map((m) => proto[m]!);
  let n = 0;
  methods.forEach((m, i) => {
    const original = originals[i]!;
    proto[m] = function (this: unknown, ...args: unknown[]) {
      n++;
      return original.apply(this, args);
    };
  });
  const writesBefore = writeCount(instance.deps.db);
  try {
    await run();
  } finally {
    methods.forEach((m, i) => {
      proto[m] = originals[i]!;
    });
  }
  return n + writeCount(instance.deps.db) - writesBefore;
}

/**
 * The same count on PostgreSQL: every statement reaches the server through pg's Client#query (the
 * pool's own query() borrows a client and calls it), so that is where they are counted.
 */
async function countPostgresQueries(run: () => Promise<unknown>): Promise<number> {
  const proto = pg.Client.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = proto.query!;
  let n = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    n++;
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    proto.query = original;
  }
  return n;
}

describe("API limits and costs", () => {
  it("answers 429 with Mastodon's rate-limit headers once a token used its window", async () => {
    instance = await createTestInstance({ API_RATE_LIMIT: "3" });
    const { token } = await localUser(instance, "alice");
    const first = await call(instance, "GET", "/api/v1/timelines/home", { token });
    expect(first.headers.get("x-ratelimit-limit")).toBe("3");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("2");
    expect(Date.parse(first.headers.get("x-ratelimit-reset")!)).toBeGreaterThan(Date.now());
    await call(instance, "GET", "/api/v1/timelines/home", { token });
    await call(instance, "GET", "/api/v1/timelines/home", { token });
    const limited = await call(instance, "GET", "/api/v1/timelines/home", { token });
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: "Too many requests" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another token has its own window.
    const { token: other } = await localUser(instance, "bob");
    expect((await call(instance, "GET", "/api/v1/timelines/home", { token: other })).status).toBe(
      200,
    );
  });

  it("throttles repeated failed sign-ins on the authorize page", async () => {
    instance = await createTestInstance();
    await localUser(instance, "alice");
    const app = await call(instance, "POST", "/api/v1/apps", {
      form: { client_name: "x", redirect_uris: "urn:ietf:wg:oauth:2.0:oob" },
    });
    const fetcher = (path: string, init?: RequestInit) => instance.app.request(path, init);
    const query = { client_id: app.json.client_id, redirect_uri: "urn:ietf:wg:oauth:2.0:oob" };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await authorize(fetcher, query, { username: "alice", password: `wrong-${i}` });
      statuses.push(r.response.status);
    }
    expect(statuses.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(statuses[5]).toBe(429);
  }, 60_000);

  it("serializes a page with a fixed number of queries, whatever its size (no N+1)", async () => {
    instance = await createTestInstance({ API_RATE_LIMIT: "1000" });
    const { account: alice, token } = await localUser(instance, "alice");
    const authors = await times(
      4,
      async (i) => await remoteAccount(instance, `r${i}`, `r${i}.example`),
    );
    for (const a of authors) await follow(instance, alice, a);
    for (let i = 0; i < 40; i++) {
      const author = authors[i % authors.length]!;
      const s = await status(instance, author, { tags: ["t"], mentions: [alice] });
      await media(instance, author, s.id);
      if (i % 3 === 0)
        await status(instance, authors[(i + 1) % authors.length]!, { reblogOfId: s.id });
      await notify(instance, alice, author, "mention", s.id);
    }
    const small = await countQueries(() =>
      call(instance, "GET", "/api/v1/timelines/home?limit=20", { token }),
    );
    const large = await countQueries(() =>
      call(instance, "GET", "/api/v1/timelines/home?limit=40", { token }),
    );
    expect(large).toBe(small);
    const fewNotifications = await countQueries(() =>
      call(instance, "GET", "/api/v1/notifications?limit=20", { token }),
    );
    const manyNotifications = await countQueries(() =>
      call(instance, "GET", "/api/v1/notifications?limit=40", { token }),
    );
    expect(manyNotifications).toBe(fewNotifications);
    // A page's fixed reads: the token, whether the viewer has exclusive lists and followed tags (which
    // statements home uses), the ids, the statuses, their mentions, authors, media and tags, the viewer's
    // favourites, boosts, bookmarks and mutes among them, and the viewer's filters.
    expect(large).toBeLessThanOrEqual(15);
  });
});
