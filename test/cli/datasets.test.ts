// `npm run cli -- dataset export --out FILE.tar [--since DATE]`: writes the export a consenting member's
// post goes into; a missing --out, a bad date or a path it cannot write is a clear message and exit code.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { mediaAttachments } from "../../src/db/schema/index.ts";
import { setDatasetChoices } from "../../src/domain/datasets/choices.ts";
import { cliOn } from "../helpers/cli-in-process.ts";
import { AI_SOURCE, localUser, status, webpImage } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance, tempDir } from "../helpers/instance.ts";

let i: TestInstance;
const out = tempDir("atelier-dataset-cli-");
let postId = "";
beforeAll(async () => {
  i = await createTestInstance();
  const { account } = await localUser(i, "alice");
  await setDatasetChoices(
    i.deps.db,
    account.id,
    { consent: true, attribution: "handle" },
    "settings",
  );
  const post = await status(i, account, { createdAt: new Date("2026-03-01T12:00:00Z") });
  postId = post.id;
  const key = await i.deps.media.store.put(await webpImage({ r: 1, g: 2, b: 3 }, 8, 8), "webp");
  await i.deps.db.insert(mediaAttachments).values({
    id: newId(),
    accountId: account.id,
    statusId: post.id,
    originalKey: key,
    provenance: { digitalSourceType: AI_SOURCE, prompt: "a red kite" },
  });
});
afterAll(async () => {
  await i.close();
  out.remove();
});

const entries = (file: string) =>
  execFileSync("tar", ["-tf", file], { encoding: "utf8" }).trim().split("\n");

describe("admin CLI: dataset export", () => {
  it("writes the dataset and says what is in it", async () => {
    const file = join(out.path, "all.tar");
    const result = await cliOn(i, "dataset", "export", "--out", file);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Exported 1 image\(s\) by 1 member\(s\) to .*all\.tar/);
    expect(entries(file)).toEqual([`images/${postId}-0.webp`, "metadata.jsonl", "README.md"]);
  });

  it("takes --since as a date or a time", async () => {
    const after = join(out.path, "after.tar");
    expect(
      (await cliOn(i, "dataset", "export", "--out", after, "--since", "2026-03-02")).code,
    ).toBe(0);
    expect(entries(after)).toEqual(["metadata.jsonl", "README.md"]);
    const before = join(out.path, "before.tar");
    const result = await cliOn(
      i,
      "dataset",
      "export",
      "--out",
      before,
      "--since",
      "2026-03-01T11:00:00Z",
    );
    expect(result.code).toBe(0);
    // The same images and metadata as the whole export; the datasheet names the --since.
    const metadata = (file: string) =>
      execFileSync("tar", ["-xOf", file, "metadata.jsonl"], { encoding: "utf8" });
    expect(metadata(before)).toBe(metadata(join(out.path, "all.tar")));
    expect(metadata(before)).toContain('"prompt":"a red kite"');
    expect(execFileSync("tar", ["-xOf", before, "README.md"], { encoding: "utf8" })).toContain(
      "only posts since 2026-03-01T11:00:00.000Z",
    );
  });

  it("refuses a missing --out or a bad date with exit code 2", async () => {
    const none = await cliOn(i, "dataset", "export");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--out is required.");
    for (const since of ["yesterday", "2026-02-31", "2026-13-01", "2026-02-30T10:00Z"]) {
      const bad = await cliOn(
        i,
        "dataset",
        "export",
        "--out",
        join(out.path, "x.tar"),
        "--since",
        since,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(`--since: The start must be a date such as 2026-01-31`);
    }
    const unknown = await cliOn(i, "dataset", "export", "--out", "x.tar", "--format", "zip");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Usage: atelier dataset export");
  });

  it("refuses a path it cannot write with exit code 1, and leaves nothing behind", async () => {
    const missing = await cliOn(i, "dataset", "export", "--out", join(out.path, "no/such/x.tar"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: Cannot write .*: the folder .* does not exist\./);
    const folder = join(out.path, "a-folder");
    mkdirSync(folder);
    const isFolder = await cliOn(i, "dataset", "export", "--out", folder);
    expect(isFolder.code).toBe(1);
    expect(isFolder.stderr).toContain("is a folder; give the export a file name.");
    if (process.getuid?.() !== 0) {
      const locked = join(out.path, "locked");
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      const refused = await cliOn(i, "dataset", "export", "--out", join(locked, "x.tar"));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("is not writable");
      chmodSync(locked, 0o700);
    }
    expect(execFileSync("ls", ["-A", folder], { encoding: "utf8" })).toBe("");
  });
});
