// Followed hashtags on the streaming `user` stream: a stranger's public status with a followed tag
// reaches the follower as it is posted (locally) or arrives (from another server), over SSE and
// WebSocket; a non-public one, a blocked author's and an unfollowed tag's do not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Account } from "../../src/db/schema/index.ts";
import { receiveRemoteStatus } from "../../src/domain/remote-statuses.ts";
import { call, follow, localUser, remoteAccount } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import { collectSse, pause, until } from "../helpers/sse.ts";
import * as E from "./entities.ts";

let instance: ServedInstance;
let alice: { account: Account; token: string };
let carol: { account: Account; token: string };
let mallory: { account: Account; token: string };
let dave: { account: Account; token: string };

beforeAll(async () => {
  instance = await serveTestInstance({}, { streaming: { heartbeatMs: 150 } });
  alice = await localUser(instance, "alice");
  carol = await localUser(instance, "carol");
  mallory = await localUser(instance, "mallory");
  dave = await localUser(instance, "dave");
  await follow(instance, alice.account, dave.account);
  await call(instance, "POST", "/api/v1/tags/Nightsky/follow", { token: alice.token });
  await call(instance, "POST", `/api/v1/accounts/${mallory.account.id}/block`, {
    token: alice.token,
  });
});
afterAll(() => instance.close());

const post = (token: string, status: string, visibility = "public") =>
  call(instance, "POST", "/api/v1/statuses", { token, body: { status, visibility } });

describe("followed tags on the user stream", () => {
  it("streams a stranger's public tagged status, local or remote, and nothing it must not", async () => {
    const controller = new AbortController();
    const res = await fetch(`${instance.url}/api/v1/streaming/user`, {
      headers: { Authorization: `Bearer ${alice.token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const events = collectSse(res);
    try {
      const hidden = [
        await post(carol.token, "Followers only #nightsky", "private"),
        await post(carol.token, "Unlisted #nightsky", "unlisted"),
        await post(mallory.token, "Blocked #nightsky"),
        await post(carol.token, "Another #daysky"),
      ];
      const shown = await post(carol.token, "Stars tonight #NightSky");
      const remote = await remoteAccount(instance, "astronomer", "stars.example");
      const arrived = await receiveRemoteStatus(instance.deps.db, remote, {
        iri: "https://stars.example/statuses/1",
        url: null,
        objectType: "Note",
        visibility: "public",
        content: "<p>Orion rising #nightsky</p>",
        spoilerText: "",
        sensitive: false,
        language: "en",
        inReplyToIri: null,
        quoteOfIri: null,
        published: new Date(),
        updated: null,
        attachments: [],
        poll: null,
        mentionIris: [],
        tags: ["nightsky"],
      });
      await until(() => events.some((e) => e.data.includes(arrived.id)));
      await until(() => events.some((e) => e.data.includes(shown.json.id)));
      const update = events.find((e) => e.data.includes(shown.json.id))!;
      expect(update.event).toBe("update");
      expect(E.expectEntity(E.Status, JSON.parse(update.data)).account.acct).toBe("carol");
      const remoteUpdate = events.find((e) => e.data.includes(arrived.id))!;
      expect(JSON.parse(remoteUpdate.data).account.acct).toBe("astronomer@stars.example");
      for (const h of hidden) {
        expect(events.some((e) => e.data.includes(h.json.id))).toBe(false);
      }
    } finally {
      controller.abort();
    }
  });

  it("streams it over WebSocket, and stops once the tag is unfollowed", async () => {
    const ws = new WebSocket(
      `${instance.url.replace("http", "ws")}/api/v1/streaming?access_token=${alice.token}`,
    );
    const messages: { stream?: string[]; event?: string; payload?: string }[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    try {
      ws.send(JSON.stringify({ type: "subscribe", stream: "user" }));
      await pause(100);
      const first = await post(carol.token, "Moon #nightsky");
      await until(() => messages.some((m) => m.payload?.includes(first.json.id)));
      const got = messages.find((m) => m.payload?.includes(first.json.id))!;
      expect(got.stream).toEqual(["user"]);
      expect(got.event).toBe("update");

      await call(instance, "POST", "/api/v1/tags/nightsky/unfollow", { token: alice.token });
      const after = await post(carol.token, "Comet #nightsky");
      // A later status from someone alice follows shows the stream went past it (events go in order).
      const marker = await post(dave.token, "Followed all along");
      await until(() => messages.some((m) => m.payload?.includes(marker.json.id)));
      expect(messages.some((m) => m.payload?.includes(after.json.id))).toBe(false);
    } finally {
      ws.close();
    }
  });
});
