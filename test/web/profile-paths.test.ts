import { afterEach, describe, expect, it } from "vitest";
import { localUser, remoteAccount } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function instance(): Promise<TestInstance> {
  const i = await createTestInstance();
  cleanups.push(() => i.close());
  return i;
}

describe("profile paths", () => {
  it("finds a remote account whose host has a port, however the path spells the host", async () => {
    const i = await instance();
    await remoteAccount(i, "bob", "127.0.0.1:3102");
    const client = new PageClient(i.app);
    for (const path of ["/@bob@127.0.0.1%3A3102", "/@bob@127.0.0.1:3102", "/@BOB@127.0.0.1:3102"]) {
      const { res, body } = await client.get(path);
      expect(res.status, path).toBe(200);
      expect(body).toContain("bob (remote)");
    }
    expect((await client.get("/@bob@127.0.0.1:3103")).res.status).toBe(404);
  });

  it("finds a local account by its name with or without our domain", async () => {
    const i = await instance();
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    expect((await client.get("/@alice")).res.status).toBe(200);
    expect((await client.get(`/@Alice@${i.deps.config.domain.toUpperCase()}`)).res.status).toBe(
      200,
    );
  });

  it("answers 404, not an error, for paths that are no handle", async () => {
    const i = await instance();
    const client = new PageClient(i.app);
    // "%25" is decoded once by the router into a lone "%", which must not be decoded again.
    for (const path of ["/@a%25b", "/@a%25E0@host", "/@bob@", "/@bob@a@b", "/@@bob"]) {
      expect((await client.get(path)).res.status, path).toBe(404);
    }
  });
});
