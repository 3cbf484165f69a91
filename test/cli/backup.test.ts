// `npm run cli -- backup FILE`: a consistent copy taken while the server runs and writes; FILE is never
// overwritten without --force; a bad path is a clear error with exit code 1, a missing one 2.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, tempDir } from "../helpers/instance.ts";
import { runScript, type Started, startScript } from "../helpers/process.ts";

const dir = tempDir();
const out = tempDir("atelier-backup-");
const env = { DATA_DIR: dir.path };
const cli = (...args: string[]) => runScript("src/cli/main.ts", args, env, 60_000);
let server: Started | undefined;
afterAll(async () => {
  if (server !== undefined && server.child.exitCode === null) {
    server.child.kill("SIGTERM");
    await server.exited;
  }
  dir.remove();
  out.remove();
});

const countStatuses = (file: string) => {
  const db = new Sqlite(file, { readonly: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    return db.prepare("select count(*) from statuses").pluck().get() as number;
  } finally {
    db.close();
  }
};

describe("admin CLI: backup", () => {
  it("copies the database consistently while the server runs and writes", async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    server = await startScript(
      "src/main.ts",
      { ...env, PORT: String(port), HOST: "127.0.0.1", ORIGIN: origin, LOG_LEVEL: "info" },
      /listening on/,
      30_000,
    );
    const token = (await cli("token", "create", "admin")).stdout.trim().split("\n").at(-1)!;
    const post = (text: string) =>
      fetch(`${origin}/api/v1/statuses`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ status: text }),
      }).then((r) => expect(r.status).toBe(200));
    for (let i = 0; i < 20; i++) await post(`before ${i}`);
    // The server keeps writing while the backup runs.
    let writing = true;
    const writes = (async () => {
      for (let i = 0; writing; i++) await post(`during ${i}`);
    })();
    const file = join(out.path, "atelier.sqlite");
    const done = await cli("backup", file);
    writing = false;
    await writes;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(
      /^Backed up .* to .*atelier\.sqlite: [\d.]+ (KiB|MiB) in [\d.]+ s\.$/m,
    );
    const copied = countStatuses(file);
    expect(copied).toBeGreaterThanOrEqual(20);
    expect(copied).toBeLessThanOrEqual(countStatuses(join(dir.path, "atelier.sqlite")));
  }, 120_000);

  it("does not overwrite an existing file unless --force", async () => {
    const file = join(out.path, "existing.sqlite");
    writeFileSync(file, "keep me");
    const refused = await cli("backup", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already exists; pass --force");
    expect(readFileSync(file, "utf8")).toBe("keep me");
    const forced = await cli("backup", file, "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(countStatuses(file)).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it("names a bad path clearly with exit code 1, and a missing one with 2", async () => {
    const missingFolder = await cli("backup", join(out.path, "no-such-folder", "b.sqlite"));
    expect(missingFolder.code).toBe(1);
    expect(missingFolder.stderr).toMatch(/the folder .*no-such-folder does not exist/);
    const folder = await cli("backup", out.path, "--force");
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain("is a folder");
    const itself = await cli("backup", join(dir.path, "atelier.sqlite"), "--force");
    expect(itself.code).toBe(1);
    expect(itself.stderr).toContain("is the database itself");
    expect((await cli("backup")).code).toBe(2);
    // Nothing half-written is left behind.
    expect(readdirSync(out.path).filter((f) => f.endsWith(".partial"))).toEqual([]);
  }, 60_000);
});
