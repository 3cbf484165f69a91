// Runs the admin CLI in this process against a test instance's store (its DATA_DIR, and its
// DATABASE_URL on PostgreSQL), collecting what it prints.
import { runCli } from "../../src/cli/main.ts";
import { storeVariables, type TestInstance } from "./instance.ts";

export async function cliOn(
  instance: Pick<TestInstance, "config">,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { ...storeVariables(instance.config), LOG_LEVEL: "error" },
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
