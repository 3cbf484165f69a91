// Lists' rules below the API: memberships end with the follow they hang on (a Reject, an account
// deletion), a deleted account's own lists go, and a follow request is enough to list an account.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { follows, listAccounts, lists } from "../../src/db/schema/index.ts";
import { deleteLocalAccount } from "../../src/domain/account-deletion.ts";
import { removeFollow } from "../../src/domain/follows.ts";
import { addListAccounts, createList, listsContaining } from "../../src/domain/lists.ts";
import { follow, localUser, remoteAccount } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

describe("list memberships", () => {
  it("go when the follow goes, and with a deleted member or owner", async () => {
    i = await createTestInstance();
    const { db, urls } = i.deps;
    await localUser({ db, urls }, "boss", { admin: true });
    const alice = (await localUser({ db, urls }, "alice")).account;
    const bob = (await localUser({ db, urls }, "bob")).account;
    const remote = await remoteAccount({ db, urls }, "rem", "remote.example");
    await follow({ db, urls }, alice.id, bob.id);
    await follow({ db, urls }, alice.id, remote.id, "pending"); // a request is enough, as in Mastodon 4.3
    await follow({ db, urls }, bob.id, alice.id);
    const list = await createList(db, alice.id, { title: "Friends" });
    await addListAccounts(db, alice.id, list.id, [bob.id, remote.id, alice.id]);
    const bobsList = await createList(db, bob.id, { title: "Bob's" });
    await addListAccounts(db, bob.id, bobsList.id, [alice.id]);

    // A Reject of the request (or an Undo) removes the follow row: the membership goes with it.
    const request = (
      await db.select().from(follows).where(eq(follows.targetAccountId, remote.id)).limit(1)
    )[0]!;
    await removeFollow(db, request);
    expect(await listsContaining(db, alice.id, remote.id)).toEqual([]);
    expect((await listsContaining(db, alice.id, bob.id)).map((l) => l.id)).toEqual([list.id]);

    await deleteLocalAccount(db, null, "bob");
    expect(await listsContaining(db, alice.id, bob.id)).toEqual([]);
    expect(await db.select().from(lists).where(eq(lists.accountId, bob.id))).toEqual([]);
    expect(
      await db.select().from(listAccounts).where(eq(listAccounts.listId, bobsList.id)),
    ).toEqual([]);
    // Alice listed herself (no follow needed): that membership stays.
    expect((await listsContaining(db, alice.id, alice.id)).map((l) => l.id)).toEqual([list.id]);
  });
});
