import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import { closeStore, openStore } from "../../src/db/dialect.ts";
import { newId } from "../../src/db/ids.ts";
import { generationSpending } from "../../src/db/schema/index.ts";
import { newStoreVariables, tempDir, testConfig } from "../helpers/instance.ts";
import { runScript } from "../helpers/process.ts";

const dir = tempDir();
// On the run's store: a database of its own when the suite runs on PostgreSQL.
const store = newStoreVariables(dir.path);
const env = { ...store, GENERATION_MONTHLY_BUDGET_USD: "20", LOG_LEVEL: "error" };
afterAll(() => dir.remove());

/** Runs the CLI in this process (same code as the bin, without a Node start per call). */
async function cli(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    env,
    out: (line) => {
      stdout += `${line}\n`;
    },
    err: (line) => {
      stderr += `${line}\n`;
    },
  });
  return { code, stdout, stderr };
}

describe("admin CLI: blocked terms, spending and media", () => {
  it("adds, lists and removes blocked terms, with clear refusals", async () => {
    const added = await cli("blocked-term", "add", "Real", "Person", "--reason", "no deepfakes");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Blocked "real person" (no deepfakes).');
    expect((await cli("blocked-term", "list")).stdout).toMatch(/real person\s+no deepfakes/);
    const duplicate = await cli("blocked-term", "add", "REAL PERSON");
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('"real person" is already blocked');
    expect((await cli("blocked-term", "remove", "real person")).code).toBe(0);
    expect((await cli("blocked-term", "list")).stdout).toContain("No blocked terms.");
    const missing = await cli("blocked-term", "remove", "real person");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('"real person" is not a blocked term');
    expect((await cli("blocked-term", "add")).code).toBe(2);
  });

  it("reports spending by month and model against the budget", async () => {
    const db = await openStore(testConfig(store));
    await db.insert(generationSpending).values([
      {
        id: newId(),
        provider: "openai",
        model: "gpt-image-1",
        size: "1024x1024",
        quality: "high",
        images: 3,
        costMicros: 501_000,
      },
      {
        id: newId(),
        provider: "openai",
        model: "my-proxy-model",
        size: "1024x1024",
        quality: "auto",
        images: 2,
        costMicros: 0,
        priced: false,
      },
    ]);
    await closeStore(db);
    const report = await cli("spending", "report");
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("This month: $0.50 of a $20.00 budget");
    expect(report.stdout).toMatch(/openai\/gpt-image-1\s+3\s+\$0\.50/);
    expect(report.stdout).toMatch(/openai\/my-proxy-model\s+2\s+\$0\.00\s+\(2 without a price/);
    expect((await cli("spending", "report", "--since", "yesterday")).code).toBe(2);
    expect((await cli("media", "prune", "--days", "soon")).code).toBe(2);
    expect((await cli("media", "prune")).stdout).toContain(
      "Removed 0 unposted image(s), 0 unused link preview(s) and 0 unused file(s).",
    );
  });

  it("works through the real entry point as a child process", async () => {
    const result = await runScript("src/cli/main.ts", ["blocked-term", "add", "gore"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Blocked "gore".');
  }, 60_000);
});
