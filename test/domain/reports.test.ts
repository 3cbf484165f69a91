import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { returned } from "../../src/db/returned.ts";
import { accounts, reports } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { MAX_REPORTED_STATUSES, receiveReport } from "../../src/domain/reports.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance | undefined;
afterEach(async () => {
  await instance?.close();
  instance = undefined;
});

describe("reports received as Flags", () => {
  it("keeps each reported status once, and at most MAX_REPORTED_STATUSES of them", async () => {
    instance = await createTestInstance();
    const { db, urls } = instance.deps;
    const { account: target } = await createLocalUser(db, urls, {
      username: "target",
      password: "target-password",
    });
    const reporter = returned(
      await db
        .insert(accounts)
        .values({
          id: newId(),
          username: "reporter",
          domain: "remote.example",
          iri: "https://remote.example/users/reporter",
        })
        .returning(),
    );
    const many = Array.from({ length: MAX_REPORTED_STATUSES + 20 }, (_, i) => `s${i}`);
    const id = await receiveReport(db, {
      iri: "https://remote.example/flags/1",
      reporter,
      target,
      statusIds: ["s0", "s0", ...many],
      comment: "",
    });
    const stored = (await db.select().from(reports).where(eq(reports.id, id)).limit(1))[0]!;
    expect(stored.statusIds).toEqual(many.slice(0, MAX_REPORTED_STATUSES));
  });
});
