// Scheduled posts on the pages: compose's "schedule for" field schedules through the API's scheduler
// (nothing is published yet), a time under five minutes ahead or unreadable is refused with a message
// before the image is stored, and /scheduled lists one's scheduled posts and cancels them.
import { afterEach, describe, expect, it } from "vitest";
import { mediaAttachments, scheduledStatuses, statuses } from "../../src/db/schema/index.ts";
import { localUser, webpImage } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const i: TestInstance = await createTestInstance();
  cleanups.push(() => i.close());
  await localUser(i, "alice");
  await localUser(i, "bob");
  const client = new PageClient(i.app);
  await client.signIn("alice");
  const csrf = await client.csrfFrom("/compose");
  return { i, client, csrf };
}

/** A datetime-local value (UTC, to the minute) `minutes` from now. */
const inMinutes = (minutes: number) =>
  new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16);

async function upload(client: PageClient, csrf: string, scheduledAt: string) {
  const form = new FormData();
  form.set("csrf", csrf);
  form.set("file", new File([await webpImage({ r: 20, g: 90, b: 200 })], "sea.webp"));
  form.set("text", "The sea at dawn");
  form.set("alt", "A blue square");
  form.set("visibility", "public");
  form.set("scheduled_at", scheduledAt);
  return client.request("/compose/upload", { method: "POST", body: form });
}

describe("scheduled posts pages", () => {
  it("schedules from compose, lists the post and cancels it", async () => {
    const { i, client, csrf } = await setup();
    expect((await client.get("/compose")).body).toContain('name="scheduled_at"');
    const at = inMinutes(90);
    const res = await upload(client, csrf, at);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/scheduled?scheduled=1");
    expect(await i.deps.db.select().from(statuses)).toEqual([]);
    const [row] = await i.deps.db.select().from(scheduledStatuses);
    expect(row?.scheduledAt.toISOString()).toBe(`${at}:00.000Z`);
    expect(row?.params.text).toBe("The sea at dawn");
    const media = (await i.deps.db.select().from(mediaAttachments).limit(1))[0];
    expect(media?.scheduledStatusId).toBe(row?.id);

    const list = await client.get("/scheduled?scheduled=1");
    expect(list.res.status).toBe(200);
    expect(list.body).toContain("Scheduled.");
    expect(list.body).toContain("The sea at dawn");
    expect(list.body).toContain(`${at.replace("T", " ")} UTC`);

    // Someone else cannot cancel it.
    const bob = new PageClient(i.app);
    await bob.signIn("bob");
    expect((await bob.get("/scheduled")).body).not.toContain("The sea at dawn");
    const bobCsrf = await bob.csrfFrom("/scheduled");
    expect((await bob.post(`/scheduled/${row?.id}/cancel`, { csrf: bobCsrf })).status).toBe(404);

    const listCsrf = /name="csrf" value="([^"]+)"/.exec(list.body)![1]!;
    const cancelled = await client.post(`/scheduled/${row?.id}/cancel`, { csrf: listCsrf });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("location")).toBe("/scheduled?cancelled=1");
    expect(await i.deps.db.select().from(scheduledStatuses)).toEqual([]);
    expect((await client.get("/scheduled")).body).toContain("Nothing scheduled.");
  });

  it("refuses a time under five minutes ahead, or unreadable, before storing the image", async () => {
    const { i, client, csrf } = await setup();
    const soon = await upload(client, csrf, inMinutes(2));
    expect(soon.status).toBe(400);
    expect(await soon.text()).toContain("at least 5 minutes ahead");
    const past = await upload(client, csrf, inMinutes(-60));
    expect(past.status).toBe(400);
    const garbled = await upload(client, csrf, "next tuesday");
    expect(garbled.status).toBe(400);
    expect(await garbled.text()).toContain("Enter the time to post at");
    expect(await i.deps.db.select().from(mediaAttachments)).toEqual([]);
    expect(await i.deps.db.select().from(scheduledStatuses)).toEqual([]);
    expect(await i.deps.db.select().from(statuses)).toEqual([]);

    // Without a time it posts now, as before.
    const now = await upload(client, csrf, "");
    expect(now.status).toBe(303);
    expect(await i.deps.db.select().from(statuses)).toHaveLength(1);
  });
});
