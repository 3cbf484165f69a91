// Moving in with a CSV file between two real Atelier instances on loopback, through the settings pages:
// alice on A follows carol on A and dan on B and exports her follows; alice's new account on B imports
// the file; B follows carol over federation (WebFinger, Follow, A's Accept) and dan locally, and both
// instances' APIs show it: B's following list, and carol's followers on A.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followAccount } from "../../src/domain/follows.ts";
import { call, localUser } from "../helpers/factories.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";
import { PageClient } from "../helpers/web.ts";

let a: FederatedInstance;
let b: FederatedInstance;

beforeAll(async () => {
  [a, b] = await Promise.all([startFederatedInstance(), startFederatedInstance()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe("moving in with a CSV export", () => {
  it("follows on B, over federation, what alice followed on A", async () => {
    const alice = await localUser(a, "alice");
    const carol = await localUser(a, "carol");
    const dan = await localUser(b, "dan");
    const newAlice = await localUser(b, "alice2");
    const danHandle = `dan@127.0.0.1:${b.port}`;

    // On A, alice follows carol (local) and dan (on B, accepted by B).
    await followAccount(a.deps.db, a.deps.urls, alice.account, carol.account);
    const danOnA = await a.deps.federation.lookupAccount(danHandle, { fresh: false });
    await followAccount(a.deps.db, a.deps.urls, alice.account, danOnA!);
    await a.deps.events.drain();
    await waitFor("dan's Accept on A", async () => {
      const r = await call(a, "GET", `/api/v1/accounts/relationships?id[]=${danOnA!.id}`, {
        token: alice.token,
      });
      return (r.json as { following: boolean }[])[0]?.following === true;
    });

    const onA = new PageClient(a.app);
    expect((await onA.signIn("alice")).status).toBe(303);
    const exported = await onA.get("/settings/export/follows.csv");
    expect(exported.res.status).toBe(200);
    const lines = exported.body.trim().split("\n");
    expect(lines[0]).toBe("Account address,Show boosts,Notify on new posts,Languages");
    expect(lines.slice(1).sort()).toEqual(
      [`carol@127.0.0.1:${a.port},true,false,`, `${danHandle},true,false,`].sort(),
    );

    const onB = new PageClient(b.app);
    expect((await onB.signIn("alice2")).status).toBe(303);
    const form = new FormData();
    form.set("csrf", await onB.csrfFrom("/settings/import"));
    form.set("type", "following");
    form.set("mode", "merge");
    form.set("file", new File([exported.body], "following_accounts.csv", { type: "text/csv" }));
    const uploaded = await onB.request("/settings/import", { method: "POST", body: form });
    expect(uploaded.status).toBe(303);
    await b.deps.imports.idle();
    await b.deps.events.drain();

    // B: alice2 follows dan here and carol on A, once A accepted.
    const followingOnB = async () =>
      (
        (
          await call(b, "GET", `/api/v1/accounts/${newAlice.account.id}/following`, {
            token: newAlice.token,
          })
        ).json as { acct: string }[]
      )
        .map((x) => x.acct)
        .sort();
    await waitFor("carol's Accept on B", async () =>
      (await followingOnB()).includes(`carol@127.0.0.1:${a.port}`),
    );
    expect(await followingOnB()).toEqual([`carol@127.0.0.1:${a.port}`, "dan"]);
    expect(dan.account.id).toBeDefined();

    // A: carol's followers now include alice2 on B.
    const carolFollowers = (
      (
        await call(a, "GET", `/api/v1/accounts/${carol.account.id}/followers`, {
          token: carol.token,
        })
      ).json as { acct: string }[]
    ).map((x) => x.acct);
    expect(carolFollowers.sort()).toEqual(["alice", `alice2@127.0.0.1:${b.port}`]);
    // The import's progress page on B says it is done.
    expect((await onB.get("/settings/import")).body).toContain(
      "2/2 processed</span>, 2 imported, 0 failed",
    );
  });
});
