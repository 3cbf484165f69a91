// Trends under review (TRENDS_REVIEW=true, Mastodon with trendable_by_default off): a tag that would
// trend stays out until an administrator approves it, through the CLI as an administrator would.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { call, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, storeVariables, type TestInstance } from "../helpers/instance.ts";
import { runScript } from "../helpers/process.ts";

let instance: TestInstance;
const now = Date.now();

beforeAll(async () => {
  instance = await createTestInstance({ TRENDS_REVIEW: "true" });
  for (let i = 0; i < 6; i++) {
    const author = await remoteAccount(instance, `painter${i}`, "remote.example", {
      discoverable: true,
    });
    await status(instance, author, { id: newId(now - 60_000 + i), tags: ["Nebula"] });
  }
  await instance.deps.trends.refresh(new Date(now));
});
afterAll(() => instance.close());

describe("trends under review", () => {
  it("shows a tag only once approved, and lists it for review meanwhile", async () => {
    expect((await call(instance, "GET", "/api/v1/trends/tags")).json).toEqual([]);
    const cli = (...args: string[]) =>
      runScript("src/cli/main.ts", args, storeVariables(instance.config));
    const listed = await cli("trends", "tags");
    expect(listed.stdout).toMatch(/#Nebula\t25\.0\t6 accounts today\tnot reviewed/);
    const approved = await cli("trends", "approve", "#nebula");
    expect(approved).toMatchObject({ code: 0 });
    expect(approved.stdout).toContain("Approved #Nebula");
    const tags = (await call(instance, "GET", "/api/v1/trends/tags")).json;
    expect(tags.map((t: { name: string }) => t.name)).toEqual(["Nebula"]);
    // A tag nobody used cannot be reviewed.
    expect((await cli("trends", "reject", "nothing")).code).toBe(1);
  }, 120_000);
});
