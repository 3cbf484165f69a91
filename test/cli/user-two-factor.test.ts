// `user two-factor-off`: an administrator turns off the two-factor sign-in of a user who lost their
// authenticator and recovery codes; the password alone signs in again.
import { Secret, TOTP } from "otpauth";
import { afterEach, describe, expect, it } from "vitest";
import { beginTwoFactorSetup, confirmTwoFactor } from "../../src/domain/two-factor.ts";
import { cliOn } from "../helpers/cli-in-process.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

describe("admin CLI: user two-factor-off", () => {
  it("turns two-factor sign-in off, says when it was not on, and names an unknown user", async () => {
    i = await createTestInstance();
    const alice = (await localUser(i, "alice")).account;
    const { secret } = await beginTwoFactorSetup(i.deps.db, alice.id, { issuer: "A", label: "a" });
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
    await confirmTwoFactor(i.deps.db, alice.id, code);
    expect((await new PageClient(i.app).signIn("alice")).status).toBe(200);

    const off = await cliOn(i, "user", "two-factor-off", "alice");
    expect(off.code).toBe(0);
    expect(off.stdout).toContain("Two-factor sign-in is off for @alice");
    expect((await new PageClient(i.app).signIn("alice")).status).toBe(303);
    const again = await cliOn(i, "user", "two-factor-off", "alice");
    expect(again.stdout).toContain("@alice had no two-factor sign-in");
    const unknown = await cliOn(i, "user", "two-factor-off", "nobody");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No local user @nobody");
  });
});
