// A suspended local account is deleted once its grace period has passed (SUSPENDED_ACCOUNT_DELETE_DAYS),
// as its owner would delete it (the account.deleted event carries the Delete(Person)); one suspended
// more recently, or lifted, stays whole.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts, domainEvents, statuses } from "../../src/db/schema/index.ts";
import { deleteLongSuspendedAccounts } from "../../src/domain/suspension-cleanup.ts";
import { localUser, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

const DAY = 86_400_000;
let i: TestInstance;
beforeAll(async () => {
  i = await createTestInstance();
});
afterAll(async () => {
  await i.close();
});

describe("the suspended-account cleanup", () => {
  it("deletes accounts suspended past the grace period, and only those", async () => {
    const now = new Date();
    const old = (await localUser(i, "longgone")).account;
    const recent = (await localUser(i, "recent")).account;
    const active = (await localUser(i, "active")).account;
    for (const a of [old, recent, active]) await status(i, a, { content: "<p>mine</p>" });
    await i.deps.db
      .update(accounts)
      .set({ suspendedAt: new Date(now.getTime() - 31 * DAY) })
      .where(eq(accounts.id, old.id));
    await i.deps.db
      .update(accounts)
      .set({ suspendedAt: new Date(now.getTime() - 10 * DAY) })
      .where(eq(accounts.id, recent.id));

    expect(await deleteLongSuspendedAccounts(i.deps.db, i.deps.media.store, 30, now)).toEqual([
      "longgone",
    ]);
    const row = async (id: string) =>
      (await i.deps.db.select().from(accounts).where(eq(accounts.id, id)))[0]!;
    expect((await row(old.id)).deletedAt).not.toBeNull();
    expect((await row(recent.id)).deletedAt).toBeNull();
    expect((await row(active.id)).deletedAt).toBeNull();
    const left = await i.deps.db.select().from(statuses);
    expect(left.map((s) => s.accountId).sort()).toEqual([active.id, recent.id].sort());
    const events = (await i.deps.db.select().from(domainEvents)).map((e) => e.type);
    expect(events).toContain("account.deleted");
    // A second sweep finds nothing more to do.
    expect(await deleteLongSuspendedAccounts(i.deps.db, i.deps.media.store, 30, now)).toEqual([]);
    // With a shorter grace period the recent one goes too.
    expect(await deleteLongSuspendedAccounts(i.deps.db, i.deps.media.store, 7, now)).toEqual([
      "recent",
    ]);
  });
});
