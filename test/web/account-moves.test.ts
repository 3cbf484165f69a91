// Settings → Aliases and Settings → Moving, in the browser's way (cookies, CSRF): bob names alice as an
// alias, alice moves to bob with her password, her follower follows bob instead, and her profile says
// she moved. Each refusal (unknown account, no alias, wrong password, cooldown, already moved) shows
// the page again with its reason and a 4xx status, and changes nothing.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAccountById } from "../../src/db/queries/accounts.ts";
import { accounts, follows } from "../../src/db/schema/index.ts";
import { MOVE_COOLDOWN_MS } from "../../src/domain/account-moves.ts";
import { latestFollowerMove } from "../../src/domain/follower-moves.ts";
import { follow, localUser, PASSWORD } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance;
beforeAll(async () => {
  i = await createTestInstance();
});
afterAll(() => i.close());

const followed = async (followerId: string, targetId: string) =>
  (
    await i.deps.db
      .select()
      .from(follows)
      .where(and(eq(follows.accountId, followerId), eq(follows.targetAccountId, targetId)))
  ).length === 1;

describe("the aliases and moving settings pages", () => {
  it("adds and removes an alias, refuses unknown accounts, and moves with the password", async () => {
    const store = { db: i.deps.db, urls: i.deps.urls };
    const { account: alice } = await localUser(store, "alice");
    const { account: bob } = await localUser(store, "bob");
    const { account: carol } = await localUser(store, "carol");
    await follow(store, carol.id, alice.id);

    const asBob = new PageClient(i.app);
    expect((await asBob.signIn("bob")).status).toBe(303);
    const settings = (await asBob.get("/settings")).body;
    expect(settings).toContain('href="/settings/aliases"');
    expect(settings).toContain('href="/settings/migration"');
    const csrf = await asBob.csrfFrom("/settings/aliases");
    expect((await asBob.post("/settings/aliases", { handle: "@alice" })).status).toBe(403);

    const unknown = await asBob.post("/settings/aliases", { csrf, handle: "@nobody" });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain("No account with that handle could be found.");
    const self = await asBob.post("/settings/aliases", { csrf, handle: "bob" });
    expect(self.status).toBe(422);

    const added = await asBob.post("/settings/aliases", { csrf, handle: "@alice" });
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toBe("/settings/aliases?done=added");
    const listed = (await asBob.get("/settings/aliases?done=added")).body;
    expect(listed).toContain("Alias added.");
    expect(listed).toContain(`value="${alice.iri}"`);
    expect((await findAccountById(i.deps.db, bob.id))!.alsoKnownAs).toEqual([alice.iri]);
    const twice = await asBob.post("/settings/aliases", { csrf, handle: "alice" });
    expect(twice.status).toBe(422);
    expect(await twice.text()).toContain("already one of your aliases");

    // Removing and adding again leaves the one alias in place for the move below.
    const removed = await asBob.post("/settings/aliases/delete", { csrf, iri: alice.iri });
    expect(removed.headers.get("location")).toBe("/settings/aliases?done=removed");
    expect((await findAccountById(i.deps.db, bob.id))!.alsoKnownAs).toEqual([]);

    const asAlice = new PageClient(i.app);
    expect((await asAlice.signIn("alice")).status).toBe(303);
    const moveCsrf = await asAlice.csrfFrom("/settings/migration");
    const noAlias = await asAlice.post("/settings/migration", {
      csrf: moveCsrf,
      handle: "@bob",
      password: PASSWORD,
    });
    expect(noAlias.status).toBe(422);
    expect(await noAlias.text()).toContain("does not list this one as an alias");

    await asBob.post("/settings/aliases", { csrf, handle: "@alice" });
    const wrong = await asAlice.post("/settings/migration", {
      csrf: moveCsrf,
      handle: "@bob",
      password: "not the password",
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("That password is not right");
    expect(
      (await asAlice.post("/settings/migration", { handle: "@bob", password: PASSWORD })).status,
    ).toBe(403);
    expect((await findAccountById(i.deps.db, alice.id))!.movedToAccountId).toBeNull();

    const moved = await asAlice.post("/settings/migration", {
      csrf: moveCsrf,
      handle: "@bob",
      password: PASSWORD,
    });
    expect(moved.status).toBe(303);
    expect(moved.headers.get("location")).toBe("/settings/migration?done=moved");
    // The followers are moved by the job the move queued, after the request.
    for (
      let n = 0;
      n < 200 && (await latestFollowerMove(i.deps.db, alice.id))?.state !== "finished";
      n++
    ) {
      await new Promise((done) => setTimeout(done, 20));
    }
    const page = (await asAlice.get("/settings/migration?done=moved")).body;
    expect(page).toContain("1 of 1 followers moved (done)");
    expect(page).toContain("This account has moved to");
    expect(page).toContain('href="/@bob"');
    expect(page).toContain("You can move again after");
    expect((await findAccountById(i.deps.db, alice.id))!.movedToAccountId).toBe(bob.id);
    expect(await followed(carol.id, bob.id)).toBe(true);
    expect(await followed(carol.id, alice.id)).toBe(false);

    // The profile, for visitors and signed-in viewers alike, points to the new account.
    const profile = await (await i.app.request("/@alice")).text();
    expect(profile).toMatch(/has moved to <a href="\/@bob"><strong>@bob@/);

    const soon = await asAlice.post("/settings/migration", {
      csrf: moveCsrf,
      handle: "@carol",
      password: PASSWORD,
    });
    expect(soon.status).toBe(422);
    expect(await soon.text()).toContain("You moved less than 30 days ago");

    // Past the cooldown, the same target again is refused as a move already made.
    await i.deps.db
      .update(accounts)
      .set({ movedAt: new Date(Date.now() - MOVE_COOLDOWN_MS - 60_000) })
      .where(eq(accounts.id, alice.id));
    const again = await asAlice.post("/settings/migration", {
      csrf: moveCsrf,
      handle: "@bob",
      password: PASSWORD,
    });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("already moved to that account");
  });
});
