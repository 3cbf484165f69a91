// Local users made the way an operator makes them: `user create` and `token create` of the real admin
// CLI, as child processes, on whatever store `env` names (DATA_DIR's SQLite file or DATABASE_URL). A test
// that runs an instance as child processes needs no store of its own open to get an account and a token.
import { expect } from "vitest";
import { runScript } from "./process.ts";

export async function cliUser(
  env: Record<string, string>,
  username: string,
): Promise<{ token: string }> {
  const created = await runScript(
    "src/cli/main.ts",
    ["user", "create", username, "--password", "a long enough password"],
    env,
    60_000,
  );
  expect(created.code, created.stderr).toBe(0);
  const token = await runScript("src/cli/main.ts", ["token", "create", username], env, 60_000);
  expect(token.code, token.stderr).toBe(0);
  // The token is the last line printed.
  return { token: token.stdout.trim().split("\n").at(-1)! };
}
