// Emoji reactions in grouped notifications (/api/v2/notifications, issue #17): grouped as Mastodon groups
// favourites, one group per status and emoji (a group shows one emoji), named by Pleroma's type; a
// client that leaves them out of grouped_types gets each alone, and another status's are another group.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account, Status } from "../../src/db/schema/index.ts";
import { reactToStatus } from "../../src/domain/emoji-reactions.ts";
import { call, localUser, remoteAccount, status } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

let instance: TestInstance;
let token: string;
let post: Status;
const fans: Account[] = [];

const react = async (fan: Account, name: string, target: Status = post) =>
  await reactToStatus(instance.deps.db, instance.deps.urls, fan, target, { name, emojiUrl: null });

interface Group {
  group_key: string;
  type: string;
  notifications_count: number;
  sample_account_ids: string[];
  status_id?: string;
  emoji?: string;
}
const groups = async (query = ""): Promise<Group[]> => {
  const res = await call(
    instance,
    "GET",
    `/api/v2/notifications?types[]=pleroma:emoji_reaction${query}`,
    { token },
  );
  expect(res.status).toBe(200);
  return res.json.notification_groups;
};

beforeAll(async () => {
  instance = await createTestInstance();
  const alice = await localUser(instance, "alice");
  token = alice.token;
  post = await status(instance, alice.account);
  for (const name of ["wave1", "wave2", "fire1"]) {
    fans.push(await remoteAccount(instance, name, `${name}.example`));
  }
  await react(fans[0]!, "🌊");
  await react(fans[1]!, "🌊");
  await react(fans[2]!, "🔥");
}, 60_000);
afterAll(async () => {
  await instance?.close();
});

describe("emoji reactions in grouped notifications", () => {
  it("groups the reactions to a status by emoji, newest group first", async () => {
    expect.hasAssertions();
    const [fire, wave, ...rest] = await groups();
    expect(rest).toEqual([]);
    expect(fire).toMatchObject({
      type: "pleroma:emoji_reaction",
      emoji: "🔥",
      status_id: post.id,
      notifications_count: 1,
      sample_account_ids: [fans[2]!.id],
    });
    expect(wave).toMatchObject({
      type: "pleroma:emoji_reaction",
      emoji: "🌊",
      status_id: post.id,
      notifications_count: 2,
      sample_account_ids: [fans[1]!.id, fans[0]!.id],
    });
    expect(wave!.group_key).toMatch(new RegExp(`^emoji_reaction-${post.id}-[0-9a-f]+-\\d+$`));
    expect(fire!.group_key).not.toBe(wave!.group_key);

    // The group by its key, as a client opens it.
    const one = await call(instance, "GET", `/api/v2/notifications/${wave!.group_key}`, { token });
    expect(one.status).toBe(200);
    expect(one.json.notification_groups[0]).toMatchObject({ notifications_count: 2, emoji: "🌊" });
  });

  it("keeps each reaction alone when grouped_types leaves them out, and groups them by Pleroma's name", async () => {
    expect.hasAssertions();
    const alone = await groups("&grouped_types[]=favourite");
    expect(alone.map((g) => g.notifications_count)).toEqual([1, 1, 1]);
    expect(alone.every((g) => g.group_key.startsWith("ungrouped-"))).toBe(true);
    expect(alone.map((g) => g.emoji)).toEqual(["🔥", "🌊", "🌊"]);
    const grouped = await groups("&grouped_types[]=pleroma:emoji_reaction");
    expect(grouped.map((g) => g.notifications_count)).toEqual([1, 2]);
  });

  it("a reaction to another status is its own group", async () => {
    expect.hasAssertions();
    const other = await status(instance, post.accountId);
    await react(fans[0]!, "🌊", other);
    const [newest, ...older] = await groups();
    expect(newest).toMatchObject({ status_id: other.id, emoji: "🌊", notifications_count: 1 });
    expect(older.map((g) => g.notifications_count)).toEqual([1, 2]);
  });
});
