// The streaming `list` stream: a member's new status reaches the list's owner over SSE and WebSocket
// (`{"type":"subscribe","stream":"list","list":ID}`), a non-member's does not, and nobody but the
// owner may subscribe to the list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Account } from "../../src/db/schema/index.ts";
import { call, follow, localUser } from "../helpers/factories.ts";
import { type ServedInstance, serveTestInstance } from "../helpers/instance.ts";
import { collectSse, pause, until } from "../helpers/sse.ts";
import * as E from "./entities.ts";

let instance: ServedInstance;
let alice: { account: Account; token: string };
let bob: { account: Account; token: string };
let carol: { account: Account; token: string };
let listId: string;

beforeAll(async () => {
  instance = await serveTestInstance({}, { streaming: { heartbeatMs: 150 } });
  alice = await localUser(instance, "alice");
  bob = await localUser(instance, "bob");
  carol = await localUser(instance, "carol");
  await follow(instance, alice.account, bob.account);
  await follow(instance, alice.account, carol.account);
  const list = await call(instance, "POST", "/api/v1/lists", {
    token: alice.token,
    body: { title: "Bob only" },
  });
  listId = list.json.id;
  await call(instance, "POST", `/api/v1/lists/${listId}/accounts`, {
    token: alice.token,
    body: { account_ids: [bob.account.id] },
  });
});
afterAll(() => instance.close());

const post = (token: string, status: string) =>
  call(instance, "POST", "/api/v1/statuses", { token, body: { status } });

describe("list stream", () => {
  it("sends a member's new status to the owner over SSE, not a non-member's", async () => {
    const controller = new AbortController();
    const res = await fetch(`${instance.url}/api/v1/streaming/list?list=${listId}`, {
      headers: { Authorization: `Bearer ${alice.token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const events = collectSse(res);
    try {
      const other = await post(carol.token, "not on the list");
      const member = await post(bob.token, "on the list");
      await until(() => events.some((e) => e.data.includes(member.json.id)));
      const update = events.find((e) => e.data.includes(member.json.id))!;
      expect(update.event).toBe("update");
      expect(E.expectEntity(E.Status, JSON.parse(update.data)).account.acct).toBe("bob");
      await call(instance, "DELETE", `/api/v1/statuses/${member.json.id}`, { token: bob.token });
      await until(() => events.some((e) => e.event === "delete" && e.data === member.json.id));
      expect(events.some((e) => e.data.includes(other.json.id))).toBe(false);
    } finally {
      controller.abort();
    }
  });

  it("sends it over WebSocket with the stream's name and list id", async () => {
    const ws = new WebSocket(
      `${instance.url.replace("http", "ws")}/api/v1/streaming?access_token=${alice.token}`,
    );
    const messages: { stream?: string[]; event?: string; payload?: string; error?: string }[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    try {
      ws.send(JSON.stringify({ type: "subscribe", stream: "list", list: listId }));
      await pause(100);
      const member = await post(bob.token, "to the socket");
      await until(() => messages.some((m) => m.payload?.includes(member.json.id)));
      const got = messages.find((m) => m.payload?.includes(member.json.id))!;
      expect(got.stream).toEqual(["list", listId]);
      expect(got.event).toBe("update");
    } finally {
      ws.close();
    }
  });

  it("keeps an exclusive list's members out of the owner's user stream", async () => {
    const exclusive = await call(instance, "POST", "/api/v1/lists", {
      token: alice.token,
      body: { title: "Apart", exclusive: true },
    });
    await call(instance, "POST", `/api/v1/lists/${exclusive.json.id}/accounts`, {
      token: alice.token,
      body: { account_ids: [bob.account.id] },
    });
    const controller = new AbortController();
    const res = await fetch(`${instance.url}/api/v1/streaming/user`, {
      headers: { Authorization: `Bearer ${alice.token}` },
      signal: controller.signal,
    });
    const events = collectSse(res);
    try {
      const member = await post(bob.token, "apart from home");
      const other = await post(carol.token, "still at home");
      await until(() => events.some((e) => e.data.includes(other.json.id)));
      expect(events.some((e) => e.data.includes(member.json.id))).toBe(false);
    } finally {
      controller.abort();
      await call(instance, "DELETE", `/api/v1/lists/${exclusive.json.id}`, { token: alice.token });
    }
  });

  it("lets nobody but the owner subscribe to a list", async () => {
    const sse = await fetch(`${instance.url}/api/v1/streaming/list?list=${listId}`, {
      headers: { Authorization: `Bearer ${carol.token}` },
    });
    expect(sse.status).toBe(401);
    const anonymous = await fetch(`${instance.url}/api/v1/streaming/list?list=${listId}`);
    expect(anonymous.status).toBe(401);
    const missing = await fetch(`${instance.url}/api/v1/streaming/list`, {
      headers: { Authorization: `Bearer ${alice.token}` },
    });
    expect(missing.status).toBe(400);

    const ws = new WebSocket(
      `${instance.url.replace("http", "ws")}/api/v1/streaming?access_token=${carol.token}`,
    );
    const messages: { error?: string; status?: number; payload?: string }[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    try {
      ws.send(JSON.stringify({ type: "subscribe", stream: "list", list: listId }));
      await until(() => messages.length > 0);
      expect(messages[0]).toMatchObject({ status: 401 });
      const member = await post(bob.token, "not for carol's socket via alice's list");
      await pause(300);
      expect(messages.some((m) => m.payload?.includes(member.json.id))).toBe(false);
    } finally {
      ws.close();
    }
  });
});
