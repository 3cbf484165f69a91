// The inbox refuses interactions with a status their actor may not see: a Like, an EmojiReact or an
// Announce of a followers-only post from a non-follower, or of a direct post that does not mention them,
// is dropped (nothing stored, counted or notified), through the real signed inbox and seen via the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { follows } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { issueAccessToken } from "../../src/domain/oauth.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import {
  type FederatedInstance,
  pendingInQueue,
  startFederatedInstance,
  waitFor,
} from "../helpers/federation.ts";

let local: FederatedInstance;
let remote: FakeRemote;
let token: string;
let aliceIri: string;
let eve: FakeActor;
let fan: FakeActor;
let inbox: string;

// biome-ignore lint/suspicious/noExplicitAny: API answers are read loosely; the assertions say what matters.
const api = async (path: string, init: { method?: string; body?: unknown } = {}): Promise<any> => {
  const res = await fetch(new URL(path, local.url), {
    method: init.method ?? "GET",
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body ? { "Content-Type": "application/json" } : {}),
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return res.json();
};

const post = async (visibility: string) =>
  (await api("/api/v1/statuses", {
    method: "POST",
    body: { status: `for ${visibility} eyes`, visibility },
  })) as { id: string; uri: string };

const settled = async () => {
  await waitFor("the inbox queue to settle", async () => (await pendingInQueue(local)) === 0);
  await local.deps.events.drain();
};

let n = 0;
const deliver = async (actor: FakeActor, type: string, object: string, extra = {}) => {
  const res = await remote.deliver(
    inbox,
    {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${actor.id.href}#${type.toLowerCase()}s/${++n}`,
      type,
      actor: actor.id.href,
      object,
      ...extra,
    },
    actor,
  );
  expect(res.status).toBe(202);
};

const notificationsAbout = async (statusId: string) =>
  (
    (await api(
      "/api/v1/notifications?types[]=favourite&types[]=emoji_reaction&types[]=reblog",
    )) as {
      status?: { id: string };
    }[]
  ).filter((x) => x.status?.id === statusId);

beforeAll(async () => {
  [local, remote] = await Promise.all([startFederatedInstance(), startFakeRemote()]);
  const { account } = await createLocalUser(local.deps.db, local.deps.urls, {
    username: "alice",
    password: "alice-password",
  });
  aliceIri = account.iri;
  token = (
    await issueAccessToken(local.deps.db, {
      applicationId: null,
      accountId: account.id,
      scopes: ["read", "write"],
    })
  ).accessToken;
  [eve, fan] = await Promise.all([remote.actor("eve"), remote.actor("fan")]);
  inbox = local.deps.urls.sharedInbox();
  // fan follows alice (accepted, as alice's account is not locked).
  await deliver(fan, "Follow", aliceIri);
  await waitFor("fan's follow", async () =>
    (await local.deps.db.select().from(follows)).some(
      (f) => f.targetAccountId === account.id && f.state === "accepted",
    ),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([local?.close(), remote?.close()]);
});

describe("interactions with a status the actor may not see", () => {
  it("drops a Like, an EmojiReact and an Announce of a followers-only or direct post", async () => {
    const hidden = [await post("private"), await post("direct")];
    for (const status of hidden) {
      await deliver(eve, "Like", status.uri);
      await deliver(eve, "Like", status.uri, { content: "🔥" });
      await deliver(eve, "EmojiReact", status.uri, { content: "👀" });
      await deliver(eve, "Announce", status.uri, {
        to: ["https://www.w3.org/ns/activitystreams#Public"],
      });
    }
    await deliver(fan, "Like", hidden[1]!.uri); // direct, fan not mentioned
    await settled();
    for (const status of hidden) {
      const seen = await api(`/api/v1/statuses/${status.id}`);
      expect(seen.favourites_count).toBe(0);
      expect(seen.reblogs_count).toBe(0);
      expect(await api(`/api/v1/statuses/${status.id}/favourited_by`)).toEqual([]);
      expect(await notificationsAbout(status.id)).toEqual([]);
    }
  });

  it("keeps a follower's Like of a followers-only post (the control)", async () => {
    const status = await post("private");
    await deliver(fan, "Like", status.uri);
    await waitFor(
      "the favourite",
      async () => (await api(`/api/v1/statuses/${status.id}`)).favourites_count === 1,
    );
    expect((await notificationsAbout(status.id)).length).toBe(1);
  });
});
