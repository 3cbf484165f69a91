// A source post's page counts and shows its remixes (statuses.remix_of_id), as the viewer may see them:
// a plain quote of it is no remix, a followers-only remix reaches only its author's followers, a remix
// whose quote was revoked is not shown, and an edit dropping the quote drops the lineage.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { remixTiles } from "../../src/db/queries/gallery.ts";
import type { Deps } from "../../src/deps.ts";
import { followAccount } from "../../src/domain/follows.ts";
import { revokeQuote } from "../../src/domain/quotes.ts";
import { startRemix } from "../../src/domain/remix.ts";
import { editStatus, publishStatus } from "../../src/domain/statuses.ts";
import { localUser } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let instance: TestInstance;
beforeEach(async () => {
  instance = await createTestInstance();
});
afterEach(() => instance.close());

async function generated(deps: Deps, accountId: string, prompt: string) {
  const job = await deps.generation.request(accountId, { prompt, size: "256x256", seed: 3 });
  await deps.generation.idle();
  return (await deps.generation.get(accountId, job.id)).candidates[0]!;
}

/** `accountId`'s remix of `sourceId`, published as a post. */
async function remix(
  deps: Deps,
  accountId: string,
  sourceId: string,
  extra: { visibility?: "public" | "private" } = {},
) {
  const job = await startRemix(deps, accountId, sourceId, { size: "256x256", seed: 5 });
  await deps.generation.idle();
  const candidate = (await deps.generation.get(accountId, job.id)).candidates[0]!;
  return await publishStatus(deps, accountId, {
    text: "my take",
    media: [{ id: candidate.id }],
    ...extra,
  });
}

const remixesSection = (body: string) =>
  /<section class="remixes"[\s\S]*?<\/section>/.exec(body)?.[0] ?? "";

describe("remixes on the source's page", () => {
  it("counts remixes but not plain quotes, and shows each remix to whom it may be shown", async () => {
    const { deps } = instance;
    await deps.start();
    const alice = await localUser(instance, "alice");
    const bob = await localUser(instance, "bob");
    const carol = await localUser(instance, "carol");
    const dave = await localUser(instance, "dave");
    const source = await publishStatus(deps, alice.account.id, {
      text: "the original",
      media: [{ id: (await generated(deps, alice.account.id, "a glass whale")).id }],
    });
    const client = new PageClient(instance.app);
    const path = `/@alice/${source.id}`;
    expect(remixesSection((await client.get(path)).body)).toBe("");

    const bobs = await remix(deps, bob.account.id, source.id);
    expect(bobs).toMatchObject({ quoteOfId: source.id, remixOfId: source.id });
    // A plain quote of the same post, even with an image, is a quote and nothing more.
    const quote = await publishStatus(deps, carol.account.id, {
      text: "look at this",
      quotedStatusId: source.id,
      media: [{ id: (await generated(deps, carol.account.id, "a whale, quoted")).id }],
    });
    expect(quote).toMatchObject({ quoteOfId: source.id, remixOfId: null });
    // Dave's remix is for his followers only.
    const daves = await remix(deps, dave.account.id, source.id, { visibility: "private" });
    expect(daves.remixOfId).toBe(source.id);

    const anonymous = remixesSection((await client.get(path)).body);
    expect(anonymous).toContain("1 remix<");
    expect(anonymous).toContain(`/@bob/${bobs.id}`);
    expect(anonymous).not.toContain(`/@carol/${quote.id}`);
    expect(anonymous).not.toContain(`/@dave/${daves.id}`);

    // A follower of dave sees both remixes, through the same visibility rule as everywhere else.
    await followAccount(deps.db, deps.urls, carol.account, dave.account);
    const asCarol = new PageClient(instance.app);
    await asCarol.signIn("carol");
    const followerView = remixesSection((await asCarol.get(path)).body);
    expect(followerView).toContain("2 remixes<");
    expect(followerView).toContain(`/@dave/${daves.id}`);
    expect(followerView).toContain(`/@bob/${bobs.id}`);
    expect(followerView).not.toContain(`/@carol/${quote.id}`);

    // Alice revokes her consent to bob's quote: his remix leaves her page.
    await revokeQuote(deps.db, alice.account.id, source.id, bobs.id);
    expect((await remixTiles(deps.db, source.id, null)).count).toBe(0);
    expect((await remixTiles(deps.db, source.id, carol.account.id)).count).toBe(1);
    // Dave drops the quote in an edit: his post is no remix any more either.
    const edited = await editStatus(deps, dave.account.id, daves.id, {
      text: "on its own now",
      quotedStatusId: null,
    });
    expect(edited).toMatchObject({ quoteOfId: null, remixOfId: null });
    expect(remixesSection((await asCarol.get(path)).body)).toBe("");
  });
});
