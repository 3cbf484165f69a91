// Scheduled statuses through masto.js against a real server: POST /api/v1/statuses with scheduled_at
// answers a ScheduledStatus and publishes nothing yet; list, fetch, reschedule and cancel; Mastodon's
// five-minute rule and limits; and publishing when due, driven by the injectable clock.
import { eq } from "drizzle-orm";
import { createRestAPIClient, type mastodon } from "masto";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { newId } from "../../src/db/ids.ts";
import { mediaAttachments, scheduledStatuses, statuses } from "../../src/db/schema/index.ts";
import { call, localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";

const MINUTE = 60_000;
let shift = 0;
const now = () => new Date(Date.now() + shift);
const inMinutes = (n: number) => new Date(now().getTime() + n * MINUTE).toISOString();

let instance: ServedInstance;
let client: mastodon.rest.Client;
let aliceId: string;
let token: string;

async function upload(colour: string): Promise<string> {
  const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: colour } })
    .png()
    .toBuffer();
  return (await instance.deps.media.ingest(aliceId, png, { description: colour })).id;
}

const publishedByAlice = async () =>
  await instance.deps.db.select().from(statuses).where(eq(statuses.accountId, aliceId));

beforeAll(async () => {
  instance = await serveTestInstance({}, { now });
  const alice = await localUser(instance, "alice");
  aliceId = alice.account.id;
  token = alice.token;
  client = createRestAPIClient({ url: instance.url, accessToken: alice.token });
});
afterAll(() => instance.close());
beforeEach(async () => {
  shift = 0;
  await instance.deps.db.delete(statuses);
  await instance.deps.db.delete(scheduledStatuses);
});

describe("scheduled statuses", () => {
  it("schedules a post with an image instead of publishing it, and lists and fetches it", async () => {
    const imageId = await upload("#123456");
    const at = inMinutes(60);
    const scheduled = await client.v1.statuses.create({
      status: "Later, a lighthouse",
      mediaIds: [imageId],
      spoilerText: "light",
      visibility: "unlisted",
      language: "en",
      scheduledAt: at,
    });
    expect(scheduled.scheduledAt).toBe(at);
    expect(scheduled.params).toMatchObject({
      text: "Later, a lighthouse",
      mediaIds: [imageId],
      spoilerText: "light",
      visibility: "unlisted",
      language: "en",
      inReplyToId: null,
      poll: null,
      scheduledAt: null,
      idempotency: null,
      withRateLimit: false,
    });
    expect(scheduled.mediaAttachments.map((m) => [m.id, m.description])).toEqual([
      [imageId, "#123456"],
    ]);
    // Nothing is public yet: the issue was an app saying "scheduled" while the post was out.
    expect(await publishedByAlice()).toEqual([]);
    expect(await client.v1.accounts.$select(aliceId).statuses.list()).toEqual([]);

    const listed = await client.v1.scheduledStatuses.list();
    expect(listed.map((s) => s.id)).toEqual([scheduled.id]);
    const fetched = await client.v1.scheduledStatuses.$select(scheduled.id).fetch();
    expect(fetched.params.text).toBe("Later, a lighthouse");
  });

  it("pages the list with Link headers, newest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await client.v1.statuses.create({ status: `s${i}`, scheduledAt: inMinutes(10 + i) })).id,
      );
    }
    const first = await call(instance, "GET", "/api/v1/scheduled_statuses?limit=2", { token });
    expect(first.json.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1];
    expect(next).toContain(`max_id=${ids[1]}`);
    const second = await call(instance, "GET", new URL(next!).pathname + new URL(next!).search, {
      token,
    });
    expect(second.json.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
  });

  it("refuses a time less than five minutes ahead with Mastodon's message, and posts a past one now", async () => {
    await expect(
      client.v1.statuses.create({ status: "too soon", scheduledAt: inMinutes(4) }),
    ).rejects.toMatchObject({
      statusCode: 422,
      message: "Validation failed: Scheduled at The scheduled date must be in the future",
    });
    const bad = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "when?", scheduled_at: "next tuesday" },
    });
    expect(bad.status).toBe(422);
    expect(await client.v1.scheduledStatuses.list()).toEqual([]);
    // Mastodon publishes a status whose scheduled time has already passed at once.
    const posted = await call(instance, "POST", "/api/v1/statuses", {
      token,
      body: { status: "already", scheduled_at: inMinutes(-1) },
    });
    expect(posted.status).toBe(200);
    expect(posted.json.content).toContain("already");
  });

  it("reschedules under the same rule and cancels, freeing the image", async () => {
    const imageId = await upload("#654321");
    const scheduled = await client.v1.statuses.create({
      status: "move me",
      mediaIds: [imageId],
      scheduledAt: inMinutes(30),
    });
    const later = inMinutes(120);
    const moved = await client.v1.scheduledStatuses.$select(scheduled.id).update({
      scheduledAt: later,
    });
    expect(moved.scheduledAt).toBe(later);
    await expect(
      client.v1.scheduledStatuses.$select(scheduled.id).update({ scheduledAt: inMinutes(2) }),
    ).rejects.toMatchObject({ statusCode: 422 });

    // Held: the image cannot go out with another post meanwhile.
    await expect(
      client.v1.statuses.create({ status: "steal", mediaIds: [imageId] }),
    ).rejects.toMatchObject({ statusCode: 422 });

    await client.v1.scheduledStatuses.$select(scheduled.id).remove();
    await expect(client.v1.scheduledStatuses.$select(scheduled.id).fetch()).rejects.toMatchObject({
      statusCode: 404,
    });
    const posted = await client.v1.statuses.create({ status: "now free", mediaIds: [imageId] });
    expect(posted.mediaAttachments.map((m) => m.id)).toEqual([imageId]);
  });

  it("answers a retry with the same Idempotency-Key with the same scheduled status", async () => {
    const body = { status: "once", scheduled_at: inMinutes(15) };
    const headers = { "Idempotency-Key": "sched-1" };
    const post = () =>
      fetch(`${instance.url}/api/v1/statuses`, {
        method: "POST",
        headers: {
          ...headers,
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string }>);
    const first = await post();
    const second = await post();
    expect(second.id).toBe(first.id);
    expect((await client.v1.scheduledStatuses.list()).map((s) => s.id)).toEqual([first.id]);
  });

  it("keeps another account's scheduled statuses out of reach", async () => {
    const bob = await localUser(instance, "bob");
    const scheduled = await client.v1.statuses.create({
      status: "mine",
      scheduledAt: inMinutes(9),
    });
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await call(instance, method, `/api/v1/scheduled_statuses/${scheduled.id}`, {
        token: bob.token,
        ...(method === "PUT" ? { body: { scheduled_at: inMinutes(20) } } : {}),
      });
      expect(res.status).toBe(404);
    }
    const readOnly = await localUser(instance, "reader", "read");
    const denied = await call(instance, "DELETE", `/api/v1/scheduled_statuses/${scheduled.id}`, {
      token: readOnly.token,
    });
    expect(denied.status).toBe(403);
    const anonymous = await call(instance, "GET", "/api/v1/scheduled_statuses");
    expect(anonymous.status).toBe(401);
  });

  it("keeps Mastodon's limits: 25 on one day, 300 in all", async () => {
    const day = new Date(now().getTime() + 3 * 86_400_000);
    day.setUTCHours(12, 0, 0, 0);
    const rows = Array.from({ length: 25 }, (_, i) => ({
      id: newId(),
      accountId: aliceId,
      scheduledAt: new Date(day.getTime() + i * MINUTE),
      params: {
        text: `n${i}`,
        mediaIds: [],
        sensitive: null,
        spoilerText: null,
        visibility: null,
        inReplyToId: null,
        language: null,
        applicationId: null,
      },
    }));
    await instance.deps.db.insert(scheduledStatuses).values(rows);
    await expect(
      client.v1.statuses.create({
        status: "one more that day",
        scheduledAt: new Date(day.getTime() + 6 * 3_600_000).toISOString(),
      }),
    ).rejects.toMatchObject({
      statusCode: 422,
      message: "Validation failed: You have exceeded the limit of 25 scheduled posts for today",
    });
    // Another day is fine, until the total reaches 300.
    const other = await client.v1.statuses.create({
      status: "the day after",
      scheduledAt: new Date(day.getTime() + 86_400_000).toISOString(),
    });
    expect(other.id).toEqual(expect.any(String));
    const many = Array.from({ length: 274 }, (_, i) => ({
      ...rows[0]!,
      id: newId(),
      scheduledAt: new Date(day.getTime() + (10 + i) * 86_400_000),
    }));
    await instance.deps.db.insert(scheduledStatuses).values(many);
    await expect(
      client.v1.statuses.create({ status: "301st", scheduledAt: inMinutes(30) }),
    ).rejects.toMatchObject({
      statusCode: 422,
      message: "Validation failed: You have exceeded the limit of 300 scheduled posts",
    });
  });

  it("publishes a due status with its image exactly once, as a normal post", async () => {
    const imageId = await upload("#abcdef");
    const scheduled = await client.v1.statuses.create({
      status: "Good morning #dawn",
      mediaIds: [imageId],
      visibility: "public",
      scheduledAt: inMinutes(10),
    });
    expect(await instance.deps.scheduledStatuses.publishDue()).toBe(0);
    shift = 11 * MINUTE;
    expect(await instance.deps.scheduledStatuses.publishDue()).toBe(1);
    expect(await instance.deps.scheduledStatuses.publishDue()).toBe(0);

    const [status] = await client.v1.accounts.$select(aliceId).statuses.list();
    expect(status?.content).toContain("Good morning");
    expect(status?.tags.map((t) => t.name)).toEqual(["dawn"]);
    expect(status?.mediaAttachments.map((m) => m.id)).toEqual([imageId]);
    expect(await publishedByAlice()).toHaveLength(1);
    const held = (
      await instance.deps.db
        .select()
        .from(mediaAttachments)
        .where(eq(mediaAttachments.id, imageId))
        .limit(1)
    )[0];
    expect(held).toMatchObject({ statusId: status?.id, scheduledStatusId: null });
    await expect(client.v1.scheduledStatuses.$select(scheduled.id).fetch()).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it("wakes its timer at the next due time, re-armed by a reschedule", async () => {
    const scheduled = await client.v1.statuses.create({
      status: "on the timer",
      scheduledAt: inMinutes(20),
    });
    // The clock jumps to 100 ms before the time; the reschedule re-arms the timer for the new time.
    await client.v1.scheduledStatuses.$select(scheduled.id).update({ scheduledAt: inMinutes(6) });
    shift = 6 * MINUTE - 100;
    await instance.deps.scheduledStatuses.rearm();
    expect(await publishedByAlice()).toEqual([]);
    await vi.waitFor(async () => expect(await publishedByAlice()).toHaveLength(1), {
      timeout: 3000,
    });
    expect(await client.v1.scheduledStatuses.list()).toEqual([]);
  });
});
