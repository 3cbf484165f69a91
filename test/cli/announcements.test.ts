// The announcement commands through the real CLI process: add (with a period), list, remove, and
// the refusals (bad dates, an end before the start, an unknown id).
import { afterAll, describe, expect, it } from "vitest";
import { newStoreVariables, tempDir } from "../helpers/instance.ts";
import { runScript } from "../helpers/process.ts";

const dir = tempDir();
// On the run's store: a database of its own when the suite runs on PostgreSQL.
const env = newStoreVariables(dir.path);
const cli = (...args: string[]) => runScript("src/cli/main.ts", args, env);
afterAll(() => dir.remove());

describe("admin CLI: announcements", () => {
  it("adds, lists and removes announcements", async () => {
    const added = await cli(
      "announcement",
      "add",
      "Server upgrade on Sunday",
      "--starts-at",
      "2099-06-01",
      "--ends-at",
      "2099-06-02",
      "--all-day",
    );
    expect(added.code).toBe(0);
    const id = /Published announcement (\d+)/.exec(added.stdout)?.[1];
    expect(id).toBeDefined();
    expect((await cli("announcement", "add", "Welcome!")).code).toBe(0);
    const list = await cli("announcement", "list");
    expect(list.stdout).toContain(
      `${id}\tcurrent\t2099-06-01T00:00:00.000Z → 2099-06-02T00:00:00.000Z (all day)\tServer upgrade on Sunday`,
    );
    expect(list.stdout).toMatch(/\tcurrent\t- → -\tWelcome!/);
    const removed = await cli("announcement", "remove", id!);
    expect(removed.stdout).toContain(`Removed announcement ${id}`);
    expect((await cli("announcement", "list")).stdout).not.toContain("Server upgrade");
  }, 120_000);

  it("refuses bad dates and an unknown id", async () => {
    const badDate = await cli("announcement", "add", "Hi", "--ends-at", "tomorrow");
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain("--ends-at must be a date");
    const backwards = await cli(
      "announcement",
      "add",
      "Hi",
      "--starts-at",
      "2099-01-02",
      "--ends-at",
      "2099-01-01",
    );
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toContain("The end must come after the start");
    const unknown = await cli("announcement", "remove", "42");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("There is no announcement 42");
    expect((await cli("announcement", "add")).code).toBe(2);
  }, 120_000);
});
