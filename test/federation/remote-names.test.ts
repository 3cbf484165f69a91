// Remote usernames and emoji shortcodes follow Mastodon's patterns before they are stored: an actor whose
// preferredUsername is outside them is refused (a delivery from it stores nothing), and an emoji with an
// invalid shortcode is dropped from the profile.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAccountEmojis } from "../../src/db/queries/emojis.ts";
import { accounts, follows } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import {
  isValidEmojiShortcode,
  isValidRemoteUsername,
  upsertRemoteAccount,
} from "../../src/domain/remote-accounts.ts";
import { type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import {
  type FederatedInstance,
  pendingInQueue,
  startFederatedInstance,
  waitFor,
} from "../helpers/federation.ts";

let local: FederatedInstance;
let remote: FakeRemote;
let aliceIri: string;

beforeAll(async () => {
  [local, remote] = await Promise.all([startFederatedInstance(), startFakeRemote()]);
  aliceIri = (
    await createLocalUser(local.deps.db, local.deps.urls, {
      username: "alice",
      password: "alice-password",
    })
  ).account.iri;
}, 60_000);

afterAll(async () => {
  await Promise.all([local?.close(), remote?.close()]);
});

describe("remote names", () => {
  it("accepts Mastodon's usernames and shortcodes, and only those", () => {
    for (const ok of ["mira", "Mira_2", "mira.okafor", "a-b_c", "x", "mastodon.example"]) {
      expect(isValidRemoteUsername(ok), ok).toBe(true);
    }
    for (const bad of [
      "",
      "bad name",
      "evil@host",
      "trailing.",
      ".lead",
      "\u0430lice",
      "a<b>",
      "a\u202eb",
    ]) {
      expect(isValidRemoteUsername(bad), bad).toBe(false);
    }
    expect(isValidRemoteUsername("a".repeat(2049))).toBe(false);
    for (const ok of ["blobcat", "palette", "ab", "Blob_Cat_2"]) {
      expect(isValidEmojiShortcode(ok), ok).toBe(true);
    }
    for (const bad of ["a", "blob cat", "blob:cat", "<img>", "b\u00e9", "a".repeat(101)]) {
      expect(isValidEmojiShortcode(bad), bad).toBe(false);
    }
  });

  it("refuses to store an actor with an invalid username, and drops invalid emoji", async () => {
    const base = {
      domain: "remote.example",
      type: "Person" as const,
      inboxUrl: "https://remote.example/inbox",
    };
    await expect(
      async () =>
        await upsertRemoteAccount(local.deps.db, {
          ...base,
          iri: "https://remote.example/users/1",
          username: "evil@host",
        }),
    ).rejects.toThrow(/preferredUsername/);
    const stored = await upsertRemoteAccount(local.deps.db, {
      ...base,
      iri: "https://remote.example/users/2",
      username: "fine",
      displayName: "fine :blobcat: :x:",
      note: "<p>bad :bad code: too</p>",
      emojis: [
        { shortcode: "blobcat", url: "https://remote.example/e/1.png" },
        { shortcode: "bad code", url: "https://remote.example/e/2.png" },
        { shortcode: "x", url: "https://remote.example/e/3.png" },
      ],
    });
    const used = (await loadAccountEmojis(local.deps.db, [stored.id])).get(stored.id) ?? [];
    expect(used.map((e) => e.shortcode)).toEqual(["blobcat"]);
  });

  it("stores nothing from a signed delivery by an actor with an invalid preferredUsername", async () => {
    const bad = await Promise.all(["bad name", "ev<il>", "trailing."].map((n) => remote.actor(n)));
    const good = await remote.actor("good");
    for (const [i, actor] of [...bad, good].entries()) {
      await remote.deliver(
        local.deps.urls.sharedInbox(),
        {
          "@context": "https://www.w3.org/ns/activitystreams",
          id: `${actor.id.href}#follows/${i}`,
          type: "Follow",
          actor: actor.id.href,
          object: aliceIri,
        },
        actor,
      );
    }
    // The control is stored, so the refusals below are not just unprocessed deliveries.
    await waitFor("the good actor's follow", async () =>
      (await local.deps.db.select().from(accounts)).some((a) => a.iri === good.id.href),
    );
    await waitFor("the inbox queue to settle", async () => (await pendingInQueue(local)) === 0);
    const iris = (await local.deps.db.select({ iri: accounts.iri }).from(accounts)).map(
      (a) => a.iri,
    );
    for (const actor of bad) expect(iris).not.toContain(actor.id.href);
    expect(await local.deps.db.select().from(follows)).toHaveLength(1);
  });
});
