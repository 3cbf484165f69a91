// The admin page's dataset exports: started by an administrator, run as a background job with its
// progress in the table (in the one process of ROLE=all, or by the worker when a web process started
// it), downloaded by administrators only.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listDatasetExports } from "../../src/db/queries/datasets.ts";
import { createDeps, type Deps } from "../../src/deps.ts";
import { setDatasetChoices } from "../../src/domain/datasets/choices.ts";
import { localUser, status, webpImage } from "../helpers/factories.ts";
import {
  createTestInstance,
  storeVariables,
  type TestInstance,
  tempDir,
  testConfig,
  testDepsOptions,
} from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An administrator signed in, and a consenting member with one public AI image. */
async function seeded(i: TestInstance) {
  await localUser(i, "ada", { admin: true });
  const { account } = await localUser(i, "alice");
  await setDatasetChoices(
    i.deps.db,
    account.id,
    { consent: true, attribution: "handle" },
    "settings",
  );
  const key = await i.deps.media.store.put(await webpImage({ r: 9, g: 9, b: 9 }, 8, 8), "webp");
  const post = await status(i, account, { images: 1, originalKey: () => key });
  const admin = new PageClient(i.app);
  await admin.signIn("ada");
  return { admin, post, alice: account };
}

function tarNames(bytes: ArrayBuffer): string[] {
  const dir = tempDir("atelier-dataset-download-");
  cleanups.push(dir.remove);
  const file = join(dir.path, "d.tar");
  writeFileSync(file, Buffer.from(bytes));
  return execFileSync("tar", ["-tf", file], { encoding: "utf8" }).trim().split("\n");
}

describe("admin: dataset exports", () => {
  it("runs an export to completion, shows it, and serves the file to administrators only", async () => {
    const i = await createTestInstance();
    cleanups.push(() => i.close());
    const { admin, post } = await seeded(i);
    const csrf = await admin.csrfFrom("/admin/datasets");
    const started = await admin.post("/admin/datasets", { csrf, since: "" });
    expect(started.status).toBe(303);
    expect(started.headers.get("location")).toBe("/admin/datasets?done=started");
    await i.deps.datasetExports.idle();

    const [row] = await listDatasetExports(i.deps.db);
    expect(row).toMatchObject({ state: "succeeded", total: 1, done: 1, users: 1 });
    expect(row!.path).toBe(join(i.config.dataDir, "datasets", `dataset-${row!.id}.tar`));
    const page = await admin.get("/admin/datasets?done=started");
    expect(page.body).toContain("The export has started.");
    expect(page.body).toMatch(/<progress max="1" value="1"/);
    expect(page.body).toContain(`href="/admin/datasets/${row!.id}/download"`);
    const download = await admin.request(`/admin/datasets/${row!.id}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/x-tar");
    expect(tarNames(await download.arrayBuffer())).toEqual([
      `images/${post.id}-0.webp`,
      "metadata.jsonl",
      "README.md",
    ]);

    await localUser(i, "bob");
    const bob = new PageClient(i.app);
    await bob.signIn("bob");
    expect((await bob.get("/admin/datasets")).res.status).toBe(403);
    expect((await bob.request(`/admin/datasets/${row!.id}/download`)).status).toBe(403);
    expect(
      (await new PageClient(i.app).request(`/admin/datasets/${row!.id}/download`)).status,
    ).not.toBe(200);
    expect((await admin.request("/admin/datasets/123/download")).status).toBe(404);
  });

  it("refuses a date that does not exist, and starts nothing", async () => {
    const i = await createTestInstance();
    cleanups.push(() => i.close());
    const { admin } = await seeded(i);
    const csrf = await admin.csrfFrom("/admin/datasets");
    const res = await admin.post("/admin/datasets", { csrf, since: "2026-02-31" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("The start must be a date such as 2026-01-31");
    expect(await listDatasetExports(i.deps.db)).toEqual([]);
  });

  it("is run by the worker when a web process started it", async () => {
    const web = await createTestInstance({ ROLE: "web" });
    cleanups.push(() => web.close());
    const { admin } = await seeded(web);
    const csrf = await admin.csrfFrom("/admin/datasets");
    expect((await admin.post("/admin/datasets", { csrf, since: "2020-01-01" })).status).toBe(303);
    await web.deps.datasetExports.idle();
    // The web process recorded it and runs none of it.
    expect((await listDatasetExports(web.deps.db))[0]).toMatchObject({ state: "queued", done: 0 });

    const worker: Deps = await createDeps(
      testConfig({ ...storeVariables(web.config), ROLE: "worker" }),
      testDepsOptions(),
    );
    cleanups.push(() => worker.close());
    await worker.start();
    const deadline = Date.now() + 20_000;
    let state = "queued";
    while (state !== "succeeded" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await listDatasetExports(web.deps.db))[0]!.state;
    }
    expect(state).toBe("succeeded");
    const page = await admin.get("/admin/datasets");
    expect(page.body).toContain("Done");
    expect(page.body).toMatch(/1 of 1 images/);
  });
});
