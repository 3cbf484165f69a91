// Mastodon.py (Debian's python3-mastodon 1.8) on quotes with their approval policy (Mastodon 4.5) and on
// Pleroma's emoji reactions, against a real server on 127.0.0.1. The library has no method for either:
// the script drives them through its own request helper, which parses the entities as its methods do.
// A followers-only quote policy refuses a stranger's quote and accepts a follower's, which the author
// then lists and revokes; a reaction is listed, notified under Pleroma's type, and taken back.
import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

// Debian's interpreter: the python3 first on PATH may be another build without the package.
const PYTHON = "/usr/bin/python3";
const SCRIPT = join(import.meta.dirname, "mastodon_py_quotes.py");
const EMOJI = "\u{1F3A8}";

const installed = spawnSync(PYTHON, ["-c", "import mastodon"]).status === 0;
if (!installed) {
  console.warn(
    "Skipping the Mastodon.py quotes test: python3-mastodon is not installed for /usr/bin/python3.",
  );
}

const run = promisify(execFile);
// biome-ignore lint/suspicious/noExplicitAny: the script's JSON, checked field by field below.
type ScriptOutput = Record<string, any>;

describe.skipIf(!installed)(
  "Mastodon.py on quotes and emoji reactions against a real server",
  () => {
    let instance: ServedInstance;
    let out: ScriptOutput;
    let aliceId: string;
    let bobId: string;

    beforeAll(async () => {
      instance = await serveTestInstance();
      const alice = await localUser(instance, "alice");
      const bob = await localUser(instance, "bob");
      aliceId = alice.account.id;
      bobId = bob.account.id;
      const config = {
        alice_token: alice.token,
        alice_id: aliceId,
        bob_token: bob.token,
        bob_id: bobId,
      };
      try {
        const { stdout } = await run(
          PYTHON,
          [SCRIPT, "run", instance.url, JSON.stringify(config)],
          {
            timeout: 40_000,
            env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
          },
        );
        out = JSON.parse(stdout);
      } catch (error) {
        const e = error as { stderr?: string; message: string };
        throw new Error(`Mastodon.py script failed: ${e.message}\n${e.stderr ?? ""}`);
      }
    }, 60_000);
    afterAll(async () => {
      await instance?.close();
    });

    it("refuses a stranger's quote of a followers-only post, accepts a follower's, lists and revokes it", () => {
      const q = out.quotes;
      expect(out.me).toEqual(["alice", "bob"]);
      expect(q.error).toBeUndefined();
      expect(q.policy).toEqual({ automatic: ["followers"], manual: [], current_user: "automatic" });
      // Not a follower: the post says so, and the server refuses the quote rather than storing it.
      expect(q.stranger_current_user).toBe("denied");
      expect(q.refused).toEqual({
        status: 422,
        message: "Validation failed: Quoted status is not allowed to be quoted by you",
      });
      expect([q.following, q.follower_current_user]).toEqual([true, "automatic"]);
      expect(q.quote_id).toMatch(/^\d+$/);
      expect(q.quote_id).not.toBe(q.original_id);
      expect(q.accepted).toEqual({ state: "accepted", quoted_status_id: q.original_id });
      expect(q.listed).toEqual([q.quote_id]);
      expect(q.notified).toEqual([["quote", bobId, q.quote_id]]);
      // Revoked: answered with the quoting status, which no longer shows the quoted one, to anyone.
      expect(q.revoked_id).toBe(q.quote_id);
      expect(q.revoked).toEqual({ state: "revoked", quoted_status_id: null });
      expect(q.seen_by_bob).toEqual({ state: "revoked", quoted_status_id: null });
      expect(q.listed_after).toEqual([]);
    });

    it("reacts with a unicode emoji, lists and notifies the reaction, and takes it back", () => {
      const r = out.reactions;
      expect(r.error).toBeUndefined();
      expect(r.reacted_status).toEqual([r.status_id, [[EMOJI, 1, true]]]);
      expect(r.listed_for_bob).toEqual([[EMOJI, 1, true, [bobId]]]);
      expect(r.listed_for_alice).toEqual([[EMOJI, 1, false]]);
      expect(r.notified).toEqual([["pleroma:emoji_reaction", bobId, r.status_id, EMOJI]]);
      // Mastodon's type list does not have it: only a client that asks for it gets it.
      expect(r.plain_types).toEqual(["follow", "quote"]);
      expect(r.unreacted_status).toEqual([]);
      expect(r.listed_after).toEqual([]);
      expect(r.seen_after).toEqual([]);
    });
  },
);
