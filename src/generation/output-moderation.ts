// Output moderation: every generated image is checked before it becomes a candidate, by the provider's
// image moderation (OpenAI's moderation endpoint) and/or the instance's own hook (GENERATION_OUTPUT_HOOK,
// an executable given the PNG on stdin that prints {"flagged": bool, "categories": [...]}). The verdict is
// stored on the candidate; posting applies the instance's policy to it (domain/output-policy.ts).
import { spawn } from "node:child_process";
import { z } from "zod";
import { logger } from "../logging.ts";
import { GenerationError, type ImageProvider, type ModerationVerdict } from "./provider.ts";

const log = logger("generation", "output-moderation");

export const HOOK_TIMEOUT_MS = 30_000;
/** A verdict is a line of JSON; anything longer is a hook gone wrong, not a verdict. */
export const HOOK_MAX_OUTPUT_BYTES = 64 * 1024;
const HOOK_MAX_CATEGORIES = 20;
const CATEGORY_MAX_LENGTH = 64;

const hookVerdict = z.object({
  flagged: z.boolean(),
  categories: z
    .array(z.string().trim().min(1).max(CATEGORY_MAX_LENGTH))
    .max(HOOK_MAX_CATEGORIES)
    .default([]),
});

// What the user reads when the hook fails: the details (exit code, stderr) are for the administrator's log.
const hookFailure = (cause: unknown) =>
  new GenerationError(
    "provider_error",
    "The instance's image check failed, so the images were not kept; try again, or tell an administrator",
    { cause },
  );

export interface HookLimits {
  timeoutMs?: number;
  maxOutputBytes?: number;
}

/**
 * Runs the moderation hook at `path` (no shell, no arguments) with `png` on its stdin and reads its
 * verdict from stdout. Killed past `timeoutMs` or `maxOutputBytes` of output; a non-zero exit, a kill or
 * output that is not a verdict rejects with a GenerationError, so the job fails instead of passing an
 * unchecked image.
 */
export function runModerationHook(
  path: string,
  png: Buffer,
  signal: AbortSignal,
  limits: HookLimits = {},
): Promise<ModerationVerdict> {
  const timeoutMs = limits.timeoutMs ?? HOOK_TIMEOUT_MS;
  const maxOutputBytes = limits.maxOutputBytes ?? HOOK_MAX_OUTPUT_BYTES;
  return new Promise((resolve, reject) => {
    // Its own process group, so that a kill also ends what a shell script started (a child holding
    // stdout open would otherwise keep the job waiting).
    const child = spawn(path, [], {
      stdio: ["pipe", "pipe", "pipe"],
      shell: false,
      detached: true,
      // Not the server's environment: the hook sees no API key, database URL or mail password.
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        ...(process.env.LANG ? { LANG: process.env.LANG } : {}),
      },
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let problem: string | undefined;
    const stop = (why: string) => {
      problem ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      settle(problem);
    };
    const timer = setTimeout(() => stop(`took longer than ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => stop("was interrupted");
    signal.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => {
      stdoutBytes += chunk.byteLength;
      if (stdoutBytes > maxOutputBytes) stop(`printed more than ${maxOutputBytes} bytes`);
      else stdout.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString("utf8").slice(0, 2000 - stderr.length);
    });
    // A hook may decide without reading the whole image and exit: the broken pipe is not its failure.
    child.stdin.on("error", () => {});
    child.stdin.end(png);
    let settled = false;
    const settle = (error: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      if (error !== undefined) {
        log.error("The output moderation hook {path} {problem}; stderr: {stderr}", {
          path,
          problem: error,
          stderr,
        });
        reject(hookFailure(new Error(`hook ${error}`)));
        return;
      }
      const text = Buffer.concat(stdout).toString("utf8").trim();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const verdict = hookVerdict.safeParse(parsed);
      if (!verdict.success) {
        log.error("The output moderation hook {path} printed no verdict: {output}", {
          path,
          output: text.slice(0, 300),
        });
        reject(hookFailure(new Error("hook printed no verdict")));
        return;
      }
      resolve({
        flagged: verdict.data.flagged,
        categories: verdict.data.flagged ? [...new Set(verdict.data.categories)] : [],
      });
    };
    // Not found, not executable: Node may or may not emit "close" after this, so it settles here.
    child.on("error", (error) => {
      problem ??= `could not be run (${error.message})`;
      settle(problem);
    });
    if (signal.aborted) onAbort();
    child.on("close", (code, killedBy) => {
      if (problem !== undefined) settle(problem);
      else if (code !== 0)
        settle(`exited with ${code === null ? `signal ${killedBy}` : `code ${code}`}`);
      else settle(undefined);
    });
  });
}

/**
 * The verdict on one generated image (PNG): the provider's image moderation when it has one and the hook
 * when one is configured (an administrator who sets a hook wants it run); flagged if either flags it.
 * Undefined when nothing checks images. A failing check rejects: an image is never passed unchecked.
 */
export async function moderateOutput(
  provider: ImageProvider,
  hook: string | undefined,
  png: Buffer,
  signal: AbortSignal,
): Promise<ModerationVerdict | undefined> {
  const verdicts: ModerationVerdict[] = [];
  if (provider.moderateImage !== undefined) {
    verdicts.push(await provider.moderateImage(png, signal));
  }
  if (hook !== undefined) verdicts.push(await runModerationHook(hook, png, signal));
  if (verdicts.length === 0) return undefined;
  const categories = new Set(verdicts.filter((v) => v.flagged).flatMap((v) => v.categories));
  return { flagged: verdicts.some((v) => v.flagged), categories: [...categories] };
}
