import { Redis } from "ioredis";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDatabase, startPostgres, startRedis } from "./servers.ts";

describe("test servers", () => {
  it("start and stop", async () => {
    const p = await startPostgres();
    const url = await createDatabase(p.url, "t1");
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query("select 1 as x");
    await c.end();
    expect(r.rows[0].x).toBe(1);
    await p.stop();
    const rs = await startRedis();
    const cl = new Redis(rs.url);
    await cl.set("a", "b");
    expect(await cl.get("a")).toBe("b");
    cl.disconnect();
    await rs.stop();
  });
});
