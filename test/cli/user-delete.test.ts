import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newStoreVariables, tempDir } from "../helpers/instance.ts";
import { runScript } from "../helpers/process.ts";

const dir = tempDir();
// On the run's store: a database of its own when the suite runs on PostgreSQL.
const env = newStoreVariables(dir.path);
const cli = (...args: string[]) => runScript("src/cli/main.ts", args, env);

beforeAll(async () => {
  expect((await cli("user", "create", "boss", "--password", "correct horse", "--admin")).code).toBe(
    0,
  );
  expect((await cli("user", "create", "erin", "--password", "correct horse")).code).toBe(0);
});
afterAll(() => dir.remove());

describe("admin CLI: user delete", () => {
  it("asks for --yes, then deletes; the name stays taken", async () => {
    const asked = await cli("user", "delete", "erin");
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain("--yes");
    const done = await cli("user", "delete", "erin", "--yes");
    expect(done.code).toBe(0);
    expect(done.stdout).toContain("Deleted @erin");
    expect((await cli("user", "list")).stdout).not.toContain("erin");
    const again = await cli("user", "create", "erin", "--password", "correct horse");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already taken");
  });

  it("refuses to delete the only administrator", async () => {
    const result = await cli("user", "delete", "boss", "--yes");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("only administrator");
  });
});
