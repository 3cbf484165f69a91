import { afterAll, describe, expect, it } from "vitest";
import { newStoreVariables, tempDir } from "../helpers/instance.ts";
import { runScript } from "../helpers/process.ts";

const dir = tempDir();
// On the run's store: a database of its own when the suite runs on PostgreSQL.
const env = newStoreVariables(dir.path);
const cli = (...args: string[]) => runScript("src/cli/main.ts", args, env);
afterAll(() => dir.remove());

describe("admin CLI: domain blocks", () => {
  it("blocks, lists and unblocks hosts with and without a port", async () => {
    const blocked = await cli("domain", "block", "Evil.Example", "--reason", "spam");
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toContain("Blocked evil.example");
    expect((await cli("domain", "block", "localhost:3102")).stdout).toContain(
      "Blocked localhost:3102",
    );
    const list = await cli("domain", "list");
    expect(list.stdout).toMatch(/evil\.example\t.*\tspam/);
    expect(list.stdout).toContain("localhost:3102");
    expect((await cli("domain", "unblock", "evil.example")).stdout).toContain("Unblocked");
    expect((await cli("domain", "list")).stdout).not.toContain("evil.example");
  }, 120_000);

  it("refuses something that is not a host with exit code 1, and a missing host with 2", async () => {
    const bad = await cli("domain", "block", "not a host!");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Not a host name");
    expect((await cli("domain", "block")).code).toBe(2);
  }, 60_000);
});
