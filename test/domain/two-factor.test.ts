// Two-factor sign-in below the pages: a code confirms the setup, a TOTP code is accepted once, a
// recovery code once, turning it off needs the password and a code, and the sign-in ticket cannot be
// forged, kept past its expiry or used after the password changed.
import { eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { afterEach, describe, expect, it } from "vitest";
import { users } from "../../src/db/schema/index.ts";
import { changeOwnPassword } from "../../src/domain/accounts.ts";
import {
  beginTwoFactorSetup,
  checkSecondFactor,
  confirmTwoFactor,
  disableTwoFactor,
  issueSecondFactorTicket,
  RECOVERY_CODE_COUNT,
  readSecondFactorTicket,
  regenerateRecoveryCodes,
} from "../../src/domain/two-factor.ts";
import { localUser, PASSWORD } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const codeAt = (secret: string, at: Date) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });

async function withTwoFactor(now: Date) {
  i = await createTestInstance();
  const { db, urls } = i.deps;
  const alice = (await localUser({ db, urls }, "alice")).account;
  const setup = await beginTwoFactorSetup(db, alice.id, { issuer: "Atelier", label: "alice" });
  const codes = await confirmTwoFactor(db, alice.id, codeAt(setup.secret, now), now);
  const user = async () =>
    (await db.select().from(users).where(eq(users.accountId, alice.id)).limit(1))[0]!;
  return { db, alice, secret: setup.secret, codes, user };
}

describe("two-factor sign-in", () => {
  it("offers the same secret until a code made with it turns two-factor on", async () => {
    i = await createTestInstance();
    const { db, urls } = i.deps;
    const alice = (await localUser({ db, urls }, "alice")).account;
    const names = { issuer: "Atelier", label: "alice@atelier.test" };
    const first = await beginTwoFactorSetup(db, alice.id, names);
    expect(first.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(first.uri).toMatch(/^otpauth:\/\/totp\/Atelier:alice%40atelier\.test\?/);
    expect(first.uri).toContain(`secret=${first.secret}`);
    expect((await beginTwoFactorSetup(db, alice.id, names)).secret).toBe(first.secret);
    const now = new Date();
    await expect(confirmTwoFactor(db, alice.id, "000000", now)).rejects.toThrow(/not right/);
    const codes = await confirmTwoFactor(db, alice.id, codeAt(first.secret, now), now);
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    const row = (await db.select().from(users).where(eq(users.accountId, alice.id)))[0]!;
    expect(row.otpSecret).toBe(first.secret);
    expect(row.otpPendingSecret).toBeNull();
    // Only hashes are stored: no code appears in the row.
    for (const code of codes) expect(row.otpRecoveryCodes).not.toContain(code.replace("-", ""));
    // Once on, the secret is never handed out again.
    await expect(beginTwoFactorSetup(db, alice.id, names)).rejects.toThrow(/already on/);
  });

  it("accepts a TOTP code once, and no older one after a newer", async () => {
    const start = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));
    const { db, alice, secret } = await withTwoFactor(start);
    // The confirming code's step is used up.
    expect(await checkSecondFactor(db, alice.id, codeAt(secret, start), start)).toBe(false);
    const later = new Date(start.getTime() + 60_000);
    const code = codeAt(secret, later);
    const [a, b] = await Promise.all([
      checkSecondFactor(db, alice.id, code, later),
      checkSecondFactor(db, alice.id, code, later),
    ]);
    expect([a, b].sort()).toEqual([false, true]);
    // The previous window's code would still be in the clock-drift window, but is older.
    const before = new Date(later.getTime() - 30_000);
    expect(await checkSecondFactor(db, alice.id, codeAt(secret, before), later)).toBe(false);
    const next = new Date(later.getTime() + 30_000);
    expect(await checkSecondFactor(db, alice.id, ` ${codeAt(secret, next)} `, next)).toBe(true);
    expect(await checkSecondFactor(db, alice.id, "123", next)).toBe(false);
  });

  it("uses up a recovery code, and new codes replace every old one", async () => {
    const now = new Date();
    const { db, alice, secret, codes, user } = await withTwoFactor(now);
    expect(await checkSecondFactor(db, alice.id, codes[3]!.toUpperCase(), now)).toBe(true);
    expect(await checkSecondFactor(db, alice.id, codes[3]!, now)).toBe(false);
    expect((await user()).otpRecoveryCodes.split(" ")).toHaveLength(RECOVERY_CODE_COUNT - 1);
    const later = new Date(now.getTime() + 60_000);
    await expect(regenerateRecoveryCodes(db, alice.id, "nope", later)).rejects.toThrow(/not right/);
    const fresh = await regenerateRecoveryCodes(db, alice.id, codeAt(secret, later), later);
    expect(fresh).toHaveLength(RECOVERY_CODE_COUNT);
    expect(await checkSecondFactor(db, alice.id, codes[4]!, later)).toBe(false);
    expect(await checkSecondFactor(db, alice.id, fresh[0]!, later)).toBe(true);
  });

  it("turns off only with the password and a code", async () => {
    const now = new Date();
    const { db, alice, secret, codes, user } = await withTwoFactor(now);
    const later = new Date(now.getTime() + 60_000);
    await expect(
      disableTwoFactor(db, alice.id, { password: "wrong", code: codeAt(secret, later) }, later),
    ).rejects.toThrow(/password is not right/);
    await expect(
      disableTwoFactor(db, alice.id, { password: PASSWORD, code: "000000" }, later),
    ).rejects.toThrow(/code is not right/);
    expect((await user()).otpSecret).toBe(secret);
    await disableTwoFactor(db, alice.id, { password: PASSWORD, code: codes[0]! }, later);
    const row = await user();
    expect([row.otpSecret, row.otpEnabledAt, row.otpRecoveryCodes]).toEqual([null, null, ""]);
    expect(await checkSecondFactor(db, alice.id, codes[1]!, later)).toBe(false);
  });

  it("honours a sign-in ticket only unforged, unexpired and for the current password", async () => {
    const now = new Date();
    const { db, alice, user } = await withTwoFactor(now);
    const ticket = issueSecondFactorTicket(await user(), now);
    expect(await readSecondFactorTicket(db, ticket, now)).toEqual({
      accountId: alice.id,
      username: "alice",
    });
    const [id, expiry, mac] = ticket.split(".");
    const extended = `${id}.${Number(expiry) + 3_600_000}.${mac}`;
    expect(await readSecondFactorTicket(db, extended, now)).toBeNull();
    // A mac of the right length with a character wider in UTF-8 is refused, not a crash.
    const wide = `${id}.${expiry}.é${mac!.slice(1)}`;
    expect(await readSecondFactorTicket(db, wide, now)).toBeNull();
    expect(await readSecondFactorTicket(db, ticket, new Date(now.getTime() + 6 * 60_000))).toBe(
      null,
    );
    await changeOwnPassword(db, alice.id, {
      current: PASSWORD,
      password: "another long password",
      keepSessionHash: "",
    });
    expect(await readSecondFactorTicket(db, ticket, now)).toBeNull();
  });
});
