// A moderator's account action is one transaction: when any part of it fails (here the warning's
// insert, naming a moderator who does not exist), the action itself is undone too — no account left
// limited, sensitized, disabled or suspended without its warning, log entry and notice.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accounts,
  accountWarnings,
  moderationLogs,
  users,
  webSessions,
} from "../../src/db/schema/index.ts";
import { actOnAccount } from "../../src/domain/account-moderation.ts";
import { localUser, remoteAccount } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
beforeAll(async () => {
  i = await createTestInstance();
});
afterAll(async () => {
  await i.close();
});

const NO_SUCH_MODERATOR = "999999999999999999";

describe("account actions", () => {
  it("undo the action when its warning cannot be stored", async () => {
    const { account } = await localUser(i, "target");
    const remote = await remoteAccount(i, "faraway");
    const web = new PageClient(i.app);
    expect((await web.signIn("target")).status).toBe(303);
    const sessionsBefore = (
      await i.deps.db.select().from(webSessions).where(eq(webSessions.accountId, account.id))
    ).length;
    expect(sessionsBefore).toBe(1);

    const cases = [
      { targetId: account.id, action: "silence" as const },
      { targetId: account.id, action: "sensitive" as const },
      { targetId: account.id, action: "disable" as const },
      { targetId: account.id, action: "suspend" as const },
      { targetId: remote.id, action: "suspend" as const },
    ];
    for (const c of cases) {
      await expect(
        actOnAccount(i.deps.db, { moderatorId: NO_SUCH_MODERATOR, text: "note", ...c }),
      ).rejects.toThrow();
    }
    const [row] = await i.deps.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect([row!.limitedAt, row!.sensitizedAt, row!.suspendedAt]).toEqual([null, null, null]);
    const [user] = await i.deps.db.select().from(users).where(eq(users.accountId, account.id));
    expect(user!.disabledAt).toBeNull();
    const [far] = await i.deps.db.select().from(accounts).where(eq(accounts.id, remote.id));
    expect(far!.suspendedAt).toBeNull();
    // Disabling and suspending end web sessions: undone with the rest.
    expect(
      (await i.deps.db.select().from(webSessions).where(eq(webSessions.accountId, account.id)))
        .length,
    ).toBe(1);
    expect(await i.deps.db.select().from(accountWarnings)).toEqual([]);
    expect(await i.deps.db.select().from(moderationLogs)).toEqual([]);
  });

  it("carries out the action, its warning and its log entry together when all goes well", async () => {
    const admin = await localUser(i, "moderator", { admin: true });
    const { account } = await localUser(i, "limited");
    const warning = await actOnAccount(i.deps.db, {
      moderatorId: admin.account.id,
      targetId: account.id,
      action: "silence",
      text: "Please calm down",
    });
    expect(warning.action).toBe("silence");
    const [row] = await i.deps.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(row!.limitedAt).not.toBeNull();
    const logs = await i.deps.db.select().from(moderationLogs);
    expect(logs.map((l) => [l.action, l.targetId])).toEqual([["account.silence", account.id]]);
  });
});
