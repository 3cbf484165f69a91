// The instance's own output moderation hook (GENERATION_OUTPUT_HOOK): an executable given each generated
// PNG on stdin that prints {"flagged", "categories"}; bounded in time and output, and failing safely.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { runModerationHook } from "../../src/generation/output-moderation.ts";
import { GenerationError } from "../../src/generation/provider.ts";
import { call, localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance, tempDir } from "../helpers/instance.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function scripts() {
  const dir = tempDir("atelier-hook-");
  cleanups.push(() => dir.remove());
  return (name: string, body: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return { path, dir: dir.path };
  };
}

const png = () =>
  sharp({ create: { width: 16, height: 16, channels: 3, background: "#102030" } })
    .png()
    .toBuffer();
const signal = () => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<GenerationError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GenerationError) return error;
    throw error;
  }
  throw new Error("expected a GenerationError");
}

describe("the output moderation hook", () => {
  it("gets the PNG on stdin and reports its verdict", async () => {
    const script = scripts();
    const hook = script(
      "flag.sh",
      `cat > "$(dirname "$0")/seen.png"\necho '{"flagged": true, "categories": ["gore", "gore"]}'`,
    );
    const image = await png();
    expect(await runModerationHook(hook.path, image, signal())).toEqual({
      flagged: true,
      categories: ["gore"],
    });
    expect(readFileSync(join(hook.dir, "seen.png")).equals(image)).toBe(true);
    const ok = script("ok.sh", `cat > /dev/null\necho '{"flagged": false}'`);
    expect(await runModerationHook(ok.path, image, signal())).toEqual({
      flagged: false,
      categories: [],
    });
  });

  it("fails clearly on a non-zero exit, output that is not a verdict, a missing file", async () => {
    const script = scripts();
    for (const path of [
      script("exit.sh", "cat > /dev/null\necho '{\"flagged\": false}'\nexit 3").path,
      script("garbage.sh", "cat > /dev/null\necho 'looks fine to me'").path,
      script("shape.sh", `cat > /dev/null\necho '{"flagged": "no"}'`).path,
      "/nonexistent/atelier-hook",
    ]) {
      const error = await failure(runModerationHook(path, await png(), signal()));
      expect(error.reason).toBe("provider_error");
      expect(error.message).toMatch(/image check failed/);
    }
  });

  it("is killed past its time and its output limits", async () => {
    const script = scripts();
    // Not exec: the shell's child holds stdout too, and is ended with it.
    const slow = script("slow.sh", "sleep 30\necho '{\"flagged\": false}'");
    const started = performance.now();
    await failure(runModerationHook(slow.path, await png(), signal(), { timeoutMs: 300 }));
    expect(performance.now() - started).toBeLessThan(5000);
    const chatty = script("chatty.sh", "cat > /dev/null\nexec yes");
    const error = await failure(
      runModerationHook(chatty.path, await png(), signal(), { maxOutputBytes: 4096 }),
    );
    expect(error.reason).toBe("provider_error");
  });
});

describe("a local job with the hook", () => {
  async function instanceWithHook(hook: string, policy = "block") {
    const instance: TestInstance = await createTestInstance({
      GENERATION_OUTPUT_HOOK: hook,
      GENERATION_OUTPUT_POLICY: policy,
    });
    cleanups.push(() => instance.close());
    await instance.deps.start();
    const { token } = await localUser(instance, "alice");
    const created = await call(instance, "POST", "/api/v1/atelier/generations", {
      token,
      body: { prompt: "a storm over the sea", n: 2, size: "256x256", seed: 3 },
    });
    await instance.deps.generation.idle();
    const job = (
      await call(instance, "GET", `/api/v1/atelier/generations/${created.json.id}`, { token })
    ).json;
    return { instance, token, job };
  }

  it("stores a flagged verdict that posting then enforces", async () => {
    const script = scripts();
    const hook = script(
      "flag.sh",
      `cat > /dev/null\necho '{"flagged": true, "categories": ["violence"]}'`,
    );
    const { instance, token, job } = await instanceWithHook(hook.path, "sensitive");
    expect(job.error).toBeNull();
    expect(job.state).toBe("succeeded");
    expect(job.moderation.map((m: { flagged: boolean }) => m.flagged)).toEqual([true, true]);
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "storm", media_ids: [job.candidates[0].id] },
    });
    expect(posted.json.sensitive).toBe(true);
    expect(posted.json.spoiler_text).toBe("Flagged by moderation: violence");
  });

  it("fails the job safely, keeping no image, when the hook fails", async () => {
    const script = scripts();
    const hook = script("broken.sh", "cat > /dev/null\necho oops >&2\nexit 1");
    const { job } = await instanceWithHook(hook.path);
    expect(job.state).toBe("failed");
    expect(job.error.code).toBe("provider_error");
    expect(job.error.message).toMatch(/image check failed/);
    expect(job.candidates).toEqual([]);
  });
});
