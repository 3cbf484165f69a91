import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { closeStore } from "../../src/db/dialect.ts";
import { newId } from "../../src/db/ids.ts";
import { accounts } from "../../src/db/schema/index.ts";
import {
  findAccountByHandle,
  isLocalHandle,
  normalizeHost,
  parseHandle,
} from "../../src/domain/handles.ts";
import { remoteAccount } from "../helpers/factories.ts";
import { openTestStore } from "../helpers/store.ts";

describe("parseHandle", () => {
  it("reads a local handle with or without the leading @", () => {
    expect(parseHandle("alice")).toEqual({ username: "alice", host: null });
    expect(parseHandle("@alice")).toEqual({ username: "alice", host: null });
    expect(parseHandle("  @alice \n")).toEqual({ username: "alice", host: null });
  });

  it("reads a remote handle, keeping the username's case and lowering the host's", () => {
    expect(parseHandle("@Bob@Mastodon.Example")).toEqual({
      username: "Bob",
      host: "mastodon.example",
    });
    expect(parseHandle("bob@mastodon.example")).toEqual({
      username: "bob",
      host: "mastodon.example",
    });
  });

  it("keeps the port of a host, as several instances on one machine differ only by it", () => {
    expect(parseHandle("bob@127.0.0.1:3102")).toEqual({ username: "bob", host: "127.0.0.1:3102" });
    expect(parseHandle("@bob@LocalHost:03102")).toEqual({
      username: "bob",
      host: "localhost:3102",
    });
    expect(parseHandle("bob@[::1]:3102")).toEqual({ username: "bob", host: "[::1]:3102" });
  });

  it("writes an international host in punycode, as a URL's host is stored", () => {
    expect(parseHandle("bob@Bücher.example")?.host).toBe("xn--bcher-kva.example");
  });

  it.each([
    ["", "empty"],
    ["@", "a lone @"],
    ["@@bob", "two leading @"],
    ["bob@", "an empty host"],
    ["@bob@", "an empty host after a leading @"],
    ["a@b@c", "three parts"],
    ["bob@host:", "an empty port"],
    ["bob@host:0", "port 0"],
    ["bob@host:65536", "a port past 65535"],
    ["bob@host:123456", "a port of six digits"],
    ["bob@exa mple.com", "a space in the host"],
    ["bob@a..b", "an empty label"],
    ["bob@-a.example", "a label starting with a dash"],
    ["bob@999.1.1.1", "an IPv4 address out of range"],
    ["b ob@host", "a space in the username"],
    ["https://mastodon.example/@bob", "a URL"],
    ["bob@host/path", "a path"],
    ["bob@host?x", "a query"],
    ["bob@host#x", "a fragment"],
    ["bob@ho%41st", "a percent-encoded host"],
    [`${"a".repeat(101)}@host`, "a username over 100 characters"],
    [`bob@${"a".repeat(300)}.example`, "a host over 260 characters"],
  ])("refuses %j (%s)", (text) => {
    expect(parseHandle(text)).toBeNull();
  });
});

describe("normalizeHost and isLocalHandle", () => {
  it("normalizes a host like our configured domain, so either spelling counts as local", () => {
    expect(normalizeHost("Atelier.Example:443")).toBe("atelier.example:443");
    expect(isLocalHandle(parseHandle("@alice@ATELIER.example")!, "atelier.example")).toBe(true);
    expect(isLocalHandle(parseHandle("alice")!, "atelier.example")).toBe(true);
    expect(isLocalHandle(parseHandle("alice@127.0.0.1:3101")!, "127.0.0.1:3101")).toBe(true);
    expect(isLocalHandle(parseHandle("alice@127.0.0.1:3102")!, "127.0.0.1:3101")).toBe(false);
  });
});

describe("findAccountByHandle", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function db() {
    const d = await openTestStore();
    cleanups.push(() => closeStore(d));
    await d.insert(accounts).values({
      id: newId(),
      username: "Alice",
      domain: null,
      iri: "https://atelier.example/users/alice",
    });
    await remoteAccount(d, "bob", "mastodon.example");
    await remoteAccount(d, "bob", "127.0.0.1:3102");
    return d;
  }

  it("finds a local account by any spelling of its handle", async () => {
    const d = await db();
    for (const handle of ["alice", "@ALICE", "@alice@atelier.example", "alice@Atelier.Example"]) {
      expect((await findAccountByHandle(d, handle, "atelier.example"))?.username).toBe("Alice");
    }
  });

  it("tells remote accounts apart by host, port included, case-insensitively", async () => {
    const d = await db();
    expect((await findAccountByHandle(d, "@Bob@MASTODON.example", "atelier.example"))?.domain).toBe(
      "mastodon.example",
    );
    expect((await findAccountByHandle(d, "bob@127.0.0.1:3102", "atelier.example"))?.domain).toBe(
      "127.0.0.1:3102",
    );
    expect(await findAccountByHandle(d, "bob@127.0.0.1:3103", "atelier.example")).toBeUndefined();
    expect(await findAccountByHandle(d, "bob@127.0.0.1", "atelier.example")).toBeUndefined();
    // A remote username is not a local account.
    expect(await findAccountByHandle(d, "bob", "atelier.example")).toBeUndefined();
  });

  it("takes an already parsed handle", async () => {
    const d = await db();
    const handle = parseHandle("@bob@mastodon.example")!;
    expect((await findAccountByHandle(d, handle, "atelier.example"))?.domain).toBe(
      "mastodon.example",
    );
  });

  it("finds neither a suspended account nor anything for text that is not a handle", async () => {
    const d = await db();
    await d
      .update(accounts)
      .set({ suspendedAt: new Date() })
      .where(eq(accounts.domain, "mastodon.example"));
    expect(await findAccountByHandle(d, "bob@mastodon.example", "atelier.example")).toBeUndefined();
    expect(await findAccountByHandle(d, "alice@", "atelier.example")).toBeUndefined();
    expect(await findAccountByHandle(d, "a@b@c", "atelier.example")).toBeUndefined();
  });
});
