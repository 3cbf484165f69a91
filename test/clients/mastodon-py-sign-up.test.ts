// Mastodon.py's create_account (Debian's python3-mastodon) against a real server on 127.0.0.1 in open
// mode: the account is made and its token answered; the same name again gets Mastodon's ERR_TAKEN
// details, which the library hands back with return_detailed_error.
import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import { mailFiles } from "../helpers/sign-up.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPT = join(import.meta.dirname, "mastodon_py_sign_up.py");
const installed = spawnSync(PYTHON, ["-c", "import mastodon"]).status === 0;
const run = promisify(execFile);

describe.skipIf(!installed)("Mastodon.py create_account", () => {
  let instance: ServedInstance;
  // biome-ignore lint/suspicious/noExplicitAny: the script's JSON, checked field by field below.
  let out: any;

  beforeAll(async () => {
    instance = await serveTestInstance({ REGISTRATIONS: "open" });
    const { stdout } = await run(PYTHON, [SCRIPT, instance.url], {
      timeout: 40_000,
      env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
    });
    out = JSON.parse(stdout);
  }, 60_000);
  afterAll(async () => {
    await instance?.close();
  });

  it("signs up and gets a token for the new, not yet confirmed account", async () => {
    expect(out.token).toEqual(expect.any(String));
    const me = await call(instance, "GET", "/api/v1/accounts/verify_credentials", {
      token: out.token,
    });
    expect(me.status).toBe(403);
    expect(me.json.error).toBe("Your login is missing a confirmed e-mail address");
    expect(mailFiles(instance)).toHaveLength(1);
  });

  it("hands back the ERR_TAKEN details for the same name", () => {
    expect(out.taken.details.username[0].error).toBe("ERR_TAKEN");
    expect(out.taken.error).toMatch(/^Validation failed/);
  });
});
