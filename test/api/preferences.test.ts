// Preferences through masto.js: stored per user, read by GET /api/v1/preferences and
// verify_credentials' `source`, written by update_credentials' source[…], and applied to statuses
// posted without a visibility, sensitive flag or language of their own.
import { createRestAPIClient, type mastodon } from "masto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import * as E from "./entities.ts";

let instance: ServedInstance;
let client: mastodon.rest.Client;
let token: string;

beforeAll(async () => {
  instance = await serveTestInstance();
  token = (await localUser(instance, "alice")).token;
  client = createRestAPIClient({ url: instance.url, accessToken: token });
});
afterAll(() => instance.close());

describe("preferences", () => {
  it("starts with Mastodon's defaults", async () => {
    expect(await client.v1.preferences.fetch()).toEqual({
      "posting:default:visibility": "public",
      "posting:default:sensitive": false,
      "posting:default:language": null,
      "reading:expand:media": "default",
      "reading:expand:spoilers": false,
      "reading:autoplay:gifs": false,
    });
  });

  it("stores the posting defaults from update_credentials and shows them in source", async () => {
    const updated = await client.v1.accounts.updateCredentials({
      source: { privacy: "unlisted", sensitive: true, language: "fr" },
    });
    expect(updated.source).toMatchObject({ privacy: "unlisted", sensitive: true, language: "fr" });
    const prefs = await client.v1.preferences.fetch();
    expect(prefs).toMatchObject({
      "posting:default:visibility": "unlisted",
      "posting:default:sensitive": true,
      "posting:default:language": "fr",
    });
    const raw = await call(instance, "GET", "/api/v1/accounts/verify_credentials", { token });
    expect(E.CredentialAccount.parse(raw.json).source).toMatchObject({ privacy: "unlisted" });
  });

  it("gives a status that says nothing the defaults, and one that says otherwise its own", async () => {
    const plain = await client.v1.statuses.create({ status: "Defaults apply" });
    expect(plain).toMatchObject({ visibility: "unlisted", sensitive: true, language: "fr" });
    const own = await client.v1.statuses.create({
      status: "My own choices",
      visibility: "public",
      sensitive: false,
      language: "de",
    });
    expect(own).toMatchObject({ visibility: "public", sensitive: false, language: "de" });
  });

  it("refuses an unknown visibility or language with 422 and changes nothing", async () => {
    const bad = await call(instance, "PATCH", "/api/v1/accounts/update_credentials", {
      token,
      body: { display_name: "Changed", source: { privacy: "everyone" } },
    });
    expect(bad.status).toBe(422);
    const badLanguage = await call(instance, "PATCH", "/api/v1/accounts/update_credentials", {
      token,
      body: { source: { language: "French" } },
    });
    expect(badLanguage.status).toBe(422);
    const me = await client.v1.accounts.verifyCredentials();
    expect(me.displayName).not.toBe("Changed");
    expect(me.source).toMatchObject({ privacy: "unlisted", language: "fr" });
  });
});
