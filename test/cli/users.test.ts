import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newStoreVariables, tempDir } from "../helpers/instance.ts";
import { runScript } from "../helpers/process.ts";

const dir = tempDir();
// On the run's store: a database of its own when the suite runs on PostgreSQL.
const env = newStoreVariables(dir.path);
const cli = (...args: string[]) => runScript("src/cli/main.ts", args, env);

beforeAll(async () => {
  const created = await cli("user", "create", "alice", "--password", "correct horse", "--admin");
  expect(created.code).toBe(0);
});
afterAll(() => dir.remove());

describe("admin CLI: users", () => {
  it("creates users and lists them with their role", async () => {
    expect((await cli("user", "create", "bob", "--password", "correct horse")).stdout).toContain(
      "Created user @bob@localhost:3000",
    );
    const list = await cli("user", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/alice\s+admin/);
    expect(list.stdout).toMatch(/bob\s+user/);
  });

  it("refuses a duplicate name with exit code 1 and a clear message", async () => {
    const result = await cli("user", "create", "ALICE", "--password", "correct horse");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Username "ALICE" is already taken');
  });

  it("refuses a bad name and a short password", async () => {
    const badName = await cli("user", "create", "no spaces", "--password", "correct horse");
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/Username may contain only/);
    const short = await cli("user", "create", "carol", "--password", "123");
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/too short/);
  });

  it("explains usage mistakes with exit code 2", async () => {
    const noPassword = await cli("user", "create", "dave");
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain("--password is required");
    const unknownFlag = await cli("user", "list", "--verbose");
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/Unknown option '--verbose'/);
    const unknown = await cli("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown command");
  });

  it("changes a password, generating one when none is given", async () => {
    const given = await cli("user", "password", "alice", "--password", "battery staple");
    expect(given.code).toBe(0);
    const generated = await cli("user", "password", "alice");
    expect(generated.stdout).toMatch(/New password for alice: \S{16,}/);
    const missing = await cli("user", "password", "nobody");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No local user named "nobody"');
  });

  it("stops with exit code 2 on a bad configuration", async () => {
    const result = await runScript("src/cli/main.ts", ["user", "list"], { ...env, PORT: "abc" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("PORT");
  });

  it("works through the atelier bin launcher", async () => {
    const result = await runScript("bin/atelier.mjs", ["user", "list"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("alice");
  });
});
