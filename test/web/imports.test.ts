import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
  accountDomainBlocks,
  blocks,
  bookmarks,
  bulkImportRows,
  bulkImports,
  follows,
  listAccounts,
  lists,
  mutes,
} from "../../src/db/schema/index.ts";
import { blockDomainForAccount } from "../../src/domain/account-domain-blocks.ts";
import { bookmarkStatus } from "../../src/domain/bookmarks.ts";
import { blockAccount } from "../../src/domain/interactions.ts";
import { addListAccounts, createList } from "../../src/domain/lists.ts";
import { muteAccount } from "../../src/domain/mutes.ts";
import { follow, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import { createTestInstance, serveTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function instance(served = false): Promise<TestInstance> {
  const env = { FEDERATION_ALLOW_PRIVATE_ADDRESS: "true" };
  // A served instance starts its event dispatch and federation queue, so deliveries go out.
  const i = served ? await serveTestInstance(env) : await createTestInstance(env);
  cleanups.push(() => i.close());
  return i;
}

async function remote(): Promise<FakeRemote> {
  const r = await startFakeRemote();
  cleanups.push(() => r.close());
  return r;
}

/** Serves `name` on `r` with the WebFinger answer a Mastodon server gives. */
async function remoteActor(r: FakeRemote, name: string): Promise<void> {
  await r.actor(name);
  r.serve(`/.well-known/webfinger?resource=${encodeURIComponent(`acct:${name}@${r.host}`)}`, {
    subject: `acct:${name}@${r.host}`,
    links: [{ rel: "self", type: "application/activity+json", href: `${r.origin}/users/${name}` }],
  });
}

async function signedIn(i: TestInstance, name: string) {
  const user = await localUser(i, name);
  const client = new PageClient(i.app);
  await client.signIn(name);
  return { user, client };
}

async function upload(
  client: PageClient,
  type: string,
  mode: string,
  csv: string,
  filename = "file.csv",
): Promise<Response> {
  const csrf = await client.csrfFrom("/settings/import");
  const form = new FormData();
  form.set("csrf", csrf);
  form.set("type", type);
  form.set("mode", mode);
  form.set("file", new File([csv], filename, { type: "text/csv" }));
  return await client.request("/settings/import", { method: "POST", body: form });
}

describe("CSV export", () => {
  it("writes follows, mutes and blocks with Mastodon's headers and addresses", async () => {
    const i = await instance();
    const { user, client } = await signedIn(i, "alice");
    const bob = await localUser(i, "bob");
    const carol = await remoteAccount(i, "carol", "remote.example");
    const dave = await remoteAccount(i, "dave", "other.example");
    const { deps } = i;
    await deps.db.insert(follows).values({
      id: "1",
      accountId: user.account.id,
      targetAccountId: carol.id,
      state: "accepted",
      showReblogs: false,
      notify: true,
    });
    await muteAccount(deps.db, user.account, bob.account, { notifications: false });
    await blockAccount(deps.db, deps.urls, user.account, dave);

    const f = await client.get("/settings/export/follows.csv");
    expect(f.res.status).toBe(200);
    expect(f.res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(f.body).toBe(
      "Account address,Show boosts,Notify on new posts,Languages\ncarol@remote.example,false,true,\n",
    );
    await follow(deps.db, dave.id, user.account.id);
    await follow(deps.db, bob.account.id, user.account.id);
    const followers = await client.get("/settings/export/followers.csv");
    expect(followers.body.split("\n")[0]).toBe("Account address");
    expect(followers.body.trim().split("\n").slice(1).sort()).toEqual(
      [`bob@${i.config.domain}`, "dave@other.example"].sort(),
    );
    const m = await client.get("/settings/export/mutes.csv");
    expect(m.body).toBe(`Account address,Hide notifications\nbob@${i.config.domain},false\n`);
    const b = await client.get("/settings/export/blocks.csv");
    expect(b.body).toBe("dave@other.example\n");
    expect((await client.get("/settings/export/passwords.csv")).res.status).toBe(404);
    const anonymous = await new PageClient(i.app).get("/settings/export/follows.csv");
    expect(anonymous.res.status).not.toBe(200);
  });
});

describe("CSV import", () => {
  it("merges follows found over WebFinger, delivers them and shows the progress", async () => {
    const i = await instance(true);
    const r = await remote();
    await remoteActor(r, "zoe");
    await remoteActor(r, "yan");
    const { user, client } = await signedIn(i, "alice");
    const csv = [
      "Account address,Show boosts,Notify on new posts,Languages",
      `zoe@${r.host},false,true,`,
      `@yan@${r.host},true,false,`,
      `nobody@${r.host},true,false,`,
    ].join("\n");
    const res = await upload(client, "following", "merge", csv, "following_accounts.csv");
    expect(res.status).toBe(303);
    await i.deps.imports.idle();
    const rows = await i.deps.db
      .select()
      .from(follows)
      .where(eq(follows.accountId, user.account.id));
    expect(rows).toHaveLength(2);
    const zoe = rows.find((f) => f.showReblogs === false);
    expect(zoe?.notify).toBe(true);
    const [job] = await i.deps.imports.importsOf(user.account.id);
    expect(job).toMatchObject({
      state: "finished",
      totalItems: 3,
      processedItems: 3,
      importedItems: 2,
    });
    const page = await client.get("/settings/import");
    expect(page.body).toContain("3/3 processed");
    expect(page.body).toContain("Line 4: No account nobody@");
    // followAccount recorded its event, so the Follows are delivered to the remote server.
    for (let n = 0; n < 100 && r.received().filter((a) => a.type === "Follow").length < 2; n++) {
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(r.received().filter((a) => a.type === "Follow")).toHaveLength(2);
  });

  it("overwrites blocks: the file's are made, the others lifted", async () => {
    const i = await instance();
    const r = await remote();
    await remoteActor(r, "spam");
    const { user, client } = await signedIn(i, "alice");
    const old = await remoteAccount(i, "old", "old.example");
    await blockAccount(i.deps.db, i.deps.urls, user.account, old);
    const res = await upload(client, "blocking", "overwrite", `spam@${r.host}\n`);
    expect(res.status).toBe(303);
    await i.deps.imports.idle();
    const held = await i.deps.db.select().from(blocks).where(eq(blocks.accountId, user.account.id));
    expect(held).toHaveLength(1);
    expect(held[0]?.targetAccountId).not.toBe(old.id);
  });

  it("refuses a file of another kind or with a bad line with 400, storing nothing", async () => {
    const i = await instance();
    const { user, client } = await signedIn(i, "alice");
    const wrong = await upload(client, "following", "merge", "#domain\nspam.example\n");
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("another kind");
    const bad = await upload(
      client,
      "muting",
      "merge",
      "Account address,Hide notifications\nnot an address!,true\n",
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Line 2");
    const unclosed = await upload(client, "blocking", "merge", '"bob@x.example\n');
    expect(unclosed.status).toBe(400);
    const empty = await upload(client, "blocking", "merge", "\n\n");
    expect(empty.status).toBe(400);
    expect(
      await i.deps.db.select().from(bulkImports).where(eq(bulkImports.accountId, user.account.id)),
    ).toEqual([]);
    expect(await i.deps.db.select().from(bulkImportRows)).toEqual([]);
  });

  it("merges mutes from Mastodon's file, with each row's Hide notifications", async () => {
    const i = await instance();
    const { user, client } = await signedIn(i, "alice");
    const bob = await localUser(i, "bob");
    const carol = await localUser(i, "carol");
    const dave = await localUser(i, "dave");
    await muteAccount(i.deps.db, user.account, carol.account, { notifications: true });
    const d = i.config.domain;
    const csv = `Account address,Hide notifications\nbob@${d},false\n@dave@${d},true\n`;
    expect((await upload(client, "muting", "merge", csv, "mutes.csv")).status).toBe(303);
    await i.deps.imports.idle();
    const held = await i.deps.db.select().from(mutes).where(eq(mutes.accountId, user.account.id));
    const byTarget = new Map(held.map((m) => [m.targetAccountId, m.hideNotifications]));
    expect(byTarget).toEqual(
      new Map([
        [carol.account.id, true],
        [bob.account.id, false],
        [dave.account.id, true],
      ]),
    );
  });

  it("overwrites domain blocks from a file without header, as Mastodon exports it", async () => {
    const i = await instance();
    const { user, client } = await signedIn(i, "alice");
    await blockDomainForAccount(i.deps.db, user.account, "old.example", i.config.domain);
    const res = await upload(client, "domain_blocking", "overwrite", "spam.example\nBad.Example\n");
    expect(res.status).toBe(303);
    await i.deps.imports.idle();
    const held = await i.deps.db
      .select()
      .from(accountDomainBlocks)
      .where(eq(accountDomainBlocks.accountId, user.account.id));
    expect(held.map((b) => b.domain).sort()).toEqual(["bad.example", "spam.example"]);
    // Merging keeps what is there and adds the file's.
    const merged = await upload(client, "domain_blocking", "merge", "#domain\nold.example\n");
    expect(merged.status).toBe(303);
    await i.deps.imports.idle();
    const after = await i.deps.db
      .select()
      .from(accountDomainBlocks)
      .where(eq(accountDomainBlocks.accountId, user.account.id));
    expect(after.map((b) => b.domain).sort()).toEqual([
      "bad.example",
      "old.example",
      "spam.example",
    ]);
  });

  it("overwrites bookmarks with the posts the file names by address", async () => {
    const i = await instance();
    const { user, client } = await signedIn(i, "alice");
    const bob = await localUser(i, "bob");
    const kept = await status(i, bob.account.id, { content: "<p>named in the file</p>" });
    const dropped = await status(i, bob.account.id, { content: "<p>not named</p>" });
    await bookmarkStatus(i.deps.db, user.account.id, dropped.id);
    const res = await upload(client, "bookmarks", "overwrite", `${kept.iri}\n`, "bookmarks.csv");
    expect(res.status).toBe(303);
    await i.deps.imports.idle();
    const [job] = await i.deps.imports.importsOf(user.account.id);
    expect(job).toMatchObject({ state: "finished", totalItems: 1, importedItems: 1 });
    const held = await i.deps.db
      .select()
      .from(bookmarks)
      .where(eq(bookmarks.accountId, user.account.id));
    expect(held.map((b) => b.statusId)).toEqual([kept.id]);
  });

  it("overwrites lists: members followed and added, lists the file does not name deleted", async () => {
    const i = await instance();
    const { user, client } = await signedIn(i, "alice");
    const bob = await localUser(i, "bob");
    const carol = await localUser(i, "carol");
    const old = await createList(i.deps.db, user.account.id, { title: "Old" });
    await follow(i, user.account.id, bob.account.id);
    await addListAccounts(i.deps.db, user.account.id, old.id, [bob.account.id]);
    const d = i.config.domain;
    const csv = `Friends,bob@${d}\nFriends,carol@${d}\nArt,carol@${d}\n`;
    expect((await upload(client, "lists", "overwrite", csv, "lists.csv")).status).toBe(303);
    await i.deps.imports.idle();
    const owned = await i.deps.db.select().from(lists).where(eq(lists.accountId, user.account.id));
    expect(owned.map((l) => l.title).sort()).toEqual(["Art", "Friends"]);
    const members = async (title: string) => {
      const list = owned.find((l) => l.title === title)!;
      return (await i.deps.db.select().from(listAccounts).where(eq(listAccounts.listId, list.id)))
        .map((m) => m.accountId)
        .sort();
    };
    expect(await members("Friends")).toEqual([bob.account.id, carol.account.id].sort());
    expect(await members("Art")).toEqual([carol.account.id]);
    // A list holds followed accounts: carol was followed by the import.
    const followed = await i.deps.db
      .select()
      .from(follows)
      .where(eq(follows.accountId, user.account.id));
    expect(followed.map((f) => f.targetAccountId)).toContain(carol.account.id);
  });

  it("refuses malformed bookmarks and lists files, and a file of another kind, changing nothing", async () => {
    const i = await instance();
    const { user, client } = await signedIn(i, "alice");
    const bob = await localUser(i, "bob");
    const post = await status(i, bob.account.id, { content: "<p>bookmarked</p>" });
    await bookmarkStatus(i.deps.db, user.account.id, post.id);
    const notUrl = await upload(client, "bookmarks", "overwrite", "#uri\nnot a url\n");
    expect(notUrl.status).toBe(400);
    expect(await notUrl.text()).toContain("Line 2");
    const noName = await upload(
      client,
      "lists",
      "overwrite",
      `List name,Account address\n,bob@x.example\n`,
    );
    expect(noName.status).toBe(400);
    expect(await noName.text()).toContain("the list name is empty");
    const mutesAsLists = await upload(
      client,
      "lists",
      "merge",
      "Account address,Hide notifications\nbob@x.example,true\n",
    );
    expect(mutesAsLists.status).toBe(400);
    expect(await mutesAsLists.text()).toContain("another kind");
    expect(await i.deps.db.select().from(bulkImports)).toEqual([]);
    const held = await i.deps.db
      .select()
      .from(bookmarks)
      .where(eq(bookmarks.accountId, user.account.id));
    expect(held.map((b) => b.statusId)).toEqual([post.id]);
  });
});
