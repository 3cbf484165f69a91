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
import { localUser, remoteAccount, status } from "../helpers/factories.ts";
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
    const post = findStatusById(db, status({ db, urls }, alice.id).id)!;
    const pin = pinStatus(db, alice, post);
    expect(pinStatus(db, alice, post).id).toBe(pin.id);
    expect(unpinStatus(db, alice, post)).toBe(true);
    expect(unpinStatus(db, alice, post)).toBe(false);
    const types = db
      .select({ type: domainEvents.type })
      .from(domainEvents)
      .all()
      .map((e) => e.type)
      .filter((t) => t.startsWith("status.p") || t.startsWith("status.u"));
    expect(types).toEqual(["status.pinned", "status.unpinned"]);
    const [pinned] = db
      .select()
      .from(domainEvents)
      .where(eq(domainEvents.type, "status.pinned"))
      .all();
    expect(pinned!.payload).toEqual({ pinId: pin.id });
  });

  it("keeps a remote actor's pins to its own posts and to the bound, newest first", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const { db, urls } = i.deps;
    const remote = remoteAccount({ db, urls }, "rem", "remote.example");
    const other = remoteAccount({ db, urls }, "oth", "remote.example");
    const own = Array.from(
      { length: MAX_REMOTE_PINS + 3 },
      () => findStatusById(db, status({ db, urls }, remote.id, { local: false }).id)!,
    );
    const someoneElses = findStatusById(db, status({ db, urls }, other.id, { local: false }).id)!;
    const direct = findStatusById(
      db,
      status({ db, urls }, remote.id, { local: false, visibility: "direct" }).id,
    )!;

    replaceRemotePins(db, remote, [own[0]!, someoneElses, direct, own[1]!]);
    expect(pinnedStatuses(db, null, remote.id).map((s) => s.id)).toEqual([own[0]!.id, own[1]!.id]);
    expect(addRemotePin(db, remote, someoneElses)).toBe(false);

    replaceRemotePins(db, remote, own);
    const kept = pinnedStatuses(db, null, remote.id).map((s) => s.id);
    expect(kept).toEqual(own.slice(0, MAX_REMOTE_PINS).map((s) => s.id));
    // An Add beyond the bound makes room by dropping the oldest pin.
    expect(addRemotePin(db, remote, own[MAX_REMOTE_PINS]!)).toBe(true);
    const after = pinnedStatuses(db, null, remote.id).map((s) => s.id);
    expect(after).toHaveLength(MAX_REMOTE_PINS);
    expect(after[0]).toBe(own[MAX_REMOTE_PINS]!.id);
    expect(after).not.toContain(own[MAX_REMOTE_PINS - 1]!.id);
  });

  it("keeps a remote actor's featured hashtags valid, unique and bounded", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const remote = remoteAccount(i, "rem", "remote.example");
    const many = Array.from({ length: 30 }, (_, n) => `#tag${n}x`);
    replaceRemoteFeaturedTags(i.deps.db, remote, ["#Sea", "#sea", "not a tag", "#123", ...many]);
    const names = featuredTagsOf(i.deps.db, remote.id).map((t) => t.displayName);
    expect(names.slice(0, 2)).toEqual(["Sea", "tag0x"]);
    expect(names).toHaveLength(20);
  });
});
