import { webcrypto } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { closeStore } from "../../src/db/dialect.ts";
import { actorKeys, users } from "../../src/db/schema/index.ts";
import {
  createLocalUser,
  ensureFirstAdmin,
  listLocalUsers,
  setUserPassword,
} from "../../src/domain/accounts.ts";
import { localUrls } from "../../src/domain/local-urls.ts";
import { verifyPassword } from "../../src/domain/passwords.ts";
import { AppError } from "../../src/errors.ts";
import { openTestStore } from "../helpers/store.ts";

const urls = localUrls("https://atelier.example");
let db: Database;
beforeEach(async () => {
  db = await openTestStore();
});
afterEach(() => closeStore(db));

describe("local accounts", () => {
  it("creates a full actor with its URLs, both key pairs and a hashed password", async () => {
    const { account, user } = await createLocalUser(db, urls, {
      username: "Alice",
      password: "correct horse",
      admin: true,
    });
    expect(account.domain).toBeNull();
    expect(account.iri).toBe("https://atelier.example/users/Alice");
    expect(account.url).toBe("https://atelier.example/@Alice");
    expect(account.inboxUrl).toBe("https://atelier.example/users/Alice/inbox");
    expect(account.sharedInboxUrl).toBe("https://atelier.example/inbox");
    expect(user.admin).toBe(true);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword("correct horse", user.passwordHash)).toBe(true);
    expect(await verifyPassword("wrong horse", user.passwordHash)).toBe(false);

    const keys = await db.select().from(actorKeys).where(eq(actorKeys.accountId, account.id));
    expect(keys.map((k) => k.algorithm).sort()).toEqual(["Ed25519", "RSASSA-PKCS1-v1_5"]);
    for (const k of keys) {
      const algorithm =
        k.algorithm === "Ed25519" ? "Ed25519" : { name: k.algorithm, hash: "SHA-256" };
      const priv = await webcrypto.subtle.importKey("jwk", k.privateKeyJwk, algorithm, false, [
        "sign",
      ]);
      const pub = await webcrypto.subtle.importKey("jwk", k.publicKeyJwk, algorithm, false, [
        "verify",
      ]);
      const data = new TextEncoder().encode("hello");
      const signature = await webcrypto.subtle.sign(algorithm, priv, data);
      expect(await webcrypto.subtle.verify(algorithm, pub, signature, data)).toBe(true);
    }
  });

  it("refuses a taken name whatever its case, and bad names and short passwords", async () => {
    await createLocalUser(db, urls, { username: "alice", password: "correct horse" });
    const attempt = (username: string, password = "correct horse") =>
      createLocalUser(db, urls, { username, password });
    await expect(attempt("ALICE")).rejects.toMatchObject({ code: "conflict" });
    await expect(attempt("bad name")).rejects.toMatchObject({ code: "bad_request" });
    await expect(attempt(".dot")).rejects.toMatchObject({ code: "bad_request" });
    await expect(attempt("a".repeat(31))).rejects.toMatchObject({ code: "bad_request" });
    await expect(attempt("postmaster")).rejects.toBeInstanceOf(AppError);
    await expect(attempt("bob", "short")).rejects.toThrow(/at least 8/);
    expect((await listLocalUsers(db)).map((u) => u.username)).toEqual(["alice"]);
  });

  it("changes a password, and says so when the user does not exist", async () => {
    const { account } = await createLocalUser(db, urls, {
      username: "alice",
      password: "correct horse",
    });
    await setUserPassword(db, "ALICE", "battery staple");
    const hash = (await db.select().from(users).where(eq(users.accountId, account.id)).limit(1))[0]!
      .passwordHash;
    expect(await verifyPassword("battery staple", hash)).toBe(true);
    await expect(setUserPassword(db, "nobody", "battery staple")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("creates the first administrator once, on an empty instance only", async () => {
    const first = await ensureFirstAdmin(db, urls);
    expect(first?.username).toBe("admin");
    expect(first?.password.length).toBeGreaterThanOrEqual(16);
    expect(await ensureFirstAdmin(db, urls)).toBeNull();
    const admins = await listLocalUsers(db);
    expect(admins).toHaveLength(1);
    expect(admins[0]?.admin).toBe(true);
  });
});
