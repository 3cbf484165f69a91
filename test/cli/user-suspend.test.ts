import { afterEach, describe, expect, it } from "vitest";
import { issueAccessToken, registerApplication } from "../../src/domain/oauth.ts";
import { authorize } from "../api/oauth-flow.ts";
import { cliOn } from "../helpers/cli-in-process.ts";
import { localUser, PASSWORD, status } from "../helpers/factories.ts";
import { waitFor } from "../helpers/federation.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
afterEach(async () => {
  await i?.close();
  i = undefined;
});

const cli = cliOn;

const AP = { accept: "application/activity+json" };

describe("admin CLI: user suspend / unsuspend", () => {
  it("hides the account and its posts, stops its token and sign-in, and unsuspend restores all", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    const app = i.app;
    await localUser(i, "boss", { admin: true });
    const mallory = (await localUser(i, "mallory")).account;
    const post = await status(i, mallory.id, { content: "<p>hello</p>" });
    const token = (
      await issueAccessToken(i.deps.db, {
        applicationId: null,
        accountId: mallory.id,
        scopes: ["read", "write"],
      })
    ).accessToken;
    const bossToken = (
      await issueAccessToken(i.deps.db, {
        applicationId: null,
        accountId: (await localUser(i, "watcher")).account.id,
        scopes: ["read"],
      })
    ).accessToken;
    const api = (path: string, bearer = token) =>
      app.request(path, { headers: { authorization: `Bearer ${bearer}` } });
    const browser = new PageClient(app);
    expect((await browser.signIn("mallory")).status).toBe(303);
    expect((await api("/api/v1/accounts/verify_credentials")).status).toBe(200);

    const suspended = await cli(i, "user", "suspend", "mallory");
    expect(suspended.code).toBe(0);
    expect(suspended.stdout).toContain("Suspended @mallory");

    // Its own token and its open browser session stop working; signing in is refused with a reason.
    expect((await api("/api/v1/accounts/verify_credentials")).status).toBe(401);
    expect((await browser.get("/settings")).res.status).toBe(303);
    const signIn = await new PageClient(app).signIn("mallory");
    expect(signIn.status).toBe(401);
    expect(await signIn.text()).toContain("suspended");
    const { application } = await registerApplication(i.deps.db, {
      name: "Elk",
      redirectUris: ["urn:ietf:wg:oauth:2.0:oob"],
      scopes: "read",
    });
    const oauthQuery = {
      response_type: "code",
      client_id: application.clientId,
      redirect_uri: "urn:ietf:wg:oauth:2.0:oob",
      scope: "read",
    };
    const credentials = { username: "mallory", password: PASSWORD };
    const oauth = await authorize((p, init) => app.request(p, init), oauthQuery, credentials);
    expect(oauth.response.status).toBe(401);
    expect(oauth.body).toContain("suspended");

    // Hidden to anonymous visitors, to other servers and through the API.
    expect((await app.request("/@mallory")).status).toBe(404);
    expect((await app.request(`/@mallory/${post.id}`)).status).toBe(404);
    const actor = await app.request(i.deps.urls.actor("mallory"), { headers: AP });
    expect(actor.status).toBe(200);
    const actorJson = await actor.json();
    expect(actorJson.suspended).toBe(true);
    expect(actorJson.name ?? "").toBe("");
    const outboxPage = async () => {
      const outbox = await (await app.request(actorJson.outbox, { headers: AP })).json();
      return JSON.stringify(await (await app.request(outbox.first, { headers: AP })).json());
    };
    expect(await outboxPage()).not.toContain(post.id);
    expect((await app.request(post.iri, { headers: AP })).status).toBe(404);
    expect((await app.request(`/api/v1/statuses/${post.id}`)).status).toBe(404);
    expect((await api(`/api/v1/statuses/${post.id}`, bossToken)).status).toBe(404);
    // The API still knows the account, as Mastodon: suspended, profile blanked, no statuses.
    const statuses = await api(`/api/v1/accounts/${mallory.id}/statuses`, bossToken);
    expect(await statuses.json()).toEqual([]);
    for (const path of [`/api/v1/accounts/${mallory.id}`, "/api/v1/accounts/lookup?acct=mallory"]) {
      const shown = await (await app.request(path)).json();
      expect(shown).toMatchObject({ id: mallory.id, suspended: true, display_name: "", note: "" });
    }
    const publicTimeline = await (await app.request("/api/v1/timelines/public")).json();
    expect(publicTimeline.map((s: { id: string }) => s.id)).not.toContain(post.id);
    expect(await (await app.request("/explore")).text()).not.toContain("@mallory");

    // Nothing was deleted: unsuspending brings the account, its posts and its token back.
    const unsuspended = await cli(i, "user", "unsuspend", "mallory");
    expect(unsuspended.code).toBe(0);
    expect((await api("/api/v1/accounts/verify_credentials")).status).toBe(200);
    expect((await app.request("/@mallory")).status).toBe(200);
    expect((await app.request(`/api/v1/statuses/${post.id}`)).status).toBe(200);
    expect(await (await app.request(`/api/v1/accounts/${mallory.id}`)).json()).not.toHaveProperty(
      "suspended",
    );
    expect((await app.request(i.deps.urls.actor("mallory"), { headers: AP })).status).toBe(200);
    // The CLI writes through its own connection, as another process: the federation documents' cache
    // sees such a commit within a quarter of a second (src/db/queries/fingerprints.ts), not at once.
    await waitFor("the outbox to list the post again", async () =>
      (await outboxPage()).includes(post.id),
    );
    expect((await app.request(post.iri, { headers: AP })).status).toBe(200);
    expect((await new PageClient(app).signIn("mallory")).status).toBe(303);
    const again = await authorize((p, init) => app.request(p, init), oauthQuery, credentials);
    expect(again.code).not.toBeNull();
  });

  it("answers mistakes with exit code 2 and refusals with 1", async () => {
    expect.hasAssertions();
    i = await createTestInstance();
    await localUser(i, "boss", { admin: true });
    await localUser(i, "erin");
    expect((await cli(i, "user", "suspend")).code).toBe(2);
    expect((await cli(i, "user", "suspend", "a", "b")).code).toBe(2);
    const nobody = await cli(i, "user", "suspend", "nobody");
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('No local user named "nobody"');
    const notSuspended = await cli(i, "user", "unsuspend", "erin");
    expect(notSuspended.code).toBe(1);
    expect(notSuspended.stderr).toContain("not suspended");
    expect((await cli(i, "user", "suspend", "erin")).code).toBe(0);
    expect((await cli(i, "user", "list")).stdout).toMatch(/erin\s.*suspended/);
    const twice = await cli(i, "user", "suspend", "erin");
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("already suspended");
    const onlyAdmin = await cli(i, "user", "suspend", "boss");
    expect(onlyAdmin.code).toBe(1);
    expect(onlyAdmin.stderr).toContain("only active administrator");
  });
});
