// Mastodon.py's admin methods (Debian's python3-mastodon 1.8) against a real server on 127.0.0.1, with
// an administrator's admin:read/admin:write token: accounts listed and read, a silence and its lifting,
// a report filed by a user (Mastodon.py's report()) listed and resolved, a domain block made, read and
// removed, and a domain allow through the library's request helper (1.8 has no method for them).
import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

// Debian's interpreter: the python3 first on PATH may be another build without the package.
const PYTHON = "/usr/bin/python3";
const SCRIPT = join(import.meta.dirname, "mastodon_py_admin.py");

const installed = spawnSync(PYTHON, ["-c", "import mastodon"]).status === 0;
if (!installed) {
  console.warn(
    "Skipping the Mastodon.py admin test: python3-mastodon is not installed for /usr/bin/python3.",
  );
}

const run = promisify(execFile);
// biome-ignore lint/suspicious/noExplicitAny: the script's JSON, checked field by field below.
type ScriptOutput = Record<string, any>;

describe.skipIf(!installed)("Mastodon.py's admin methods against a real server", () => {
  let instance: ServedInstance;
  let out: ScriptOutput;
  let bobId: string;
  let carolId: string;

  beforeAll(async () => {
    instance = await serveTestInstance();
    const admin = await localUser(instance, "boss", {
      admin: true,
      scopes: "read write admin:read admin:write",
    });
    const bob = await localUser(instance, "bob", "read write");
    const carol = await localUser(instance, "carol");
    bobId = bob.account.id;
    carolId = carol.account.id;
    const config = {
      admin_token: admin.token,
      bob_token: bob.token,
      bob_id: bobId,
      carol_id: carolId,
    };
    try {
      const { stdout } = await run(PYTHON, [SCRIPT, "run", instance.url, JSON.stringify(config)], {
        timeout: 40_000,
        env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
      });
      out = JSON.parse(stdout);
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`Mastodon.py script failed: ${e.message}\n${e.stderr ?? ""}`);
    }
  }, 60_000);
  afterAll(async () => {
    await instance?.close();
  });

  it("lists local accounts and reads one as Admin::Account", () => {
    expect(out.me).toBe("boss");
    expect(out.accounts).toEqual({
      local_usernames: ["bob", "boss", "carol"],
      bob_id: bobId,
      bob_username: "bob",
      bob_account_id: bobId,
      bob_silenced: false,
    });
  });

  it("silences an account and lifts the silence", () => {
    expect(out.silence).toEqual({
      silenced_after_moderate: true,
      silenced_after_unsilence: false,
      again: false,
    });
  });

  it("lists a user's report and resolves it", () => {
    const r = out.reports;
    expect(r.error).toBeUndefined();
    expect(r.open_ids).toEqual([r.filed_id]);
    expect(r.open_target).toEqual([carolId]);
    expect(r.open_comment).toEqual(["Spam from carol"]);
    expect([r.resolved_id, r.resolved_action_taken]).toEqual([r.filed_id, true]);
    expect(r.open_after).toEqual([]);
    expect(r.resolved_listed).toEqual([r.filed_id]);
  });

  it("makes, reads and removes a domain block", () => {
    const b = out.domain_blocks;
    expect(b).toMatchObject({
      created_domain: "spam.example",
      severity: "suspend",
      public_comment: "Spam waves",
      listed: [[b.created_id, "spam.example"]],
      one_domain: "spam.example",
      after_delete: [],
    });
  });

  it("makes, reads and removes a domain allow", () => {
    const a = out.domain_allows;
    expect(a).toMatchObject({
      created_domain: "friends.example",
      listed: [[a.created_id, "friends.example"]],
      one_domain: "friends.example",
      after_delete: [],
    });
    expect(a.created_id).toMatch(/^\d+$/);
  });
});
