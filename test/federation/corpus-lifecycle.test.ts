// What happens to corpus posts and actors after they arrive, through the real signed inbox and seen in
// the client API: an edit (with its history), deletes of posts (then 404), a profile update, a Move (only
// to an actor that names the old one), the deletion of a whole actor, a poll, and a Lemmy group relaying a
// member's post. Each document's `after` is delivered first.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts } from "../../src/db/schema/index.ts";
import { findAccountByIri } from "../../src/domain/remote-accounts.ts";
import { findStatusByIri } from "../../src/domain/remote-statuses.ts";
import { docsIn } from "../helpers/corpus-coverage.ts";
import {
  type CorpusHarness,
  deliverAndShow,
  doc,
  expectStatus,
  readCorpus,
  startCorpusHarness,
} from "../helpers/corpus-harness.ts";
import type { Loose } from "../helpers/corpus-servers.ts";
import { waitFor } from "../helpers/federation.ts";

let h: CorpusHarness;
beforeAll(async () => {
  h = await startCorpusHarness({ measureRemoteMedia: false });
}, 60_000);
afterAll(() => h?.close());

const handled = new Set<string>();
/** Delivers the documents a document needs first (once), then the document; answers its 202. */
async function deliverWithPrerequisites(file: string): Promise<void> {
  await h.deliverPrerequisites(file);
  const res = await h.deliver(file);
  expect(res.status).toBe(202);
  for (const done of [...(doc(file).after ?? []), file]) handled.add(done);
}
const statusId = async (iri: string) => (await findStatusByIri(h.instance.deps.db, h.uri(iri)))?.id;
const MIRA = "https://mastodon.example/users/mira";

describe("corpus posts and actors over time", () => {
  it("mastodon/update-note.json edits the post, keeping its history", async () => {
    const d = doc("mastodon/update-note.json");
    await deliverWithPrerequisites(d.file);
    const id = (await statusId(d.expect.status.uri))!;
    const got = await waitFor("the edit", async () => {
      const s = (await h.api(`/api/v1/statuses/${id}`)).json;
      return s.edited_at !== null ? s : null;
    });
    await expectStatus(h, d, got);
    expect(d.expect.status.edited).toBe(true);
    const history = await h.api(`/api/v1/statuses/${id}/history`);
    expect(history.json.length).toBeGreaterThanOrEqual(2);
    expect(history.json[0].content).not.toContain("fixed the horizon");
  });

  it.each(
    docsIn("lifecycle")
      .filter((d) => d.expect.effect === "status-deleted")
      .map((d) => [d.file, d] as const),
  )("%s deletes the post", async (file, d) => {
    await deliverAndShow(h, doc(d.after![0]!));
    handled.add(d.after![0]!);
    const id = (await statusId(d.expect.uri))!;
    expect((await h.api(`/api/v1/statuses/${id}`)).status).toBe(200);
    // As on the real server, the deleted note's URL is gone.
    h.servers.gone(d.expect.uri);
    await deliverWithPrerequisites(file);
    await waitFor(
      `${file}: deleted`,
      async () => (await h.api(`/api/v1/statuses/${id}`)).status === 404,
    );
    expect(await statusId(d.expect.uri)).toBeUndefined();
  });

  it("mastodon/update-person.json changes the profile", async () => {
    const d = doc("mastodon/update-person.json");
    const mira = await h.resolveAccount(MIRA);
    expect(mira.display_name).not.toBe(d.expect.actor.display_name);
    await deliverWithPrerequisites(d.file);
    const after = await waitFor("the new profile", async () => {
      const a = (await h.api(`/api/v1/accounts/${mira.id}`)).json;
      return a.display_name === d.expect.actor.display_name ? a : null;
    });
    expect(after.acct).toBe(h.acct(d.expect.actor.acct));
    expect(after.note).toContain(d.expect.actor.note_includes);
  });

  it("mastodon/create-question.json shows its poll", async () => {
    const d = doc("mastodon/create-question.json");
    const got = await deliverAndShow(h, d);
    handled.add(d.file);
    await expectStatus(h, d, got);
    expect(got.poll).not.toBeNull();
    expect(got.poll.options.map((o: Loose) => o.title)).toEqual(d.expect.status.poll.options);
    expect(got.poll.multiple).toBe(d.expect.status.poll.multiple);
  });

  it("lemmy/announce-create-page.json: the group's relay of a member's post", async () => {
    const d = doc("lemmy/announce-create-page.json");
    await deliverWithPrerequisites(d.file);
    const id = await waitFor("the page", async () => await statusId(d.expect.status.uri));
    const got = (await h.api(`/api/v1/statuses/${id}`)).json;
    await expectStatus(h, d, got);
    const group = await h.resolveAccount(d.expect.status.group);
    expect(group.group).toBe(true);
    // Shown as a boost by the group (as Mastodon shows a group's Announce), so its followers see it.
    const boosters = await h.api(`/api/v1/statuses/${id}/reblogged_by`);
    expect(boosters.json.map((a: Loose) => a.id)).toEqual([group.id]);
    expect(got.account.acct).toBe(h.acct("quill@lemmy.example"));
  });

  it("mastodon/move.json moves mira only to an actor naming her, and tells her followers", async () => {
    const d = doc("mastodon/move.json");
    const mira = await h.resolveAccount(d.expect.from);
    const db = h.instance.deps.db;
    // Alice follows mira (accepted), so she is one of the followers to tell.
    await h.api(`/api/v1/accounts/${mira.id}/follow`, { method: "POST" });
    const follow = await waitFor("alice's Follow", () =>
      h.servers.received.find(
        (r) => r.json?.type === "Follow" && r.json.actor === h.alice.account.iri,
      ),
    );
    await h.servers.deliverJson(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${MIRA}#accepts/1`,
        type: "Accept",
        actor: MIRA,
        object: follow.json,
      },
      MIRA,
      h.instance.deps.urls.sharedInbox(),
    );
    // A Move to an actor that does not list mira in alsoKnownAs is refused.
    const sneaky = await h.servers.deliverJson(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${MIRA}#moves/sneaky`,
        type: "Move",
        actor: MIRA,
        object: MIRA,
        target: "https://pixelfed.example/users/lens",
      },
      MIRA,
      h.instance.deps.urls.sharedInbox(),
    );
    expect(sneaky.status).toBe(202);
    expect(d.expect.requiresTargetAlsoKnownAs).toBe(true);
    await deliverWithPrerequisites(d.file);
    const target = await waitFor(
      "mira_new",
      async () => await findAccountByIri(db, h.uri(d.expect.to)),
    );
    await waitFor(
      "mira moved",
      async () =>
        (await findAccountByIri(db, h.uri(d.expect.from)))?.movedToAccountId === target.id,
    );
    const moved = await waitFor("the moved notification", async () =>
      (await h.notifications("moved")).find((n) => n.account.id === mira.id),
    );
    expect(moved.type).toBe("moved");
    // The old account shows where it went, as Mastodon's `moved`.
    const shown = (await h.api(`/api/v1/accounts/${mira.id}`)).json;
    expect(shown.moved.id).toBe(target.id);
    expect(shown.moved.acct).toBe(h.acct("mira_new@mastodon.example"));
    // The sneaky Move changed nothing before the real one.
    const lens = await findAccountByIri(db, h.uri("https://pixelfed.example/users/lens"));
    expect(lens === undefined || lens.id !== target.id).toBe(true);
    h.servers.serve(MIRA, {
      ...JSON.parse(h.uri(readCorpus("mastodon/actor-person.json"))),
      movedTo: h.uri(d.expect.to),
    });
  });

  it("mastodon/delete-actor.json removes mira and everything of hers", async () => {
    const d = doc("mastodon/delete-actor.json");
    const mira = await h.resolveAccount(d.expect.actor);
    await deliverAndShow(h, doc("mastodon/create-note-unlisted.json"));
    const theirs = await h.api(`/api/v1/accounts/${mira.id}/statuses`);
    expect(theirs.json.length).toBeGreaterThan(0);
    // The real server answers 410 for a deleted actor, so the signature is checked from what is stored.
    h.servers.gone(d.expect.actor);
    await deliverWithPrerequisites(d.file);
    await waitFor(
      "mira gone",
      async () => (await h.api(`/api/v1/accounts/${mira.id}`)).status === 404,
    );
    for (const s of theirs.json) {
      expect((await h.api(`/api/v1/statuses/${s.id}`)).status).toBe(404);
    }
    expect(
      (
        await h.instance.deps.db.select().from(accounts).where(eq(accounts.id, mira.id)).limit(1)
      )[0],
    ).toBeUndefined();
  });

  it("handled every document of its category", () => {
    const mine = docsIn("lifecycle").map((d) => d.file);
    expect(mine.filter((f) => !handled.has(f))).toEqual([]);
  });
});
