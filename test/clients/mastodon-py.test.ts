// Mastodon.py (Debian's python3-mastodon) against a real server on 127.0.0.1, with the library's default
// version check: the script registers its app, a person signs in on the authorize pages (driven here as
// a browser would), the script exchanges the code and then exercises instance, statuses, media, lists,
// scheduled statuses, notifications and search, printing what it got back as JSON.
import { execFile, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize } from "../api/oauth-flow.ts";
import { localUser, PASSWORD } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance, tempDir } from "../helpers/instance.ts";

// Debian's interpreter: the python3 first on PATH may be another build without the package.
const PYTHON = "/usr/bin/python3";
const SCRIPT = join(import.meta.dirname, "mastodon_py_script.py");
const OOB = "urn:ietf:wg:oauth:2.0:oob";

const installed = spawnSync(PYTHON, ["-c", "import mastodon"]).status === 0;
if (!installed) {
  console.warn(
    "Skipping the Mastodon.py test: python3-mastodon is not installed for /usr/bin/python3 " +
      "(apt-get install python3-mastodon; .ci/run installs it).",
  );
}

const run = promisify(execFile);
// biome-ignore lint/suspicious/noExplicitAny: the script's JSON, checked field by field below.
type ScriptOutput = Record<string, any>;

/**
 * Runs one phase of the script (asynchronously: the server answering it lives in this process). It takes
 * about 10 s alone; the limits leave room for a machine busy with the rest of the suite.
 */
async function python(...args: string[]): Promise<ScriptOutput> {
  try {
    const { stdout } = await run(PYTHON, [SCRIPT, ...args], {
      timeout: 40_000,
      env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
    });
    return JSON.parse(stdout);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`Mastodon.py script failed: ${e.message}\n${e.stderr ?? ""}`);
  }
}

describe.skipIf(!installed)("Mastodon.py against a real server", () => {
  let instance: ServedInstance;
  let dir: { path: string; remove: () => void };
  let out: ScriptOutput;
  let bobId: string;

  beforeAll(async () => {
    instance = await serveTestInstance();
    dir = tempDir();
    const alice = await localUser(instance, "alice");
    const bob = await localUser(instance, "bob");
    bobId = bob.account.id;
    const png = join(dir.path, "square.png");
    writeFileSync(
      png,
      await sharp({
        create: { width: 32, height: 32, channels: 3, background: { r: 200, g: 80, b: 40 } },
      })
        .png()
        .toBuffer(),
    );

    const app = await python("register", instance.url);
    const flow = await authorize(
      (path, init) => fetch(`${instance.url}${path}`, init),
      {
        response_type: "code",
        client_id: app.client_id,
        redirect_uri: OOB,
        scope: "read write follow",
      },
      { username: "alice", password: PASSWORD },
    );
    expect(flow.code).not.toBeNull();
    out = await python(
      "run",
      instance.url,
      JSON.stringify({
        ...app,
        code: flow.code,
        bob_token: bob.token,
        bob_id: bobId,
        alice_id: alice.account.id,
        png,
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await instance?.close();
    dir?.remove();
  });

  it("signs in with the code and passes the default version check on both instance endpoints", () => {
    expect(out.me).toBe("alice");
    expect(out.instance).toMatchObject({
      v1_uri: instance.config.domain,
      v2_domain: instance.config.domain,
    });
    // Mastodon.py parsed the version it gates endpoints on: 4.x, so nothing newer than 1.0 is refused.
    expect(out.instance.detected_version[0]).toBeGreaterThanOrEqual(4);
  });

  it("posts a status and reads it back", () => {
    expect(out.statuses).toMatchObject({
      content: expect.stringContaining("Hello from Mastodon.py"),
      visibility: "public",
      account: "alice",
    });
    expect(out.statuses.fetched_id).toBe(out.statuses.id);
  });

  it("uploads a PNG and attaches it to a status", () => {
    expect(out.media).toMatchObject({ type: "image", description: "A tiny test square" });
    expect(out.media.status_media).toEqual([out.media.attachment_id]);
  });

  it("makes a list, adds a followed account and reads its timeline", () => {
    expect(out.lists).toMatchObject({
      following: true,
      title: "Friends",
      lists: ["Friends"],
      members: [bobId],
    });
    expect(out.lists.timeline).toContain(out.lists.bob_status);
  });

  it("schedules a status, lists it and cancels it", () => {
    expect(out.scheduled_statuses).toMatchObject({
      text: "Later, from Mastodon.py",
      listed: [out.scheduled_statuses.id],
      fetched_id: out.scheduled_statuses.id,
      listed_after_cancel: [],
    });
  });

  it("notifies alice of a favourite from a second user", () => {
    const notes = out.notifications.notifications as { type: string; account: string }[];
    expect(notes).toContainEqual({ type: "favourite", account: "bob", status: out.statuses.id });
  });

  it("notifies alice of a mention by a second user", () => {
    const notes = out.notifications.notifications as { type: string; account: string }[];
    expect(notes).toContainEqual({
      type: "mention",
      account: "bob",
      status: out.notifications.mention_id,
    });
  });

  it("searches from:me, words and accounts", () => {
    expect(out.search.from_me).toEqual(expect.arrayContaining([out.statuses.id]));
    expect(out.search.from_me).not.toContain(out.lists.bob_status);
    expect(out.search.words).toEqual([out.media.status_id]);
    expect(out.search.accounts).toContain("bob");
  });

  it("makes v1 filters the server applies: a warning keeps the post with `filtered`, irreversible drops it", () => {
    expect(out.filters).toMatchObject({
      phrase: "rhubarb",
      context: ["home"],
      listed: ["parsnip", "rhubarb"],
      warned_in_home: true,
      // keyword_matches holds the text matched, as it is written in the post (Mastodon's too).
      warned_filtered: [{ title: "rhubarb", keywords: ["Rhubarb"] }],
      dropped_in_home: false,
      listed_after_delete: [],
    });
  });

  it("votes in a second user's multiple-choice poll and reads the counts back", () => {
    expect(out.polls).toMatchObject({
      options: ["Watercolour", "Ink", "Risograph"],
      multiple: true,
      voted: true,
      own_votes: [0, 2],
      counts: [1, 0, 1],
      voters_count: 1,
    });
  });

  it("pins a status, and sees a direct message as an unread conversation", () => {
    expect(out.pins_and_conversations.pinned).toEqual([out.statuses.id]);
    expect(out.pins_and_conversations.conversations).toContainEqual({
      last_status: out.pins_and_conversations.direct_id,
      unread: true,
    });
  });

  it("blocks and unblocks a domain", () => {
    expect(out.domain_blocks).toEqual({ blocked: ["spam.example"], after_unblock: [] });
  });
});
