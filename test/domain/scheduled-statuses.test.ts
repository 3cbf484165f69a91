// The scheduler across restarts and failures: a status that fell due while the server was stopped goes
// out at start, exactly once; a failure between publishing and deleting the row publishes nothing; one
// that can no longer be published is dropped; the images it holds are not pruned meanwhile.
import { eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.ts";
import { isPostgres, rawRun } from "../../src/db/dialect.ts";
import { mediaAttachments, scheduledStatuses, statuses } from "../../src/db/schema/index.ts";
import { createDeps, type Deps } from "../../src/deps.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { deleteStatus, publishStatus } from "../../src/domain/statuses.ts";
import { pruneMedia } from "../../src/media/prune.ts";
import { tempDir, testConfig } from "../helpers/instance.ts";

const MINUTE = 60_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let shift = 0;
const now = () => new Date(Date.now() + shift);
const inMinutes = (n: number) => new Date(now().getTime() + n * MINUTE);

async function setUp(): Promise<{ config: Config; deps: Deps; aliceId: string }> {
  shift = 0;
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const config = testConfig({ DATA_DIR: dir.path });
  const deps = await createDeps(config, { now });
  cleanups.push(() => deps.close());
  const { account } = await createLocalUser(deps.db, deps.urls, {
    username: "alice",
    password: "correct horse",
  });
  return { config, deps, aliceId: account.id };
}

const png = (colour: string) =>
  sharp({ create: { width: 24, height: 24, channels: 3, background: colour } })
    .png()
    .toBuffer();

const statusesOf = async (deps: Deps, accountId: string) =>
  await deps.db.select().from(statuses).where(eq(statuses.accountId, accountId));

describe("the scheduled-status scheduler", () => {
  it("publishes at start what fell due while the server was stopped, exactly once, with its image", async () => {
    const { config, deps, aliceId } = await setUp();
    await deps.start();
    const image = await deps.media.ingest(aliceId, await png("#345"));
    await deps.scheduledStatuses.schedule(
      aliceId,
      { text: "while you slept", media: [{ id: image.id }] },
      inMinutes(30),
    );
    await deps.close();

    shift = 31 * MINUTE;
    const again = await createDeps(config, { now });
    cleanups.push(() => again.close());
    // The events as their subscribers receive them: a dispatched event leaves the outbox table.
    const publishedEvents: string[] = [];
    again.events.on("status.published", "test", (e) => void publishedEvents.push(e.statusId));
    expect(await statusesOf(again, aliceId)).toEqual([]);
    await again.start();
    const published = await statusesOf(again, aliceId);
    expect(published.map((s) => s.source)).toEqual(["while you slept"]);
    expect(await again.db.select().from(scheduledStatuses)).toEqual([]);
    const attached = (
      await again.db
        .select()
        .from(mediaAttachments)
        .where(eq(mediaAttachments.id, image.id))
        .limit(1)
    )[0];
    expect(attached?.statusId).toBe(published[0]!.id);
    // The event that federation, streaming and notifications follow was recorded, as for any post.
    await again.events.drain();
    expect(publishedEvents).toContain(published[0]!.id);
    expect(await again.scheduledStatuses.publishDue()).toBe(0);
    expect(await statusesOf(again, aliceId)).toHaveLength(1);
  });

  it("publishes nothing when the row cannot be deleted, and once when it can", async () => {
    const { deps, aliceId } = await setUp();
    await deps.scheduledStatuses.schedule(aliceId, { text: "all or nothing" }, inMinutes(10));
    shift = 11 * MINUTE;
    // A failure between publishing and deleting (here: the delete itself fails).
    if (isPostgres(deps.db)) {
      await rawRun(
        deps.db,
        sql.raw(`create function crash() returns trigger language plpgsql as
          $$ begin raise exception 'crash'; end $$`),
      );
      await rawRun(
        deps.db,
        sql.raw(`create trigger crash before delete on scheduled_statuses
          for each row execute function crash()`),
      );
    } else {
      await rawRun(
        deps.db,
        sql.raw(
          "create trigger crash before delete on scheduled_statuses begin select raise(abort, 'crash'); end",
        ),
      );
    }
    // drizzle on PostgreSQL wraps the driver's error ("Failed query: …") and keeps it as the cause.
    const failure = await deps.scheduledStatuses.publishDue().then(
      () => undefined,
      (error: Error) => `${error.message} ${(error.cause as Error | undefined)?.message ?? ""}`,
    );
    expect(failure).toMatch(/crash/);
    expect(await statusesOf(deps, aliceId)).toEqual([]);
    expect(await deps.db.select().from(scheduledStatuses)).toHaveLength(1);
    await rawRun(
      deps.db,
      sql.raw(
        isPostgres(deps.db) ? "drop trigger crash on scheduled_statuses" : "drop trigger crash",
      ),
    );
    expect(await deps.scheduledStatuses.publishDue()).toBe(1);
    expect(await deps.scheduledStatuses.publishDue()).toBe(0);
    expect(await statusesOf(deps, aliceId)).toHaveLength(1);
  });

  it("drops a scheduled reply whose parent was deleted, as Mastodon does", async () => {
    const { deps, aliceId } = await setUp();
    const parent = await publishStatus(deps, aliceId, { text: "parent" });
    await deps.scheduledStatuses.schedule(
      aliceId,
      { text: "a reply", inReplyToId: parent.id },
      inMinutes(10),
    );
    await deleteStatus(deps, aliceId, parent.id);
    shift = 11 * MINUTE;
    expect(await deps.scheduledStatuses.publishDue()).toBe(0);
    expect(await deps.db.select().from(scheduledStatuses)).toEqual([]);
    expect(await statusesOf(deps, aliceId)).toEqual([]);
  });

  it("keeps a held image out of the media prune, and frees it on cancel", async () => {
    const { deps, aliceId } = await setUp();
    const image = await deps.media.ingest(aliceId, await png("#678"));
    const scheduled = await deps.scheduledStatuses.schedule(
      aliceId,
      { text: "", media: [{ id: image.id }] },
      inMinutes(60),
    );
    const future = new Date(Date.now() + 1000);
    expect((await pruneMedia(deps.db, deps.media.store, future)).attachments).toBe(0);
    expect(await deps.media.store.has(image.displayKey!)).toBe(true);
    await deps.scheduledStatuses.cancel(aliceId, scheduled.id);
    const freed = (
      await deps.db
        .select()
        .from(mediaAttachments)
        .where(eq(mediaAttachments.id, image.id))
        .limit(1)
    )[0];
    expect(freed?.scheduledStatusId).toBeNull();
    expect((await pruneMedia(deps.db, deps.media.store, future)).attachments).toBe(1);
  });
});
