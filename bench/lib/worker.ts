// Runs a benchmark worker (bench/workers/*.ts) as a child process of its own, with only the given
// environment, and answers the JSON it prints as its last line.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { root } from "./instance.ts";

export function runWorker<T>(
  script: string,
  args: string[],
  options: { env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), join(root, "bench/workers", script), ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? "", ...options.env } },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as T);
    });
  });
}
