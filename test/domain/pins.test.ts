// Pins and featured hashtags below the API: the events a local pin records for federation, the rules a
// remote actor's collections and Add activities are held to, and the bounds on what they may fill.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { featuredTagsOf, pinnedStatuses } from "../../src/db/queries/pins.ts";
import { domainEvents } from "../../src/db/schema/index.ts";
import { replaceRemoteFeaturedTags } from "../../src/domain/featured-tags.ts";
import {
  addRemotePin,
  MAX_REMOTE_PINS,
  pinStatus,
  replaceRemotePins,
  unpinStatus,
} from "../../src/domain/pins.ts";
import { findStatusById } from "../../src/domain/remote-statuses.ts";
import { localUser, remoteAccount, status, times } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

describe("pins", () => {
  it("records status.pinned and status.unpinned for a local account's pin, once each", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db, urls } = i.deps;
    await i.deps.events.close();
    const alice = (await localUser({ db, urls }, "alice")).account;
    const post = (await findStatusById(db, (await status({ db, urls }, alice.id)).id))!;
    const pin = await pinStatus(db, alice, post);
    expect((await pinStatus(db, alice, post)).id).toBe(pin.id);
    expect(await unpinStatus(db, alice, post)).toBe(true);
    expect(await unpinStatus(db, alice, post)).toBe(false);
    const types = (await db.select({ type: domainEvents.type }).from(domainEvents))
      .map((e) => e.type)
      .filter((t) => t.startsWith("status.p") || t.startsWith("status.u"));
    expect(types).toEqual(["status.pinned", "status.unpinned"]);
    const [pinned] = await db
      .select()
      .from(domainEvents)
      .where(eq(domainEvents.type, "status.pinned"));
    expect(pinned!.payload).toEqual({ pinId: pin.id });
  });

  it("keeps a remote actor's pins to its own posts and to the bound, newest first", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db, urls } = i.deps;
    const remote = await remoteAccount({ db, urls }, "rem", "remote.example");
    const other = await remoteAccount({ db, urls }, "oth", "remote.example");
    const own = await times(
      MAX_REMOTE_PINS + 3,
      async () =>
        (await findStatusById(db, (await status({ db, urls }, remote.id, { local: false })).id))!,
    );
    const someoneElses = (await findStatusById(
      db,
      (
        await status({ db, urls }, other.id, { local: false })
      ).id,
    ))!;
    const direct = (await findStatusById(
      db,
      (
        await status({ db, urls }, remote.id, { local: false, visibility: "direct" })
      ).id,
    ))!;

    await replaceRemotePins(db, remote, [own[0]!, someoneElses, direct, own[1]!]);
    expect((await pinnedStatuses(db, null, remote.id)).map((s) => s.id)).toEqual([
      own[0]!.id,
      own[1]!.id,
    ]);
    expect(await addRemotePin(db, remote, someoneElses)).toBe(false);

    await replaceRemotePins(db, remote, own);
    const kept = (await pinnedStatuses(db, null, remote.id)).map((s) => s.id);
    expect(kept).toEqual(own.slice(0, MAX_REMOTE_PINS).map((s) => s.id));
    // An Add beyond the bound makes room by dropping the oldest pin.
    expect(await addRemotePin(db, remote, own[MAX_REMOTE_PINS]!)).toBe(true);
    const after = (await pinnedStatuses(db, null, remote.id)).map((s) => s.id);
    expect(after).toHaveLength(MAX_REMOTE_PINS);
    expect(after[0]).toBe(own[MAX_REMOTE_PINS]!.id);
    expect(after).not.toContain(own[MAX_REMOTE_PINS - 1]!.id);
  });

  it("keeps a remote actor's featured hashtags valid, unique and bounded", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const remote = await remoteAccount(i, "rem", "remote.example");
    const many = Array.from({ length: 30 }, (_, n) => `#tag${n}x`);
    await replaceRemoteFeaturedTags(i.deps.db, remote, [
      "#Sea",
      "#sea",
      "not a tag",
      "#123",
      ...many,
    ]);
    const names = (await featuredTagsOf(i.deps.db, remote.id)).map((t) => t.displayName);
    expect(names.slice(0, 2)).toEqual(["Sea", "tag0x"]);
    expect(names).toHaveLength(20);
  });
});
