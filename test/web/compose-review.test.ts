// The compose page's candidates: each shows its drafted alt text in a field of its own, edited before
// posting, and a candidate flagged by output moderation says so (and cannot be picked under `block`).
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { mediaAttachments } from "../../src/db/schema/index.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance, tempDir } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(env: Record<string, string> = {}) {
  const i: TestInstance = await createTestInstance(env);
  cleanups.push(() => i.close());
  await i.deps.generation.start();
  await localUser(i, "alice");
  const client = new PageClient(i.app);
  await client.signIn("alice");
  const csrf = await client.csrfFrom("/compose");
  return { i, client, csrf };
}

async function generated(client: PageClient, csrf: string, i: TestInstance, prompt: string) {
  const res = await client.post("/compose/generate", { csrf, prompt, size: "256x256", n: "2" });
  expect(res.status).toBe(303);
  const jobPath = res.headers.get("location")!;
  await i.deps.generation.idle();
  const page = await client.get(jobPath);
  const ids = [...page.body.matchAll(/name="media" value="(\d+)"/g)].map((m) => m[1]!);
  return { page, ids, jobId: jobPath.split("/").pop()! };
}

function hook(verdict: string): string {
  const dir = tempDir("atelier-hook-");
  cleanups.push(() => dir.remove());
  const path = join(dir.path, "hook.sh");
  writeFileSync(path, `#!/bin/sh\ncat > /dev/null\necho '${verdict}'\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("compose candidates", () => {
  it("show each drafted description in its own field, and post the edited one", async () => {
    const { i, client, csrf } = await setup();
    const { page, ids, jobId } = await generated(client, csrf, i, "a red kite over dunes");
    expect(ids.length).toBeGreaterThanOrEqual(1);
    for (const id of ids) {
      const row = (
        await i.deps.db.select().from(mediaAttachments).where(eq(mediaAttachments.id, id))
      )[0]!;
      expect(row.description).not.toBe("");
      expect(page.body).toContain(
        `name="alt_${id}" rows="3" maxlength="1500">${row.description}</textarea>`,
      );
    }
    const chosen = ids.at(-1)!;
    const posted = await client.post("/compose/post", {
      csrf,
      job: jobId,
      media: chosen,
      text: "",
      [`alt_${chosen}`]: "A red kite hangs above pale dunes.",
      cw: "",
      visibility: "public",
    });
    expect(posted.status).toBe(303);
    const row = (
      await i.deps.db.select().from(mediaAttachments).where(eq(mediaAttachments.id, chosen))
    )[0]!;
    expect(row.description).toBe("A red kite hangs above pale dunes.");
  });

  it("mark a flagged candidate, which cannot be picked or posted under `block`", async () => {
    const { i, client, csrf } = await setup({
      GENERATION_OUTPUT_HOOK: hook('{"flagged": true, "categories": ["violence"]}'),
      GENERATION_OUTPUT_POLICY: "block",
    });
    const { page, ids, jobId } = await generated(client, csrf, i, "a storm at sea");
    expect(page.body).toContain(
      "Flagged by moderation (violence): this instance does not allow posting it.",
    );
    expect(page.body).toMatch(new RegExp(`value="${ids[0]}" disabled`));
    const posted = await client.post("/compose/post", {
      csrf,
      job: jobId,
      media: ids[0]!,
      text: "",
      cw: "",
      visibility: "public",
    });
    expect(posted.status).toBe(422);
    expect(await posted.text()).toContain("cannot be posted");
  });
});
